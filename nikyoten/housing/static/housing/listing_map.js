// Progressive enhancement: listings on 地理院タイル — the search page's results (popups with links) and a
// listing's own point. The list and the text position stay as the fallback.
(function () {
  "use strict";
  if (typeof L === "undefined") { return; }

  var detail = document.getElementById("listing-detail-map");
  if (detail) {
    var point = [parseFloat(detail.dataset.lat), parseFloat(detail.dataset.lng)];
    var detailMap = window.nikyotenMap(detail).setView(point, 14);
    L.marker(point, { title: detail.dataset.label, alt: detail.dataset.label }).addTo(detailMap);
  }

  var el = document.getElementById("listing-map");
  var data = document.getElementById("listing-markers");
  if (!el || !data) { return; }
  var map = window.nikyotenMap(el);
  var points = [];
  JSON.parse(data.textContent).forEach(function (m) {
    // Popup content is built with DOM text nodes: titles are never parsed as HTML.
    var box = document.createElement("div");
    var title = document.createElement("strong");
    title.textContent = m.title;
    var summary = document.createElement("p");
    summary.textContent = m.summary;
    var link = document.createElement("a");
    link.href = m.url;
    link.textContent = el.dataset.details;
    box.append(title, summary, link);
    L.marker([m.lat, m.lng], { title: m.title, alt: m.title, keyboard: true }).bindPopup(box).addTo(map);
    points.push([m.lat, m.lng]);
  });
  if (points.length) {
    map.fitBounds(points, { padding: [24, 24], maxZoom: 14 });
  } else {
    map.setView([36.2, 138.25], 5);
  }
  var button = document.getElementById("listing-map-search");
  if (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      var b = map.getBounds();
      var clamp = function (v, limit) { return Math.max(-limit, Math.min(limit, v)).toFixed(5); };
      var params = new URLSearchParams(window.location.search);
      params.set("bbox", [clamp(b.getSouth(), 90), clamp(b.getWest(), 180), clamp(b.getNorth(), 90), clamp(b.getEast(), 180)].join(","));
      params.delete("page");
      window.location.search = params.toString();
    });
  }
})();
