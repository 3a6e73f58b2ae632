/* Auto-refresh of the proctor console grid (skipped while a form in it is being used). */
(function () {
  "use strict";
  var table = document.getElementById("proctor-grid");
  var rows = document.getElementById("proctor-grid-rows");
  var stamp = document.getElementById("proctor-refreshed");
  function busy() {
    var active = document.activeElement;
    return active && rows.contains(active) && (active.value || active.tagName === "INPUT");
  }
  function refresh() {
    if (busy()) return;
    fetch(table.getAttribute("data-url"), { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
      .then(function (data) {
        if (busy()) return;
        rows.innerHTML = data.html;
        stamp.textContent = new Date().toLocaleTimeString();
        table.setAttribute("data-refreshed", String(Date.now()));
      }, function () {});
  }
  setInterval(refresh, 5000);
})();
