/* The exam page: renders the paper from the API, journals each change through
 * window.examJournal, keeps a server-synchronised countdown (warnings at 15 and 5
 * minutes left), the answered/unanswered/marked navigator, "mark for review" per
 * question (kept in the journal), a persistent font size and a confirmed hand-in that
 * lists unanswered and marked questions and stays disabled until the earliest hand-in
 * time. During a formal attempt, links and forms that leave the page ask first; a
 * confirmed departure runs the beforeLeaving hooks (the proctor's watcher reports a
 * leave). The server decides time; the client only displays it. */
(function () {
  "use strict";
  var root = document.getElementById("exam");
  if (!root) { return; }
  var T = JSON.parse(document.getElementById("exam-strings").textContent);
  var attemptId = Number(root.dataset.attempt), api = root.dataset.api, resultUrl = root.dataset.resultUrl;
  var journal = window.examJournal;
  var items = [], values = new Map(), offsetMs = 0, deadline = null, earliest = null, finished = false;
  var formal = root.dataset.mode === "formal", marked = [], leavingHooks = [];
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
    if ("save_token" in data && journal.setSaveToken) { journal.setSaveToken(data.save_token); }
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
      var ok = answered(values.get(item.position)), flag = marked.indexOf(item.position) >= 0;
      if (ok) { count += 1; }
      var link = el("nav-" + item.position);
      link.classList.toggle("answered", ok);
      link.classList.toggle("marked", flag);
      link.title = (ok ? T.answered : T.unanswered) + (flag ? " · " + T.marked : "");
    });
    el("exam-answered").textContent = count;
    el("exam-total").textContent = items.length;
    el("exam-nav-count").textContent = count + "/" + items.length;
    return count;
  }

  /* The bar and the navigator. The bar's height is published as --exam-bar-h so a
   * question jumped to lands below it. On phones (max-width 720px) the navigator is closed
   * until the toggle opens it as an opaque panel right under the bar; choosing a question
   * or Esc closes it. The site's offline notice moves into the bar, so it never covers
   * the bar's controls. */
  var bar = el("exam-bar"), nav = el("exam-navigator"), navToggle = el("exam-nav-toggle");
  var phone = window.matchMedia("(max-width: 720px)");
  function measureBar() {
    root.style.setProperty("--exam-bar-h", bar.offsetHeight + "px");
    if (nav.classList.contains("open")) {
      root.style.setProperty("--exam-nav-top", Math.max(0, bar.getBoundingClientRect().bottom) + "px");
    }
  }
  function setNav(open) {
    nav.classList.toggle("open", open);
    navToggle.setAttribute("aria-expanded", String(open));
    measureBar();
  }
  navToggle.addEventListener("click", function () { setNav(!nav.classList.contains("open")); });
  nav.addEventListener("click", function (e) {
    if (phone.matches && e.target.closest && e.target.closest("a")) { setNav(false); }
  });
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape" && phone.matches && nav.classList.contains("open")) { setNav(false); navToggle.focus(); }
  });
  window.addEventListener("scroll", function () { if (nav.classList.contains("open")) { measureBar(); } }, { passive: true });
  window.addEventListener("resize", measureBar);
  if (window.ResizeObserver) { new ResizeObserver(measureBar).observe(bar); }
  var offlineNotice = document.getElementById("pwa-offline-status");
  if (offlineNotice) { el("exam-offline-slot").appendChild(offlineNotice); }
  measureBar();

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
    head.textContent = (item.position + 1) + ". " + T[item.kind] + " " + T.points.replace("%(points)s", item.points);
    var mark = document.createElement("button");
    mark.type = "button"; mark.className = "q-mark secondary"; mark.textContent = T.mark;
    mark.setAttribute("aria-pressed", String(marked.indexOf(item.position) >= 0));
    mark.addEventListener("click", function () {
      var on = mark.getAttribute("aria-pressed") !== "true";
      marked = journal.setMark(item.position, on);
      mark.setAttribute("aria-pressed", String(on));
      refreshNavigator();
    });
    var stem = document.createElement("div");
    stem.className = "q-stem"; stem.innerHTML = item.stem; // editor-authored rich text
    li.appendChild(head); li.appendChild(mark); li.appendChild(stem);
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

  function hhmm(ms) { // in the exam's time zone, as the server's messages say it
    try {
      return new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", hour12: false, timeZone: root.dataset.timeZone })
        .format(new Date(ms));
    } catch (e) {
      var d = new Date(ms);
      return String(d.getHours()).padStart(2, "0") + ":" + String(d.getMinutes()).padStart(2, "0");
    }
  }

  /* The hand-in button waits for the server's earliest hand-in time (the server refuses
   * earlier hand-ins anyway); the label says from when. */
  function refreshHandIn() {
    var button = el("exam-hand-in"), early = earliest !== null && serverNow() < earliest;
    button.disabled = finished || earliest === null || early;
    el("exam-hand-in-from").textContent = early ? T.hand_in_from.replace("%(time)s", hhmm(earliest)) : "";
  }

  /* Warnings at 15 and 5 minutes left, once each per attempt (server-synchronised clock). */
  var WARN_KEY = "exam_plugin.time_warned." + attemptId;
  function warnTime(left) {
    var done = sessionStorage.getItem(WARN_KEY) || "";
    var step = left <= 300 ? "5" : left <= 900 ? "15" : "";
    if (!step || done === step || (done === "5" && step === "15")) { return; }
    sessionStorage.setItem(WARN_KEY, step);
    var box = el("exam-time-warning");
    box.textContent = step === "5" ? T.warn5 : T.warn15;
    box.hidden = false;
  }

  function tick() {
    if (deadline === null || finished) { return; }
    var left = Math.max(0, Math.floor((deadline - serverNow()) / 1000));
    var h = Math.floor(left / 3600), m = Math.floor((left % 3600) / 60), s = left % 60;
    el("exam-countdown").textContent = (h ? h + ":" : "") + String(m).padStart(2, "0") + ":" + String(s).padStart(2, "0");
    refreshHandIn();
    if (left > 0) { warnTime(left); }
    if (left === 0) { journal.flush().then(pollClock); }
  }

  function pollClock() {
    // A spell waiting in the journal is replayed first: the server dates it from its
    // last contact, which this poll would otherwise move.
    if (journal.inSpell()) { return journal.flush(); }
    return fetch(api + "attempts/" + attemptId + "/clock", { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data) { return; }
        sync(data);
        if (data.status !== "in_progress") { endOfExam(T.timeup); }
      }).catch(function () { journal.markOffline(); /* the local countdown keeps running */ });
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

  function numbersWhere(test) {
    return items.filter(test).map(function (item) { return item.position + 1; }).join(T.list_separator);
  }

  el("exam-hand-in").addEventListener("click", function () {
    var count = refreshNavigator();
    el("exam-confirm-text").textContent = T.confirm.replace("%(answered)s", count).replace("%(total)s", items.length);
    var open = numbersWhere(function (item) { return !answered(values.get(item.position)); });
    var flagged = numbersWhere(function (item) { return marked.indexOf(item.position) >= 0; });
    el("exam-confirm-unanswered").hidden = !open;
    el("exam-confirm-unanswered-list").textContent = open;
    el("exam-confirm-marked").hidden = !flagged;
    el("exam-confirm-marked-list").textContent = flagged;
    var dialog = el("exam-confirm");
    dialog.returnValue = "";
    dialog.showModal();
  });
  el("exam-confirm").addEventListener("close", function () {
    if (el("exam-confirm").returnValue === "confirm") { handIn(); }
  });

  /* Leaving a formal exam page through a link or form: confirmed, then reported. */
  function leavePage(go) {
    var dialog = el("exam-leave");
    dialog.returnValue = "";
    dialog.onclose = function () {
      if (dialog.returnValue !== "leave") { return; }
      finished = true;
      var hooks = leavingHooks.map(function (fn) { try { return Promise.resolve(fn()); } catch (e) { return Promise.resolve(); } });
      var timeout = new Promise(function (resolve) { setTimeout(resolve, 3000); });
      Promise.race([Promise.all(hooks.concat([journal.flush()])), timeout]).then(go, go);
    };
    dialog.showModal();
  }
  if (formal) {
    document.addEventListener("click", function (e) {
      var link = e.target.closest ? e.target.closest("a[href]") : null;
      if (!link || finished || link.target === "_blank" || e.defaultPrevented) { return; }
      var url = new URL(link.href, window.location.href);
      if (url.origin === window.location.origin && url.pathname === window.location.pathname && url.hash) { return; }
      e.preventDefault();
      leavePage(function () { window.location.assign(link.href); });
    }, true);
    document.addEventListener("submit", function (e) {
      var form = e.target;
      if (finished || root.contains(form) || form.closest("dialog")) { return; }
      e.preventDefault();
      leavePage(function () { HTMLFormElement.prototype.submit.call(form); });
    }, true);
    // The language switch submits itself on change (no submit event): off during the exam.
    var language = document.getElementById("lang-select");
    if (language) { language.disabled = true; language.title = T.no_language_switch; }
  }

  window.examPage = {
    attemptId: attemptId, apiBase: api, deadline: function () { return deadline; }, handIn: handIn,
    beforeLeaving: function (fn) { leavingHooks.push(fn); },
  };

  journal.open(attemptId, api).then(function () {
    return fetch(api + "attempts/" + attemptId, { credentials: "same-origin" });
  }).then(function (resp) {
    if (!resp.ok) { throw new Error(resp.status); }
    return resp.json();
  }).then(function (paper) {
    sync(paper);
    items = paper.items;
    marked = journal.marks();
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
      refreshHandIn();
      if (paper.status !== "in_progress") { endOfExam(T.closed); return; }
      journal.flush();
      tick();
      setInterval(tick, 1000);
      setInterval(pollClock, 30000);
    });
  }).catch(function () { showMessage(T.loadfail); });
})();
