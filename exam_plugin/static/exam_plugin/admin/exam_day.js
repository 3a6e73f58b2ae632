/* Exam-day panel: re-read the JSON snapshot every few seconds and update the figures
 * in place (rows are added or removed as sittings appear or end). */
(function () {
  "use strict";
  var root = document.getElementById("exam-day");
  if (!root) { return; }
  var url = root.dataset.url, every = Number(root.dataset.refresh || 5) * 1000;

  function text(node, value) { if (node) { node.textContent = String(value); } }

  function row(s) {
    var tr = document.createElement("tr");
    tr.dataset.sitting = s.id;
    var cells = [s.title, s.program, s.starts_at + "–" + s.ends_at, s.candidates, s.started, s.handed_in,
      s.connected, s.saves_per_second, s.recent_incidents + " / " + s.incidents];
    var keys = [null, null, null, "candidates", "started", "handed_in", "connected", "saves_per_second", "incidents"];
    cells.forEach(function (value, i) {
      var td = document.createElement("td");
      if (keys[i]) { td.dataset.key = keys[i]; }
      td.textContent = String(value);
      tr.appendChild(td);
    });
    return tr;
  }

  function apply(data) {
    var totals = data.totals;
    text(root.querySelector('[data-total="connected"]'), totals.connected);
    text(root.querySelector('[data-total="saves_per_second"]'), totals.saves_per_second);
    text(root.querySelector('[data-total="errors"]'), data.errors_last_minutes);
    var inc = root.querySelector('[data-total="incidents"]');
    if (inc) { inc.textContent = totals.recent_incidents + " / " + totals.incidents; }
    var tbody = document.querySelector("#exam-day-sittings tbody");
    if (data.sittings.length) {
      tbody.replaceChildren.apply(tbody, data.sittings.map(row));
    }
    text(document.getElementById("exam-day-updated"), new Date(data.now).toLocaleTimeString());
  }

  function refresh() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
      .then(function (data) { apply(data); document.getElementById("exam-day-stale").hidden = true; })
      .catch(function () { document.getElementById("exam-day-stale").hidden = false; })
      .finally(function () { setTimeout(refresh, every); });
  }
  setTimeout(refresh, every);
})();
