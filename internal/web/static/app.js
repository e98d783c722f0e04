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
    if (el.matches("select[data-page-size]")) {
      // a new page size starts again from the first page
      el.form.elements.page.value = 1;
      el.form.requestSubmit();
    }
    if (el.matches("input[data-select-all-results]")) {
      // "every result" covers this page too
      orderBoxes().forEach(function (b) { b.checked = el.checked; b.disabled = el.checked; });
      var page = document.querySelector("input[data-select-page]");
      if (page) { page.checked = el.checked; page.disabled = el.checked; }
    }
  });

  // The side bar's shop counts fold per phase; what is folded is remembered in localStorage and
  // applied again whenever htmx brings the side bar.
  var foldKey = "ichigen.folded";
  function folded() {
    try { return JSON.parse(localStorage.getItem(foldKey) || "[]"); } catch (err) { return []; }
  }
  function applyFolds(root) {
    var f = folded();
    root.querySelectorAll("button[data-fold]").forEach(function (b) {
      var shut = f.indexOf(b.dataset.fold) >= 0;
      b.setAttribute("aria-expanded", shut ? "false" : "true");
      b.textContent = shut ? "▸" : "▾";
      var body = root.querySelector('[data-fold-body="' + b.dataset.fold + '"]');
      if (body) { body.hidden = shut; }
    });
  }
  document.addEventListener("htmx:afterSwap", function (e) { applyFolds(e.detail.target || document); });
  document.addEventListener("DOMContentLoaded", function () { applyFolds(document); });

  document.addEventListener("click", function (e) {
    var fold = e.target.closest("button[data-fold]");
    if (fold) {
      var f = folded().filter(function (id) { return id !== fold.dataset.fold; });
      if (fold.getAttribute("aria-expanded") === "true") { f.push(fold.dataset.fold); }
      localStorage.setItem(foldKey, JSON.stringify(f));
      applyFolds(document);
      return;
    }
    var link = e.target.closest("a[data-export]");
    if (!link) { return; }
    var url = new URL(link.href, location.href);
    var all = document.querySelector("input[data-select-all-results]");
    var ids = [];
    orderBoxes().forEach(function (b) { if (b.checked) { ids.push(b.value); } });
    if (ids.length > 0 && !(all && all.checked)) { url.searchParams.set("ids", ids.join(",")); }
    var sjis = document.querySelector("input[data-export-sjis]");
    if (sjis && sjis.checked) { url.searchParams.set("enc", "sjis"); }
    if (link.pathname.endsWith("/export.csv")) {
      document.querySelectorAll("input[data-export-opt]").forEach(function (o) {
        if (o.checked) { url.searchParams.set(o.dataset.exportOpt, "1"); }
      });
    }
    e.preventDefault();
    location.href = url.toString();
  });
})();

// issue 20 item 3: a relative day range (今日, 過去7日…) stands for the order dates, so picking one
// turns the date fields off, and 「日付で指定」 turns them on again.
(function () {
  "use strict";
  document.addEventListener("change", function (e) {
    var el = e.target;
    if (!el.matches("select[data-day-range]")) return;
    el.parentElement.querySelectorAll("input[type=date]").forEach(function (d) {
      d.disabled = el.value !== "";
      if (d.disabled) d.value = "";
    });
  });
})();
