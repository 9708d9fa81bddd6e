// Progressive enhancement: a Leaflet map on 地理院タイル; the text position below stays when tiles can't load.
(function () {
  "use strict";
  var el = document.getElementById("municipality-map");
  if (!el || typeof L === "undefined") { return; }
  el.hidden = false;
  var inside = [parseFloat(el.dataset.lat), parseFloat(el.dataset.lng)];
  var map = L.map(el, { scrollWheelZoom: false }).setView(inside, 11);
  var failed = false;
  L.tileLayer(el.dataset.tiles, { attribution: el.dataset.attribution, maxZoom: 18 })
    .on("tileerror", function () {
      if (failed) { return; }
      failed = true;
      var note = document.createElement("p");
      note.className = "message message--error";
      note.setAttribute("role", "status");
      note.textContent = el.dataset.error;
      el.insertAdjacentElement("afterend", note);
    })
    .addTo(map);
  L.marker(inside, { title: el.dataset.insideLabel, alt: el.dataset.insideLabel }).addTo(map);
  if (el.dataset.officeLat) {
    L.circleMarker([parseFloat(el.dataset.officeLat), parseFloat(el.dataset.officeLng)], { radius: 6 })
      .bindTooltip(el.dataset.officeLabel).addTo(map);
  }
})();
