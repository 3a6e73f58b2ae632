/* Measured study time on a lesson page.
 *
 * - A live counter ("已学 0 学时 12 分 05 秒") ticks every second while the lesson counts:
 *   the page is visible, the learner has not been asked "still studying?", and the lesson
 *   still has class hours to earn. Between heartbeats the browser adds elapsed seconds for
 *   display only; every heartbeat answer resets it to the server's total for this lesson.
 * - Every N seconds of counting time a heartbeat reports the span to the server, which
 *   decides what is credited (course_content/studying/).
 * - After the program's prompt time without input (keys, pointer, scroll, touch) and with
 *   no video playing, a modal dialog asks "still studying?": counter and heartbeats pause
 *   until it is answered. The first heartbeat after the answer claims only time since the
 *   answer, and the server's own bound (time since the previous heartbeat it received)
 *   refuses the unanswered time whatever a client claims. */
(function () {
  "use strict";
  var configNode = document.getElementById("study-config");
  if (!configNode) { return; }
  var config = JSON.parse(configNode.textContent);
  var messages = JSON.parse(document.getElementById("study-messages").textContent);
  var N = config.heartbeatSeconds * 1000;
  var PROMPT = config.promptSeconds * 1000;
  var status = document.getElementById("study-status");
  var studied = document.getElementById("lesson-studied");
  var bar = document.getElementById("lesson-progress");
  var dialog = document.getElementById("still-studying");

  function randomId() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    return "d" + Date.now().toString(36) + Math.random().toString(36).slice(2);
  }
  var device = randomId();  // one heartbeat stream per open page
  var seq = 0;
  var lastTick = Date.now();   // end of the span the last heartbeat covered
  var lastInput = Date.now();  // opening the lesson counts as starting to study
  var asking = false;
  var complete = false;
  var played = 0, skipped = 0;
  var queue = [];
  var sending = false;
  var shownSeconds = config.creditedSeconds;  // what the counter shows (server total + local ticks)
  var lastSecond = Date.now();

  function markInput() { if (!asking) { lastInput = Date.now(); } }
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
    if (status.dataset.state === state && status.textContent === text) { return; }
    status.dataset.state = state;
    status.textContent = text;
  }

  function two(n) { return (n < 10 ? "0" : "") + n; }

  /* Seconds of study in the program's class-hour unit: class hours, minutes, seconds. */
  function formatStudied(total) {
    var perHour = config.classHourSeconds;
    total = Math.max(0, Math.floor(total));
    var hours = Math.floor(total / perHour);
    var nominal = Math.floor((total % perHour) * config.minutesPerClassHour * 60 / perHour);
    return messages.studied.replace("{hours}", hours).replace("{minutes}", Math.floor(nominal / 60))
      .replace("{seconds}", two(nominal % 60));
  }

  function render() {
    var seconds = Math.min(shownSeconds, config.declaredSeconds || shownSeconds);
    if (studied) {
      var text = formatStudied(seconds);
      if (studied.textContent !== text) { studied.textContent = text; }
      studied.dataset.seconds = Math.floor(seconds);
    }
    if (bar && config.declaredSeconds) {
      var percent = Math.min(100, Math.floor(seconds * 100 / config.declaredSeconds));
      bar.setAttribute("aria-valuenow", percent);
      bar.firstElementChild.style.width = percent + "%";
    }
  }

  function counting() {
    return document.visibilityState === "visible" && !asking && !complete;
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
      if (!answer.ok) { show("error", typeof data.detail === "string" ? data.detail : messages.error); return; }
      if (data.lessons && data.lessons[String(config.lesson)] !== undefined) {
        // Reconcile: the server's total is the truth; local ticks only fill the gap until the next answer.
        shownSeconds = data.lessons[String(config.lesson)];
        lastSecond = Date.now();
        render();
      }
      var last = data.results[data.results.length - 1] || {};
      if (last.status === "rejected") { show("rejected", last.error); }
      else if (last.status === "capped" || shownSeconds >= config.declaredSeconds) {
        complete = true;
        show("complete", messages.complete);
      } else if (!asking) { show("counting", messages.counting); }
    }).catch(function () {
      show("offline", messages.offline);  // kept in the queue, sent with the next heartbeat
      if (queue.length > 20) { queue = queue.slice(queue.length - 20); }
    }).then(function () { sending = false; });
  }

  function heartbeat() {
    var now = Date.now();
    if (document.visibilityState === "visible" && !asking) {
      var recentInput = now - lastInput <= N;
      var byVideo = videoPlaying() || played > 0;
      seq += 1;
      queue.push({
        lesson: config.lesson, device: device, seq: seq,
        started_at: Math.max(lastTick, now - N), ended_at: now,
        // Only a playing video kept the learner here: the server credits just the seconds played.
        activity: byVideo && !recentInput ? "video" : "input",
        video_played: Math.round(played * 10) / 10, video_skipped: Math.round(skipped * 10) / 10
      });
      send();
    }
    lastTick = now;
    played = 0;
    skipped = 0;
  }

  function ask() {
    asking = true;
    heartbeat();  // report the time up to the prompt; nothing more until it is answered
    show("paused", messages.asking);
    if (dialog && typeof dialog.showModal === "function") {
      if (!dialog.open) { dialog.showModal(); }
    } else if (dialog) {
      dialog.setAttribute("open", "");
    }
  }

  function answered() {
    asking = false;
    var now = Date.now();
    lastInput = now;
    lastTick = now;  // the unanswered time is never claimed
    lastSecond = now;
    if (!complete) { show("counting", messages.counting); }
  }

  if (dialog) {
    dialog.addEventListener("close", answered);
    dialog.addEventListener("cancel", function (event) { event.preventDefault(); });  // Esc does not answer
  }

  function everySecond() {
    var now = Date.now();
    if (counting()) {
      shownSeconds += (now - lastSecond) / 1000;
      render();
      if (now - lastInput >= PROMPT && !videoPlaying()) { ask(); }
    } else if (document.visibilityState !== "visible" && !asking && !complete) {
      show("paused", messages.hidden);
    }
    lastSecond = now;
  }

  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") {
      var now = Date.now();
      lastTick = now;
      lastSecond = now;
      markInput();
    }
  });
  complete = config.declaredSeconds > 0 && config.creditedSeconds >= config.declaredSeconds;
  render();
  show(complete ? "complete" : "counting", complete ? messages.complete : messages.counting);
  window.setInterval(everySecond, 1000);
  window.setInterval(heartbeat, N);
})();
