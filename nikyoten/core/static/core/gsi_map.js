// A Leaflet map on 地理院タイル in a container carrying data-tiles, data-attribution and data-error. When the tiles
// cannot load, a status note after the container says so; the page's text fallback stays either way.
window.nikyotenMap = function (el, options) {
  "use strict";
  el.hidden = false;
  var map = L.map(el, Object.assign({ scrollWheelZoom: false }, options || {}));
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
  return map;
};
