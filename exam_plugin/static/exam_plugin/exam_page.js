/* The exam page: renders the paper from the API, journals each change through
 * window.examJournal, keeps a server-synchronised countdown, the answered/unanswered
 * navigator, a persistent font size and a confirmed hand-in. The server decides time. */
(function () {
  "use strict";
  var root = document.getElementById("exam");
  if (!root) { return; }
  var T = JSON.parse(document.getElementById("exam-strings").textContent);
  var attemptId = Number(root.dataset.attempt), api = root.dataset.api, resultUrl = root.dataset.resultUrl;
  var journal = window.examJournal;
  var items = [], values = new Map(), offsetMs = 0, deadline = null, earliest = null, finished = false;
  var el = function (id) { return document.getElementById(id); };
  var FONT_KEY = "exam_plugin.font_size";

  function csrf() {
    var m = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return m ? decodeURIComponent(m[1]) : "";
  }
  function serverNow() { return Date.now() + offsetMs; }
  function sync(data) {
    offsetMs = new Date(data.server_now).getTime() - Date.now();
    deadline = new Date(data.deadline).getTime();
    if (data.earliest_hand_in) { earliest = new Date(data.earliest_hand_in).getTime(); }
  }
  function showMessage(text) {
    var m = el("exam-message");
    m.textContent = text; m.hidden = !text;
  }
  function answered(v) {
    if (v === null || v === undefined) { return false; }
    if (typeof v === "string") { return v.trim().length > 0; }
    return v.length > 0;
  }

  /* font size */
  var fontSelect = el("exam-font-size");
  function applyFont(size) { root.dataset.font = size; fontSelect.value = size; }
  applyFont(localStorage.getItem(FONT_KEY) || "medium");
  fontSelect.addEventListener("change", function () {
    localStorage.setItem(FONT_KEY, fontSelect.value); applyFont(fontSelect.value);
  });

  /* save state */
  journal.onState(function (state, detail) {
    var s = el("exam-save-state");
    s.dataset.state = state;
    s.textContent = T[state] || state;
    if (state === "closed") { endOfExam(detail && detail.detail); }
    var relogin = el("exam-relogin");
    if (state === "auth" && !relogin) {
      relogin = document.createElement("a");
      relogin.id = "exam-relogin"; relogin.target = "_blank"; relogin.rel = "noopener";
      relogin.href = T.login_url + "?next=" + encodeURIComponent(T.login_done || window.location.pathname);
      relogin.textContent = T.relogin;
      s.insertAdjacentElement("afterend", relogin);
    } else if (state !== "auth" && relogin && state !== "saving") {
      relogin.remove();
    }
  });

  function refreshNavigator() {
    var count = 0;
    items.forEach(function (item) {
      var ok = answered(values.get(item.position));
      if (ok) { count += 1; }
      var link = el("nav-" + item.position);
      link.classList.toggle("answered", ok);
      link.title = ok ? T.answered : T.unanswered;
    });
    el("exam-answered").textContent = count;
    el("exam-total").textContent = items.length;
    return count;
  }

  function change(position, value) {
    values.set(position, value);
    refreshNavigator();
    journal.record(position, value);
  }

  function renderItem(item) {
    var li = document.createElement("li");
    li.className = "exam-question"; li.id = "q-" + item.position; li.dataset.position = item.position;
    var head = document.createElement("div");
    head.className = "q-head";
    head.textContent = (item.position + 1) + ". " + T[item.kind] + " (" + item.points + " " + T.points + ")";
    var stem = document.createElement("div");
    stem.className = "q-stem"; stem.innerHTML = item.stem; // editor-authored rich text
    li.appendChild(head); li.appendChild(stem);
    var current = values.get(item.position);
    if (item.kind === "short") {
      var ta = document.createElement("textarea");
      ta.rows = 6; ta.name = "q" + item.position; ta.value = current || "";
      ta.setAttribute("aria-label", head.textContent);
      ta.addEventListener("input", function () { change(item.position, ta.value); });
      li.appendChild(ta);
    } else {
      var list = document.createElement("ul");
      list.className = "q-options";
      item.options.forEach(function (text, index) {
        var opt = document.createElement("li"), label = document.createElement("label"), input = document.createElement("input");
        input.type = item.kind === "single" ? "radio" : "checkbox";
        input.name = "q" + item.position; input.value = index;
        input.checked = Array.isArray(current) && current.indexOf(index) >= 0;
        input.addEventListener("change", function () {
          var chosen = Array.prototype.filter.call(list.querySelectorAll("input"), function (i) { return i.checked; })
            .map(function (i) { return Number(i.value); });
          change(item.position, chosen);
        });
        label.appendChild(input);
        label.appendChild(document.createTextNode(" " + String.fromCharCode(65 + index) + ". " + text));
        opt.appendChild(label); list.appendChild(opt);
      });
      li.appendChild(list);
    }
    return li;
  }

  function render() {
    var ol = el("exam-questions"), nav = el("exam-navigator");
    ol.innerHTML = ""; nav.innerHTML = "";
    items.forEach(function (item) {
      ol.appendChild(renderItem(item));
      var a = document.createElement("a");
      a.href = "#q-" + item.position; a.id = "nav-" + item.position; a.textContent = item.position + 1;
      nav.appendChild(a);
    });
    refreshNavigator();
  }

  function tick() {
    if (deadline === null || finished) { return; }
    var left = Math.max(0, Math.floor((deadline - serverNow()) / 1000));
    var h = Math.floor(left / 3600), m = Math.floor((left % 3600) / 60), s = left % 60;
    el("exam-countdown").textContent = (h ? h + ":" : "") + String(m).padStart(2, "0") + ":" + String(s).padStart(2, "0");
    if (left === 0) { journal.flush().then(pollClock); }
  }

  function pollClock() {
    return fetch(api + "attempts/" + attemptId + "/clock", { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data) { return; }
        sync(data);
        if (data.status !== "in_progress") { endOfExam(T.timeup); }
      }).catch(function () { /* offline: the local countdown keeps running */ });
  }

  function endOfExam(message) {
    if (finished) { return; }
    finished = true;
    showMessage(message || T.closed);
    root.querySelectorAll("input, textarea, #exam-hand-in").forEach(function (i) { i.disabled = true; });
    setTimeout(function () { window.location.href = resultUrl; }, 1500);
  }

  function handIn(reason) {
    return journal.flush().then(function () {
      return fetch(api + "attempts/" + attemptId + "/hand-in", {
        method: "POST", credentials: "same-origin", headers: { "X-CSRFToken": csrf(), "Content-Type": "application/json" },
        body: JSON.stringify({ reason: reason || "" }),
      });
    }).then(function (resp) {
      return resp.json().then(function (data) {
        if (resp.ok) { finished = true; window.location.href = resultUrl; return true; }
        showMessage(data.detail || String(resp.status));
        return false;
      });
    });
  }

  el("exam-hand-in").addEventListener("click", function () {
    var count = refreshNavigator();
    el("exam-confirm-text").textContent = T.confirm.replace("%(answered)s", count).replace("%(total)s", items.length);
    var dialog = el("exam-confirm");
    dialog.returnValue = "";
    dialog.showModal();
  });
  el("exam-confirm").addEventListener("close", function () {
    if (el("exam-confirm").returnValue === "confirm") { handIn(); }
  });

  window.examPage = { attemptId: attemptId, apiBase: api, deadline: function () { return deadline; }, handIn: handIn };

  journal.open(attemptId, api).then(function () {
    return fetch(api + "attempts/" + attemptId, { credentials: "same-origin" });
  }).then(function (resp) {
    if (!resp.ok) { throw new Error(resp.status); }
    return resp.json();
  }).then(function (paper) {
    sync(paper);
    items = paper.items;
    return journal.local().then(function (local) {
      var adopt = [];
      items.forEach(function (item) {
        var mine = local.get(item.position);
        if (mine && mine.seq > item.seq) {
          values.set(item.position, mine.value); // journaled here, not yet on the server
        } else {
          values.set(item.position, item.value);
          adopt.push(journal.adopt(item.position, item.value, item.seq));
        }
      });
      return Promise.all(adopt);
    }).then(function () {
      render();
      if (paper.status !== "in_progress") { endOfExam(T.closed); return; }
      journal.flush();
      tick();
      setInterval(tick, 1000);
      setInterval(pollClock, 30000);
    });
  }).catch(function () { showMessage(T.loadfail); });
})();
