// ichigen's few lines of script: selecting orders and building the CSV link. Everything else is
// htmx. Written for event delegation, so pages swapped in by htmx need nothing re-bound.
(function () {
  "use strict";
  function orderBoxes() { return document.querySelectorAll("input[data-order]"); }

  document.addEventListener("change", function (e) {
    var el = e.target;
    if (el.matches("input[data-select-page]")) {
      orderBoxes().forEach(function (b) { b.checked = el.checked; });
    }
    if (el.matches("input[data-select-all-results]")) {
      // "every result" covers this page too
      orderBoxes().forEach(function (b) { b.checked = el.checked; b.disabled = el.checked; });
      var page = document.querySelector("input[data-select-page]");
      if (page) { page.checked = el.checked; page.disabled = el.checked; }
    }
  });

  document.addEventListener("click", function (e) {
    var link = e.target.closest("a[data-export]");
    if (!link) { return; }
    var url = new URL(link.href, location.href);
    var all = document.querySelector("input[data-select-all-results]");
    var ids = [];
    orderBoxes().forEach(function (b) { if (b.checked) { ids.push(b.value); } });
    if (ids.length > 0 && !(all && all.checked)) { url.searchParams.set("ids", ids.join(",")); }
    var sjis = document.querySelector("input[data-export-sjis]");
    if (sjis && sjis.checked) { url.searchParams.set("enc", "sjis"); }
    e.preventDefault();
    location.href = url.toString();
  });
})();
