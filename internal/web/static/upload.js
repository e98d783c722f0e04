// The progress bar of a large upload (tracking files, order files). A form marked
// data-upload-progress is sent by XHR so the bar can follow the file going up; the server reads
// the file as it arrives (the parsers stream), so the bar follows the server's reading too. Once
// the file is up the server still matches or stores the rows: the text says so until the
// answer, a whole page, replaces this one.
(function () {
  "use strict";
  function csrfHeaders() {
    try { return JSON.parse(document.body.getAttribute("hx-headers") || "{}"); } catch (e) { return {}; }
  }
  document.addEventListener("submit", function (e) {
    var form = e.target;
    if (!form.matches("form[data-upload-progress]") || !window.FormData) { return; }
    e.preventDefault();
    var bar = form.querySelector("progress.upload-progress");
    var text = form.querySelector(".upload-progress-text");
    var button = form.querySelector("button[type=submit]");
    if (button) { button.disabled = true; }
    if (bar) { bar.hidden = false; bar.value = 0; }
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.action);
    var headers = csrfHeaders();
    Object.keys(headers).forEach(function (k) { xhr.setRequestHeader(k, headers[k]); });
    xhr.upload.addEventListener("progress", function (p) {
      if (!p.lengthComputable) { return; }
      var pct = Math.floor(p.loaded * 100 / p.total);
      if (bar) { bar.value = pct; }
      if (text) { text.textContent = text.dataset.sending.replace("%d", pct); }
    });
    xhr.upload.addEventListener("load", function () {
      if (bar) { bar.removeAttribute("value"); }
      if (text) { text.textContent = text.dataset.checking; }
    });
    xhr.addEventListener("load", function () {
      document.open();
      document.write(xhr.responseText);
      document.close();
    });
    xhr.addEventListener("error", function () {
      if (button) { button.disabled = false; }
      if (text) { text.textContent = text.dataset.failed; }
    });
    xhr.send(new FormData(form));
    // the server's row counter (data-upload-rows) asks how far the server has read the file
    var rows = form.querySelector("[data-upload-rows]");
    if (rows && window.htmx) { window.htmx.trigger(rows, "upload-sent"); }
  });
})();
