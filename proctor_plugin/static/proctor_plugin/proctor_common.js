/* Shared helpers of the proctor plugin's pages: CSRF-protected requests and camera frames. */
(function () {
  "use strict";

  function csrfToken() {
    var field = document.querySelector("input[name=csrfmiddlewaretoken]");
    if (field) return field.value;
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function request(url, options) {
    options = options || {};
    var headers = { "X-CSRFToken": csrfToken(), "X-Requested-With": "fetch" };
    var body = options.body;
    if (options.json !== undefined) {
      headers["Content-Type"] = "application/json";
      body = JSON.stringify(options.json);
    }
    return fetch(url, {
      method: options.method || "POST", headers: headers, body: body,
      credentials: "same-origin", keepalive: !!options.keepalive,
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        if (!response.ok) {
          var error = new Error(data.error || ("HTTP " + response.status));
          error.status = response.status;
          throw error;
        }
        return data;
      });
    });
  }

  function strings() {
    var node = document.getElementById("proctor-strings");
    return node ? JSON.parse(node.textContent) : {};
  }

  /** A JPEG Blob of the video's current frame (at most ``maxWidth`` wide). */
  function captureFrame(video, maxWidth) {
    var width = video.videoWidth, height = video.videoHeight;
    if (!width || !height) return Promise.reject(new Error("no frame"));
    var scale = Math.min(1, (maxWidth || 960) / width);
    var canvas = document.createElement("canvas");
    canvas.width = Math.round(width * scale);
    canvas.height = Math.round(height * scale);
    canvas.getContext("2d").drawImage(video, 0, 0, canvas.width, canvas.height);
    return new Promise(function (resolve, reject) {
      canvas.toBlob(function (blob) { blob ? resolve(blob) : reject(new Error("encode")); }, "image/jpeg", 0.85);
    });
  }

  function uploadImage(url, blob) {
    var form = new FormData();
    form.append("image", blob, "frame.jpg");
    return request(url, { body: form });
  }

  function startCamera(video, constraints) {
    return navigator.mediaDevices.getUserMedia(constraints || { video: true, audio: false }).then(function (stream) {
      video.srcObject = stream;
      return new Promise(function (resolve) {
        if (video.readyState >= 2 && video.videoWidth) return resolve(stream);
        video.addEventListener("loadeddata", function () { resolve(stream); }, { once: true });
        video.play().catch(function () {});
      });
    });
  }

  window.proctorCommon = {
    request: request, strings: strings, captureFrame: captureFrame, uploadImage: uploadImage, startCamera: startCamera,
  };
})();
