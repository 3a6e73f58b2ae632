/* The notifications switch for this device and the test button (pwa/notifications.html).
   Talks to the site API (/api/push/…): errors are {"detail": "…"}; 409 on subscribe means
   this browser's subscription is bound to another account, so it is replaced by a fresh
   one (a new endpoint) that belongs to the current user. */
(function () {
  "use strict";
  const root = document.getElementById("pwa-push");
  if (!root) return;
  const status = document.getElementById("pwa-push-status");
  const onButton = document.getElementById("pwa-push-on");
  const offButton = document.getElementById("pwa-push-off");
  const testButton = document.getElementById("pwa-push-test");
  const msg = (name) => root.dataset["msg" + name];

  function csrfToken() {
    const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  class ApiError extends Error {
    constructor(message, status) { super(message); this.status = status; }
  }

  async function post(url, body) {
    const response = await fetch(url, {
      method: "POST", credentials: "same-origin",
      headers: {"Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": csrfToken()},
      body: JSON.stringify(body || {}),
    });
    if (!response.ok) {
      const data = await response.json().catch(() => ({}));
      const detail = typeof data.detail === "string" ? data.detail : msg("Failed");
      throw new ApiError(detail, response.status);
    }
    return response.json();
  }

  function keyBytes(base64url) {
    const padded = base64url.replace(/-/g, "+").replace(/_/g, "/") + "=".repeat((4 - base64url.length % 4) % 4);
    return Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
  }

  function show(subscribed, text) {
    onButton.hidden = subscribed;
    offButton.hidden = !subscribed;
    status.textContent = text;
  }

  async function turnOn() {
    const permission = await Notification.requestPermission();
    if (permission !== "granted") return show(false, msg("Denied"));
    const registration = await navigator.serviceWorker.ready;
    const key = (await (await fetch(root.dataset.keyUrl)).json()).public_key;
    const options = {userVisibleOnly: true, applicationServerKey: keyBytes(key)};
    let subscription = await registration.pushManager.subscribe(options);
    try {
      await post(root.dataset.subscribeUrl, subscription.toJSON());
    } catch (error) {
      if (error.status !== 409) throw error;
      // Bound to another account (a shared browser): start over with a new endpoint.
      await subscription.unsubscribe();
      subscription = await registration.pushManager.subscribe(options);
      await post(root.dataset.subscribeUrl, subscription.toJSON());
    }
    window.location.reload();
  }

  async function turnOff() {
    const registration = await navigator.serviceWorker.ready;
    const subscription = await registration.pushManager.getSubscription();
    if (subscription) {
      await post(root.dataset.unsubscribeUrl, {endpoint: subscription.endpoint}).catch(() => null);
      await subscription.unsubscribe();
    }
    window.location.reload();
  }

  async function init() {
    if (!("serviceWorker" in navigator) || !("PushManager" in window) || !("Notification" in window)) {
      status.textContent = msg("Unsupported");
      return;
    }
    if (Notification.permission === "denied") return show(false, msg("Denied"));
    const registration = await navigator.serviceWorker.ready;
    const subscription = await registration.pushManager.getSubscription();
    show(Boolean(subscription), subscription ? msg("On") : msg("Off"));
  }

  async function sendTest() {
    await post(root.dataset.testUrl, {});
    status.textContent = msg("TestSent");
  }

  const guard = (action) => () => action().catch((error) => { status.textContent = error.message || msg("Failed"); });
  onButton.addEventListener("click", guard(turnOn));
  offButton.addEventListener("click", guard(turnOff));
  if (testButton) testButton.addEventListener("click", guard(sendTest));
  guard(init)();
})();
