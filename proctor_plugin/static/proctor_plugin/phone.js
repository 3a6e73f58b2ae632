/* The phone page: pair once with the QR token, then send a frame every N seconds. */
(function () {
  "use strict";
  var C = window.proctorCommon;
  var root = document.getElementById("proctor-phone");
  var token = root.getAttribute("data-token");
  var interval = parseInt(root.getAttribute("data-interval"), 10) * 1000;
  var S = JSON.parse(document.getElementById("proctor-phone-strings").textContent);
  var video = document.getElementById("proctor-phone-video");
  var message = document.getElementById("proctor-message");
  var base = root.getAttribute("data-api");  // the proctor API's phone/<token>/ prefix
  var timer = null;

  function say(text, kind) {
    message.textContent = text;
    message.className = "message" + (kind ? " " + kind : "");
    message.hidden = !text;
  }

  function send() {
    C.captureFrame(video, 640).then(function (blob) { return C.uploadImage(base + "snapshot/", blob); }).then(function (data) {
      if (data.ended) { clearInterval(timer); say(S.ended); video.srcObject.getTracks().forEach(function (t) { t.stop(); }); }
      else say(S.sending, "success");
    }, function () { say(S.lost, "error"); });
  }

  document.getElementById("proctor-phone-start").addEventListener("click", function () {
    var button = this;
    C.request(base + "pair/").then(function () {
      return C.startCamera(video, { video: { facingMode: "environment" }, audio: false });
    }).then(function () {
      button.hidden = true;
      send();
      timer = setInterval(send, interval);
    }, function (err) { say(err && err.status ? err.message : S.camera, "error"); });
  });
})();
