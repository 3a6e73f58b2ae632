/* Registers the service worker, offers "update available" when a new version has been
 * installed, and shows an offline notice. Loaded on every page from base.html. */
(function () {
  "use strict";
  const script = document.currentScript;
  const swUrl = (script && script.dataset.swUrl) || "/sw.js";

  function setupOfflineNotice() {
    const notice = document.getElementById("pwa-offline-status");
    if (!notice) return;
    const update = () => { notice.hidden = navigator.onLine; };
    window.addEventListener("online", update);
    window.addEventListener("offline", update);
    update();
  }

  function offerUpdate(worker) {
    const banner = document.getElementById("pwa-update");
    const button = document.getElementById("pwa-update-reload");
    if (!banner || !button) return;
    banner.hidden = false;
    button.onclick = () => {
      button.disabled = true;
      window.sessionStorage.setItem("pwa-updating", "1");
      worker.postMessage({type: "SKIP_WAITING"});
    };
  }

  async function register() {
    if (!("serviceWorker" in navigator)) return;
    const registration = await navigator.serviceWorker.register(swUrl, {scope: "/", updateViaCache: "none"});
    // A worker already waiting (installed on an earlier page) while an older one controls us.
    if (registration.waiting && navigator.serviceWorker.controller) offerUpdate(registration.waiting);
    registration.addEventListener("updatefound", () => {
      const worker = registration.installing;
      if (!worker) return;
      worker.addEventListener("statechange", () => {
        // "installed" with a controller present means a newer version waits; on the very
        // first install there is nothing to update.
        if (worker.state === "installed" && navigator.serviceWorker.controller) offerUpdate(worker);
      });
    });
    navigator.serviceWorker.addEventListener("controllerchange", () => {
      if (window.sessionStorage.getItem("pwa-updating") !== "1") return;
      window.sessionStorage.removeItem("pwa-updating");
      window.location.reload();
    });
    window.pwaRegistration = registration;
  }

  setupOfflineNotice();
  register().catch((error) => console.warn("service worker registration failed", error));
})();
