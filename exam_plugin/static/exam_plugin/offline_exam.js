/* Keeps a copy of the open exam page on this device so that a reload while offline still
 * opens it: when the page loads online under the site's service worker, it asks the worker
 * (message "KEEP_OFFLINE", cms_site/pwa/templates/pwa/sw.js) to store the page, the paper
 * payload of this attempt (questions and option texts only; no answer keys ever leave the
 * server before release) and the page's own scripts and styles in the cache
 * "pwa-keep-exam-<attempt>". The answers themselves live in the IndexedDB journal
 * (exam_journal.js). When the exam ends the copy is dropped ("FORGET_OFFLINE"). */
(function () {
  "use strict";
  var root = document.getElementById("exam");
  if (!root || !("serviceWorker" in navigator)) { return; }
  var cacheName = "pwa-keep-exam-" + root.dataset.attempt;

  function post(message) {
    return navigator.serviceWorker.ready.then(function (registration) {
      var worker = navigator.serviceWorker.controller || registration.active;
      if (worker) { worker.postMessage(message); }
    });
  }

  function keep() {
    if (navigator.onLine === false) { return; }
    var urls = [location.pathname, root.dataset.api + "attempts/" + root.dataset.attempt];
    document.querySelectorAll("script[src], link[rel=stylesheet][href]").forEach(function (node) {
      var url = new URL(node.src || node.href, location.href);
      if (url.origin === location.origin) { urls.push(url.pathname); }
    });
    post({ type: "KEEP_OFFLINE", cache: cacheName, urls: urls });
  }

  if (window.examJournal) {
    window.examJournal.onState(function (state) {
      if (state === "closed") { post({ type: "FORGET_OFFLINE", cache: cacheName }); }
    });
  }
  if (document.readyState === "complete") { keep(); } else { window.addEventListener("load", keep); }
})();
