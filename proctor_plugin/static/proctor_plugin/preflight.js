/* The pre-flight, as ONE sequence driven by the server's "next step":
 * rules -> camera -> face -> second camera -> full screen -> the exam (or, for the
 * device test, the summary page). Each step posts its result; the server decides
 * what comes next, so the page can be reloaded at any point. */
(function () {
  "use strict";
  var C = window.proctorCommon;
  var config = JSON.parse(document.getElementById("proctor-config").textContent);
  var S = C.strings();
  var video = document.getElementById("proctor-video");
  var message = document.getElementById("proctor-message");
  var stream = null;
  var pairingTimer = null;

  function say(text, kind) {
    message.textContent = text || "";
    message.className = "message" + (kind ? " " + kind : "");
    message.hidden = !text;
  }

  function show(step) {
    document.querySelectorAll("[data-panel]").forEach(function (panel) {
      panel.hidden = panel.getAttribute("data-panel") !== step;
    });
    var reached = false;
    document.querySelectorAll("#proctor-steps li").forEach(function (item) {
      var name = item.getAttribute("data-step");
      if (name === step) reached = true;
      item.className = name === step ? "current" : (reached ? "" : "done");
    });
    document.getElementById("proctor-preflight").setAttribute("data-step", step || "done");
    video.hidden = !(step === "camera" || step === "face") || !stream;
    if (step === "second_camera") startPairing();
    if (step !== "second_camera" && pairingTimer) { clearInterval(pairingTimer); pairingTimer = null; }
  }

  function advance(status) {
    config.next = status.next;
    show(status.next);
    if (status.next === "face" && status.fallback) document.getElementById("proctor-fallback").hidden = false;
    if (status.next === null) finish();
  }

  function failed(err) { say(err && err.message && err.status ? err.message : S.network, "error"); }

  function finish() {
    if (config.doneUrl) { window.location.assign(config.doneUrl); return; }
    if (config.enterUrl) document.getElementById("proctor-enter").submit();
  }

  function ensureCamera() {
    if (stream) return Promise.resolve(stream);
    return C.startCamera(video).then(function (s) { stream = s; video.hidden = false; return s; });
  }

  // rules
  var rulesCheck = document.getElementById("proctor-rules-check");
  if (rulesCheck) {
    rulesCheck.addEventListener("change", function () {
      document.getElementById("proctor-rules-accept").disabled = !rulesCheck.checked;
    });
    document.getElementById("proctor-rules-accept").addEventListener("click", function () {
      C.request(config.base + "rules/").then(advance, failed);
    });
  }

  // camera
  document.getElementById("proctor-camera-start").addEventListener("click", function () {
    say("");
    ensureCamera().then(function () { return C.request(config.base + "camera/"); }).then(advance, function (err) {
      if (err && err.status) failed(err); else say(S.cameraDenied, "error");
    });
  });

  // face (without a reference face on file there is no button: the photo upload is offered at once)
  var verifyButton = document.getElementById("proctor-face-verify");
  if (verifyButton) verifyButton.addEventListener("click", function () {
    var button = this;
    button.disabled = true;
    say(S.checking);
    ensureCamera()
      .then(function () { return C.captureFrame(video, 960); })
      .then(function (blob) { return C.uploadImage(config.base + "face/", blob); })
      .then(function (result) {
        if (result.passed) { say(S.passed, "success"); advance(result); return; }
        say(result.no_reference ? result.message : result.message + " " + S.failedTries + " " + result.failures, "error");
        if (result.fallback) document.getElementById("proctor-fallback").hidden = false;
      }, function (err) { if (err && err.status) failed(err); else say(S.cameraDenied, "error"); })
      .then(function () { button.disabled = false; });
  });
  document.getElementById("proctor-fallback").addEventListener("submit", function (event) {
    event.preventDefault();
    var file = document.getElementById("proctor-fallback-file").files[0];
    if (!file) return;
    var button = this.querySelector("button[type=submit]");
    button.disabled = true;
    say(S.checking);
    C.photoAsJpeg(file, 1280).then(function (jpeg) {
      return C.uploadImage(config.base + "face/photo/", jpeg);
    }, function () {
      throw Object.assign(new Error(S.notAnImage), { status: 400 });
    }).then(function (status) {
      say(S.reviewPending, "success");
      advance(status);
    }, failed).then(function () { button.disabled = false; });
  });

  // second camera
  function startPairing() {
    C.request(config.base + "pairing/").then(function (data) {
      document.getElementById("proctor-qr").innerHTML = data.qr;
      document.getElementById("proctor-qr-url").textContent = data.url;
      say(S.waitingPhone);
    }, failed);
    if (pairingTimer) return;
    pairingTimer = setInterval(function () {
      C.request(config.base + "status/", { method: "GET" }).then(function (status) {
        if (status.next !== "second_camera") { say(""); advance(status); }
      }, function () {});
    }, 2000);
  }
  document.getElementById("proctor-qr-new").addEventListener("click", startPairing);

  // full screen, then the exam
  document.getElementById("proctor-fullscreen").addEventListener("click", function () {
    var root = document.documentElement;
    var entering = root.requestFullscreen ? root.requestFullscreen() : Promise.reject(new Error("unsupported"));
    entering.then(function () { return C.request(config.base + "fullscreen/"); }, function () {
      say(S.fullscreenFailed, "error");
      throw null;
    }).then(advance, function (err) { if (err) failed(err); });
  });

  // resume where the server says we are
  if (config.next === "face" && !config.noReference) {
    ensureCamera().catch(function () { say(S.cameraDenied, "error"); });
  }
  show(config.next);
  if (config.next === null) finish();
})();
