/* Measured study time: while this lesson is visible and the learner active (input,
 * scroll, touch, or a video actually playing within the idle window), send a heartbeat
 * every N seconds. The server decides what is credited (course_content/studying.py);
 * this script only reports what the learner's browser saw. */
(function () {
  "use strict";
  var configNode = document.getElementById("study-config");
  if (!configNode) { return; }
  var config = JSON.parse(configNode.textContent);
  var N = config.heartbeatSeconds * 1000;
  var IDLE = config.idleSeconds * 1000;
  var status = document.getElementById("study-status");
  var studied = document.getElementById("lesson-studied");
  var bar = document.getElementById("lesson-progress");
  var messages = JSON.parse(document.getElementById("study-messages").textContent);

  function randomId() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    return "d" + Date.now().toString(36) + Math.random().toString(36).slice(2);
  }
  var device = randomId();  // one heartbeat stream per open page
  var seq = 0;
  var lastTick = Date.now();
  var lastInput = -Infinity;  // opening the page is not yet studying: wait for input or a playing video
  var played = 0, skipped = 0;
  var queue = [];
  var sending = false;

  function markInput() { lastInput = Date.now(); }
  ["keydown", "pointerdown", "pointermove", "wheel", "touchstart", "scroll"].forEach(function (name) {
    window.addEventListener(name, markInput, { passive: true, capture: true });
  });

  var videos = Array.prototype.slice.call(document.querySelectorAll("video[data-study-video]"));
  videos.forEach(function (video) {
    var last = 0;
    video.addEventListener("timeupdate", function () {
      var delta = video.currentTime - last;
      // Normal playback advances a little per event; larger jumps are seeks.
      if (!video.seeking && delta > 0 && delta <= 2 * Math.max(video.playbackRate, 1)) { played += delta; }
      last = video.currentTime;
    });
    video.addEventListener("seeking", function () {
      if (video.currentTime > last + 1) { skipped += video.currentTime - last; }
      last = video.currentTime;
    });
  });
  function videoPlaying() {
    return videos.some(function (v) { return !v.paused && !v.ended; });
  }

  function show(state, text) {
    if (!status) { return; }
    status.dataset.state = state;
    status.textContent = text;
  }

  function formatSeconds(total) {
    total = Math.floor(total);
    var h = Math.floor(total / 3600), m = Math.floor(total % 3600 / 60), s = total % 60;
    return h + ":" + (m < 10 ? "0" : "") + m + ":" + (s < 10 ? "0" : "") + s;
  }

  function showProgress(seconds) {
    if (studied) { studied.textContent = formatSeconds(seconds); studied.dataset.seconds = seconds; }
    if (bar && config.declaredSeconds) {
      var percent = Math.min(100, Math.floor(seconds * 100 / config.declaredSeconds));
      bar.setAttribute("aria-valuenow", percent);
      bar.firstElementChild.style.width = percent + "%";
    }
  }

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function send() {
    if (sending || !queue.length) { return; }
    sending = true;
    var batch = queue.slice(0, 50);
    fetch(config.url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
      body: JSON.stringify({ heartbeats: batch })
    }).then(function (response) {
      return response.json().then(function (data) { return { ok: response.ok, data: data }; });
    }).then(function (answer) {
      queue = queue.slice(batch.length);  // every result is final: accepted or rejected
      var data = answer.data;
      if (!answer.ok) { show("error", data.error || messages.error); return; }
      if (data.lessons && data.lessons[String(config.lesson)] !== undefined) { showProgress(data.lessons[String(config.lesson)]); }
      var last = data.results[data.results.length - 1] || {};
      if (last.status === "rejected") { show("rejected", last.error); }
      else if (last.status === "capped") { show("complete", last.error || messages.complete); }
      else { show("counting", messages.counting); }
    }).catch(function () {
      show("offline", messages.offline);  // kept in the queue, sent with the next heartbeat
      if (queue.length > 20) { queue = queue.slice(queue.length - 20); }
    }).then(function () { sending = false; });
  }

  function tick() {
    var now = Date.now();
    var visible = document.visibilityState === "visible";
    var byInput = now - lastInput <= IDLE;
    var byVideo = videoPlaying() || played > 0;
    if (visible && (byInput || byVideo)) {
      seq += 1;
      queue.push({
        lesson: config.lesson, device: device, seq: seq,
        started_at: Math.max(lastTick, now - N), ended_at: now,
        activity: byInput ? "input" : "video",
        video_played: Math.round(played * 10) / 10, video_skipped: Math.round(skipped * 10) / 10
      });
      send();
    } else {
      show("paused", visible ? messages.idle : messages.hidden);
    }
    lastTick = now;
    played = 0;
    skipped = 0;
  }

  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") { lastTick = Date.now(); markInput(); }
  });
  showProgress(config.creditedSeconds);
  show("waiting", messages.waiting);
  window.setInterval(tick, N);
})();
