/* Shared helpers of the proctor plugin's pages: CSRF-protected requests to the proctor
 * API (errors are {"detail": "..."}), camera frames, and images sent as base64 JSON. */
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
          // {"detail": "<translated>"}; ninja's validation errors carry a list instead.
          var detail = typeof data.detail === "string" ? data.detail : "";
          var error = new Error(detail || ("HTTP " + response.status));
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

  function base64Of(blob) {
    return new Promise(function (resolve, reject) {
      var reader = new FileReader();
      reader.onload = function () { resolve(String(reader.result).split(",", 2)[1] || ""); };
      reader.onerror = function () { reject(new Error("read")); };
      reader.readAsDataURL(blob);
    });
  }

  /** POST an image Blob as {"image": "<base64>"}. */
  function uploadImage(url, blob) {
    return base64Of(blob).then(function (image) { return request(url, { json: { image: image } }); });
  }

  /** A chosen photo file as a JPEG Blob at most ``maxSide`` pixels on its longer side
   * (phone photos are several MB; the server takes at most 1.5 MB). */
  function photoAsJpeg(file, maxSide) {
    return new Promise(function (resolve, reject) {
      var url = URL.createObjectURL(file);
      var img = new Image();
      img.onload = function () {
        URL.revokeObjectURL(url);
        var scale = Math.min(1, (maxSide || 1280) / Math.max(img.naturalWidth, img.naturalHeight));
        var canvas = document.createElement("canvas");
        canvas.width = Math.max(1, Math.round(img.naturalWidth * scale));
        canvas.height = Math.max(1, Math.round(img.naturalHeight * scale));
        canvas.getContext("2d").drawImage(img, 0, 0, canvas.width, canvas.height);
        canvas.toBlob(function (blob) { blob ? resolve(blob) : reject(new Error("encode")); }, "image/jpeg", 0.88);
      };
      img.onerror = function () { URL.revokeObjectURL(url); reject(new Error("not an image")); };
      img.src = url;
    });
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
    request: request, strings: strings, captureFrame: captureFrame, uploadImage: uploadImage, photoAsJpeg: photoAsJpeg,
    startCamera: startCamera,
  };
})();
