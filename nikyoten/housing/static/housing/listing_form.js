// Progressive enhancement of the staff listing form: postal-code autofill and a map to pick the point.
// Without JavaScript the form still works: the server checks the postal code and the point when saving.
(function () {
  "use strict";
  var form = document.getElementById("listing-form");
  if (!form) { return; }
  var postal = form.querySelector("[data-postal-autofill]");
  var municipality = form.querySelector("select[name=municipality]");
  var address = form.querySelector("input[name=address]");
  var lat = form.querySelector("input[name=latitude]");
  var lng = form.querySelector("input[name=longitude]");
  var status = document.getElementById("postal-autofill-status");
  var texts = document.getElementById("postal-messages").dataset;
  var autofilled = "";
  var asked = "";

  function say(text) { if (status) { status.textContent = text; } }

  function lookup() {
    var code = postal.value.normalize("NFKC").replace(/[^0-9]/g, "");
    if (code.length !== 7 || code === asked) { return; }
    asked = code;
    say(texts.loading);
    fetch(postal.dataset.postalUrl.replace("0000000", code), { headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (body) {
        if (!body || !body.addresses || !body.addresses.length) { say(texts.notFound); return; }
        var match = body.addresses.find(function (a) {
          return municipality.querySelector('option[value="' + a.municipality_code + '"]');
        });
        if (!match) { say(texts.outside); return; }
        municipality.value = match.municipality_code;
        var text = match.prefecture + match.city + match.town;
        if (!address.value || address.value === autofilled) {
          address.value = text;
          autofilled = text;
        }
        say(texts.found);
      })
      .catch(function () { say(texts.notFound); });
  }
  if (postal) {
    postal.addEventListener("input", lookup);
    postal.addEventListener("change", lookup);
  }

  var el = document.getElementById("listing-map");
  if (!el || typeof L === "undefined") { return; }
  var start = lat.value && lng.value
    ? [parseFloat(lat.value), parseFloat(lng.value)]
    : el.dataset.lat ? [parseFloat(el.dataset.lat), parseFloat(el.dataset.lng)] : [36.2, 138.2];
  var map = window.nikyotenMap(el).setView(start, lat.value || el.dataset.lat ? 13 : 5);
  var marker = null;
  function place(point) {
    if (marker) { marker.setLatLng(point); } else {
      marker = L.marker(point, { title: el.dataset.markerLabel, alt: el.dataset.markerLabel }).addTo(map);
    }
  }
  if (lat.value && lng.value) { place(start); }
  map.on("click", function (event) {
    lat.value = event.latlng.lat.toFixed(6);
    lng.value = event.latlng.lng.toFixed(6);
    place(event.latlng);
  });
  function typed() {
    var point = [parseFloat(lat.value), parseFloat(lng.value)];
    if (!isNaN(point[0]) && !isNaN(point[1])) { place(point); map.panTo(point, { animate: false }); }
  }
  lat.addEventListener("change", typed);
  lng.addEventListener("change", typed);
})();
