/* Auto-refresh of the proctor console grid (skipped while a form in it is being used):
 * the server renders the rows (an HTML fragment, not a JSON endpoint). */
(function () {
  "use strict";
  var table = document.getElementById("proctor-grid");
  var rows = document.getElementById("proctor-grid-rows");
  var stamp = document.getElementById("proctor-refreshed");
  var lastHtml = null;
  function busy() {
    var active = document.activeElement;
    return active && rows.contains(active) && (active.value || active.tagName === "INPUT");
  }
  function refresh() {
    if (busy()) return;
    fetch(table.getAttribute("data-url"), { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
      .then(function (html) {
        if (busy()) return;
        // Unchanged rows are not replaced: every photo the browser fetches again is a
        // face-image access, logged on the server.
        // (CSRF tokens are masked afresh on every render: compare without them.)
        var content = html.replace(/name="csrfmiddlewaretoken" value="[^"]*"/g, "");
        if (content !== lastHtml) rows.innerHTML = html;
        lastHtml = content;
        stamp.textContent = new Date().toLocaleTimeString();
        table.setAttribute("data-refreshed", String(Date.now()));
      }, function () {});
  }
  setInterval(refresh, 5000);
})();
