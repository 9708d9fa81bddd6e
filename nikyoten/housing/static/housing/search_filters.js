// On a phone the filters start folded so the results come first; they stay open when a field has an error.
(function () {
  "use strict";
  var filters = document.querySelector(".listing-filters");
  if (!filters || filters.querySelector(".errorlist")) { return; }
  if (window.matchMedia("(max-width: 48rem)").matches) { filters.open = false; }
})();
