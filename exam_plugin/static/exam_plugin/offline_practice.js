/* Offline mock test: a practice set (practice pool only, keys released for practice) is
 * downloaded into localStorage, taken and scored on the device — also without a network —
 * and each try is queued with its own UUID and synced to the server, which scores it again
 * and ignores a UUID it already has. The page itself is kept for offline use through the
 * service worker's "KEEP_OFFLINE" message (cms_site/pwa/templates/pwa/sw.js). */
(function () {
  "use strict";
  var root = document.getElementById("offline-practice");
  if (!root) { return; }
  var T = JSON.parse(document.getElementById("offline-practice-strings").textContent);
  var prefix = "exam_plugin.offline_practice." + root.dataset.program + "." + root.dataset.user + ".";
  var el = function (id) { return document.getElementById(id); };
  var syncing = null;

  function load(name, fallback) {
    try { return JSON.parse(localStorage.getItem(prefix + name)) || fallback; } catch (e) { return fallback; }
  }
  function save(name, value) { localStorage.setItem(prefix + name, JSON.stringify(value)); }
  function fmt(text, values) {
    return text.replace(/%\((\w+)\)s/g, function (_m, key) { return String(values[key]); });
  }
  function csrf() {
    var m = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return m ? decodeURIComponent(m[1]) : "";
  }
  function newUuid() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  function showQueue() {
    var waiting = load("results", []).length;
    el("offline-practice-sync").textContent = waiting ? fmt(T.waiting, { n: waiting }) : T.synced;
    root.dataset.waiting = waiting;
  }

  function render() {
    var set = load("set", null), ol = el("offline-practice-questions");
    ol.innerHTML = "";
    el("offline-practice-result").hidden = true;
    if (!set || !set.questions.length) {
      el("offline-practice-status").textContent = T.none; el("offline-practice-score").hidden = true; return;
    }
    el("offline-practice-status").textContent = fmt(T.stored, { n: set.questions.length });
    set.questions.forEach(function (q, index) {
      var li = document.createElement("li");
      li.className = "exam-question offline-practice-question"; li.dataset.id = q.id;
      var stem = document.createElement("div");
      stem.className = "q-stem"; stem.innerHTML = q.stem; // editor-authored rich text
      li.appendChild(stem);
      if (q.kind === "short") {
        var ta = document.createElement("textarea"); ta.rows = 4; ta.name = "p" + index; li.appendChild(ta);
      } else {
        var ul = document.createElement("ul"); ul.className = "q-options";
        q.options.forEach(function (text, pos) {
          var opt = document.createElement("li"), label = document.createElement("label"), input = document.createElement("input");
          input.type = q.kind === "single" ? "radio" : "checkbox"; input.name = "p" + index; input.value = pos;
          label.appendChild(input);
          label.appendChild(document.createTextNode(" " + String.fromCharCode(65 + pos) + ". " + text));
          opt.appendChild(label); ul.appendChild(opt);
        });
        li.appendChild(ul);
      }
      var feedback = document.createElement("p"); feedback.className = "feedback"; feedback.hidden = true;
      li.appendChild(feedback);
      ol.appendChild(li);
    });
    el("offline-practice-score").hidden = false;
  }

  function score() {
    var set = load("set", null);
    if (!set) { return; }
    var answers = [], right = 0, scored = 0;
    document.querySelectorAll(".offline-practice-question").forEach(function (li, index) {
      var q = set.questions[index], feedback = li.querySelector(".feedback"), value;
      if (q.kind === "short") {
        value = li.querySelector("textarea").value;
        feedback.textContent = T.reference + ": " + q.reference_answer;
      } else {
        value = Array.prototype.filter.call(li.querySelectorAll("input"), function (i) { return i.checked; })
          .map(function (i) { return Number(i.value); });
        var ok = value.slice().sort().join(",") === q.correct_options.slice().sort().join(",");
        scored += 1; if (ok) { right += 1; }
        feedback.textContent = ok ? T.right : T.wrong + " (" + q.correct_options.map(function (p) { return String.fromCharCode(65 + p); }).join("") + ")";
        feedback.classList.toggle("right", ok);
      }
      feedback.hidden = false;
      answers.push({ question_id: q.id, value: value });
    });
    var result = el("offline-practice-result");
    result.textContent = fmt(T.result, { score: right, max: scored }); result.hidden = false;
    var queue = load("results", []);
    queue.push({ client_uuid: newUuid(), taken_at: new Date().toISOString(), answers: answers });
    save("results", queue);
    showQueue();
    sync();
  }

  function sync() {
    if (syncing) { return syncing; }
    var queue = load("results", []);
    if (!queue.length) { showQueue(); return Promise.resolve(0); }
    syncing = fetch(root.dataset.resultsUrl, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf() },
      body: JSON.stringify({ results: queue.slice(0, 50) }),
    }).then(function (resp) {
      if (!resp.ok) { throw new Error("HTTP " + resp.status); }
      return resp.json();
    }).then(function (data) {
      var done = {};
      data.results.forEach(function (r) { done[r.client_uuid] = true; }); // stored, duplicate or refused: final
      save("results", load("results", []).filter(function (r) { return !done[r.client_uuid]; }));
      showQueue();
    }).catch(function () {
      if (navigator.onLine === false) { el("offline-practice-sync").textContent = T.offline + " · " + fmt(T.waiting, { n: load("results", []).length }); }
    }).finally(function () { syncing = null; });
    return syncing;
  }

  el("offline-practice-download").addEventListener("click", function () {
    fetch(root.dataset.setUrl, { credentials: "same-origin", cache: "no-store" })
      .then(function (resp) { if (!resp.ok) { throw new Error(resp.status); } return resp.json(); })
      .then(function (set) { save("set", set); render(); })
      .catch(function () { el("offline-practice-status").textContent = T.failed; });
  });
  el("offline-practice-score").addEventListener("click", score);
  window.addEventListener("online", sync);

  if ("serviceWorker" in navigator && navigator.onLine !== false) {
    var urls = [location.pathname];
    document.querySelectorAll("script[src], link[rel=stylesheet][href]").forEach(function (node) {
      var url = new URL(node.src || node.href, location.href);
      if (url.origin === location.origin) { urls.push(url.pathname); }
    });
    navigator.serviceWorker.ready.then(function (registration) {
      var worker = navigator.serviceWorker.controller || registration.active;
      if (worker) { worker.postMessage({ type: "KEEP_OFFLINE", cache: "pwa-keep-practice-" + root.dataset.program, urls: urls }); }
    });
  }
  window.offlinePractice = { sync: sync, waiting: function () { return load("results", []).length; } };
  render();
  showQueue();
  sync();
})();
