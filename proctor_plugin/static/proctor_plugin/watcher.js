/* Exam-room watcher on the exam page. Watches full screen, tab visibility and window
 * focus; a leave is reported at once and shows the server's countdown; coming back
 * is reported and the SERVER decides (counted, or forced hand-in). Also: heartbeats,
 * webcam snapshots every N seconds, warnings, breaks, the "monitoring" badge with the
 * candidate's own camera view, and the second-camera pairing code.
 * Offline: a leave or return the server cannot be told about is journaled with its time
 * (window.examJournal.recordEvent) and replayed with the answers on reconnect; while the
 * journal holds a spell, every report waits for that replay (journaled in order,
 * heartbeats held back), so the server judges the spell from its last contact. */
(function () {
  "use strict";
  var C = window.proctorCommon;
  var cfg = JSON.parse(document.getElementById("proctor-watcher-config").textContent);
  var S = C.strings();
  var overlay = document.getElementById("proctor-overlay");
  var overlayTitle = document.getElementById("proctor-overlay-title");
  var overlayText = document.getElementById("proctor-overlay-text");
  var overlayButton = document.getElementById("proctor-overlay-button");
  var countdown = document.getElementById("proctor-countdown");
  var leavesLine = document.getElementById("proctor-overlay-leaves");
  var selfView = document.getElementById("proctor-self-view");

  var started = false;      // entered full screen at least once on this page
  var away = false;         // a leave is open on the server
  var focused = true;
  var onBreak = false;
  var ended = false;
  var awayDeadline = null;  // Date (client clock, corrected by the server offset)
  var clockOffset = 0;      // server - client, ms
  var stream = null;
  var shownWarnings = {};

  window.proctorWatcher = {
    state: function () { return { started: started, away: away, ended: ended, onBreak: onBreak }; },
    /** Stop watching and sending (used when the page is torn down on purpose). */
    stop: function () { ended = true; if (stream) stream.getTracks().forEach(function (t) { t.stop(); }); },
  };

  function isBack() {
    return !!document.fullscreenElement && document.visibilityState === "visible" && focused;
  }

  // While the overlay is up the paper behind it cannot be reached, not even by keyboard.
  var examRoot = document.getElementById("exam");
  new MutationObserver(function () { if (examRoot) examRoot.inert = !overlay.hidden; })
    .observe(overlay, { attributes: true, attributeFilter: ["hidden"] });
  if (examRoot) examRoot.inert = !overlay.hidden;

  function showOverlay(title, text, buttonLabel) {
    overlayTitle.textContent = title;
    overlayText.textContent = text;
    overlayButton.textContent = buttonLabel;
    overlayButton.hidden = !buttonLabel;
    overlay.hidden = false;
  }

  function finish() {
    if (ended) return;
    ended = true;
    showOverlay(S.ended, "", "");
    countdown.hidden = true;
    if (stream) stream.getTracks().forEach(function (t) { t.stop(); });
    window.location.assign(cfg.resultUrl);
  }

  function applyState(state) {
    if (state.server_time) clockOffset = new Date(state.server_time).getTime() - Date.now();
    if (state.ended) { finish(); return; }
    leavesLine.textContent = S.leavesCounted + " " + state.leaves_counted + (state.leave_limit ? " / " + state.leave_limit : "");
    if (state.away_deadline) awayDeadline = new Date(new Date(state.away_deadline).getTime() - clockOffset);
    else if (!away) awayDeadline = null;  // away but unknown to the server: a journaled leave keeps its countdown
    (state.warnings || []).forEach(showWarning);
    if (!state.phone_lost) phoneCodeShown = false;
    else if (cfg.secondCamera && !phoneCodeShown) showPairingCode();
    var breakLine = document.getElementById("proctor-break-state");
    onBreak = !!(state.break && state.break.status === "approved");
    if (breakLine) {
      if (!state.break) breakLine.textContent = "";
      else if (state.break.status === "pending") breakLine.textContent = S.breakPending;
      else if (onBreak) {
        var until = new Date(new Date(state.break.until).getTime() - clockOffset);
        breakLine.textContent = S.onBreak + " " + until.toLocaleTimeString();
        showOverlay(S.onBreak + " " + until.toLocaleTimeString(), "", S.back);
      }
    }
  }

  // One request at a time, in order: a "back" can never overtake its "leave".
  var queue = Promise.resolve();
  function enqueue(send) {
    var next = queue.then(send).then(applyState, function () {});
    queue = next;
    return next;
  }

  var J = window.examJournal;
  function journaling() { return !!(J && J.inSpell && J.inSpell()); }
  var heldBack = false;     // reports waited for the journal's replay

  function post(path, json) {
    if (ended && path !== "heartbeat/") return Promise.resolve();
    var event = null;       // leaves and returns carry their own time into the journal
    if (path === "leave/" || path === "back/") {
      event = { type: path === "leave/" ? "leave" : "back", kind: (json && json.kind) || "fullscreen", at: new Date().toISOString() };
    }
    function journal() {
      heldBack = true;
      if (event) J.recordEvent(event); else J.flush();
      return Promise.reject(new Error("journaled"));
    }
    // Known to be offline: journal at once (the journal keeps events in time order).
    if (event && J && navigator.onLine === false && !ended) return journal().catch(function () {});
    return enqueue(function () {
      if (journaling()) return journal();
      return C.request(cfg.base + path, { json: json || {}, keepalive: true }).catch(function (err) {
        if (err.status === undefined && J && !ended) {  // no answer at all: offline
          if (!event) J.markOffline();
          else return journal();
        }
        throw err;
      });
    });
  }
  if (J) {
    J.onState(function (state) {
      if (state === "closed") finish();
      else if (state === "saved" && heldBack && !journaling()) { heldBack = false; post("heartbeat/"); }
    });
  }

  // -- leaves -----------------------------------------------------------------
  function leave(kind) {
    if (!started || away || ended || onBreak) return;
    away = true;
    awayDeadline = new Date(Date.now() + cfg.returnSeconds * 1000);
    showOverlay(S.awayTitle, S.awayText, S.backToFullscreen);
    countdown.hidden = false;
    tick();
    post("leave/", { kind: kind });
  }

  function maybeBack() {
    if (!away || !isBack()) return;
    away = false;
    overlay.hidden = true;
    countdown.hidden = true;
    post("back/");
  }

  var lastExpiryCheck = 0;
  function tick() {
    if (!away || !awayDeadline) return;
    var left = Math.max(0, Math.ceil((awayDeadline.getTime() - Date.now()) / 1000));
    countdown.textContent = left + " s";
    if (left <= 0 && Date.now() - lastExpiryCheck > 1500) {
      lastExpiryCheck = Date.now();
      post("heartbeat/");  // the server applies the deadline and answers "ended"
    }
  }
  setInterval(tick, 500);

  document.addEventListener("fullscreenchange", function () {
    if (document.fullscreenElement) {
      if (!started) {
        // A reload or a return after a crash: close any leave still open on the
        // server (judged by its own clock), then say we are here.
        started = true; overlay.hidden = true;
        post("back/").then(function () { return post("heartbeat/"); });
      }
      maybeBack();
    } else {
      leave("fullscreen");
    }
  });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") leave("visibility"); else maybeBack();
  });
  window.addEventListener("blur", function () { focused = false; leave("focus"); });
  window.addEventListener("focus", function () { focused = true; maybeBack(); });

  overlayButton.addEventListener("click", function () {
    if (onBreak) {
      post("break/return/").then(function () {
        onBreak = false;
        document.documentElement.requestFullscreen().catch(function () {});
      });
      return;
    }
    focused = true;
    document.documentElement.requestFullscreen().then(maybeBack, function () {});
  });

  // The candidate confirmed leaving the exam page through a link or form: a leave.
  if (window.examPage && window.examPage.beforeLeaving) {
    window.examPage.beforeLeaving(function () {
      if (ended || onBreak) return Promise.resolve();
      var sent = away ? Promise.resolve() : post("leave/", { kind: "visibility" });
      away = true;
      return sent;
    });
  }

  // -- heartbeats, warnings, breaks -------------------------------------------------
  setInterval(function () { if (!ended) post("heartbeat/"); }, 10000);
  window.addEventListener("pagehide", function () { ended = true; });

  function showWarning(warning) {
    if (shownWarnings[warning.id]) return;
    shownWarnings[warning.id] = true;
    document.getElementById("proctor-warning-text").textContent = warning.message;
    var box = document.getElementById("proctor-warning");
    box.hidden = false;
    box.setAttribute("data-warning", warning.id);
  }
  document.getElementById("proctor-warning-ok").addEventListener("click", function () {
    var box = document.getElementById("proctor-warning");
    box.hidden = true;
    post("warnings/seen/", { ids: [box.getAttribute("data-warning")] });
  });
  var breakButton = document.getElementById("proctor-break");
  if (breakButton) breakButton.addEventListener("click", function () { post("break/"); });

  // -- badge, own camera view, second camera ---------------------------------------
  var badge = document.getElementById("proctor-badge");
  badge.addEventListener("click", function () {
    var panel = document.getElementById("proctor-panel");
    panel.hidden = !panel.hidden;
    badge.setAttribute("aria-expanded", String(!panel.hidden));
  });
  // The second camera's feed was lost (or never paired): show a fresh pairing code.
  var phoneCodeShown = false;
  function showPairingCode() {
    phoneCodeShown = true;
    var panel = document.getElementById("proctor-panel");
    panel.hidden = false;
    badge.setAttribute("aria-expanded", "true");
    C.request(cfg.base + "pairing/").then(function (data) {
      document.getElementById("proctor-qr").innerHTML = data.qr;
    }, function () { phoneCodeShown = false; });
  }
  var repair = document.getElementById("proctor-repair");
  if (repair) repair.addEventListener("click", showPairingCode);

  // -- snapshots ------------------------------------------------------------------
  var snapshotsSent = 0;
  function snapshot() {
    if (ended || !stream) return;
    C.captureFrame(selfView, 640).then(function (blob) {
      return enqueue(function () {
        return C.uploadImage(cfg.base + "snapshot/", blob).then(function (state) {
          snapshotsSent += 1;
          badge.setAttribute("data-snapshots", String(snapshotsSent));
          return state;
        });
      });
    }, function () {});
  }
  C.startCamera(selfView).then(function (s) {
    stream = s;
    snapshot();
    setInterval(snapshot, cfg.snapshotSeconds * 1000);
  }, function () {});

  if (document.fullscreenElement) { started = true; overlay.hidden = true; }
  post("heartbeat/");
})();
