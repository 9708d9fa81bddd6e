// Progressive enhancement: a Leaflet map on 地理院タイル; the text position below stays when tiles can't load.
(function () {
  "use strict";
  var el = document.getElementById("municipality-map");
  if (!el || typeof L === "undefined") { return; }
  var inside = [parseFloat(el.dataset.lat), parseFloat(el.dataset.lng)];
  var map = window.nikyotenMap(el).setView(inside, 11);
  L.marker(inside, { title: el.dataset.insideLabel, alt: el.dataset.insideLabel }).addTo(map);
  if (el.dataset.officeLat) {
    L.circleMarker([parseFloat(el.dataset.officeLat), parseFloat(el.dataset.officeLng)], { radius: 6 })
      .bindTooltip(el.dataset.officeLabel).addTo(map);
  }
})();
