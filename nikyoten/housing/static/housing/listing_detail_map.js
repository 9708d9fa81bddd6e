// Progressive enhancement: the listing's point on 地理院タイル; the text position stays when tiles can't load.
(function () {
  "use strict";
  var el = document.getElementById("listing-detail-map");
  if (!el || typeof L === "undefined") { return; }
  el.hidden = false;
  var point = [parseFloat(el.dataset.lat), parseFloat(el.dataset.lng)];
  var map = L.map(el, { scrollWheelZoom: false }).setView(point, 14);
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
  L.marker(point, { title: el.dataset.label, alt: el.dataset.label }).addTo(map);
})();
