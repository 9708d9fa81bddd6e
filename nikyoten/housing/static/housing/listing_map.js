// Progressive enhancement: the page's listings on 地理院タイル; the list below stays as the fallback.
(function () {
  "use strict";
  var el = document.getElementById("listing-map");
  var data = document.getElementById("listing-markers");
  if (!el || !data || typeof L === "undefined") { return; }
  var markers = JSON.parse(data.textContent);
  el.hidden = false;
  var map = L.map(el, { scrollWheelZoom: false });
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
  var points = [];
  markers.forEach(function (m) {
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
      var params = new URLSearchParams(window.location.search);
      var clamp = function (v, limit) { return Math.max(-limit, Math.min(limit, v)).toFixed(5); };
      params.set("bbox", [clamp(b.getSouth(), 90), clamp(b.getWest(), 180), clamp(b.getNorth(), 90), clamp(b.getEast(), 180)].join(","));
      params.delete("page");
      window.location.search = params.toString();
    });
  }
})();
