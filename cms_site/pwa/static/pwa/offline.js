/* Download for offline: stores a course module (pages, images, documents, optionally
 * videos) in the cache "pwa-module-<id>", lists what is stored and removes it.
 * The service worker answers from these caches when the network is gone. */
(function () {
  "use strict";
  const PREFIX = "pwa-module-";
  const script = document.currentScript;
  const currentUser = script ? script.dataset.user : undefined;  // undefined on shell pages
  const supported = "caches" in window && "serviceWorker" in navigator;

  const metaUrl = (cacheName) => "/pwa/offline-modules/" + cacheName.slice(PREFIX.length) + "/stored.json";
  const fill = (text, values) => text.replace(/\{(\w+)\}/g, (_, key) => (key in values ? values[key] : ""));

  function formatBytes(bytes) {
    if (bytes === null || bytes === undefined) return "?";
    if (bytes < 1024) return bytes + " B";
    const units = ["KB", "MB", "GB"];
    let value = bytes / 1024;
    let unit = 0;
    while (value >= 1024 && unit < units.length - 1) { value /= 1024; unit += 1; }
    return value.toFixed(value < 10 ? 1 : 0) + " " + units[unit];
  }

  async function storedMeta(cacheName) {
    const cache = await caches.open(cacheName);
    const response = await cache.match(metaUrl(cacheName));
    return response ? response.json() : null;
  }

  async function cacheSize(cacheName) {
    const cache = await caches.open(cacheName);
    let bytes = 0;
    const requests = await cache.keys();
    for (const request of requests) {
      const response = await cache.match(request);
      if (response) bytes += (await response.blob()).size;
    }
    return {bytes, files: requests.length - 1};
  }

  async function listStored() {
    const names = (await caches.keys()).filter((name) => name.startsWith(PREFIX));
    const items = [];
    for (const name of names) {
      const meta = await storedMeta(name);
      if (meta) items.push({name, meta, ...(await cacheSize(name))});
    }
    return items;
  }

  function subresources(html, pageUrl, withVideos) {
    const doc = new DOMParser().parseFromString(html, "text/html");
    const found = [];
    const add = (value) => {
      if (!value) return;
      const url = new URL(value, pageUrl);
      if (url.origin === location.origin) found.push(url.pathname + url.search);
    };
    doc.querySelectorAll("link[rel=stylesheet][href]").forEach((el) => add(el.getAttribute("href")));
    doc.querySelectorAll("script[src]").forEach((el) => add(el.getAttribute("src")));
    doc.querySelectorAll("img[src]").forEach((el) => add(el.getAttribute("src")));
    doc.querySelectorAll("video[poster]").forEach((el) => add(el.getAttribute("poster")));
    if (withVideos) doc.querySelectorAll("video source[src]").forEach((el) => add(el.getAttribute("src")));
    return found;
  }

  /* Stores a module; reports progress through onProgress(done, total). Returns the
   * list of URLs that could not be stored (empty on success). */
  async function downloadModule(manifestUrl, withVideos, onProgress) {
    const listing = await (await fetch(manifestUrl, {credentials: "same-origin", headers: {Accept: "application/json"}})).json();
    const cache = await caches.open(listing.cache);
    const queue = [...listing.pages, ...listing.assets.map((a) => a.url)];
    if (withVideos) queue.push(...listing.videos.map((v) => v.url));
    const seen = new Set(queue);
    const failed = [];
    let done = 0;
    onProgress(done, queue.length);
    for (let i = 0; i < queue.length; i += 1) {
      const url = queue[i];
      try {
        const response = await fetch(url, {credentials: "same-origin", cache: "no-cache"});
        if (!response.ok || response.redirected) throw new Error(String(response.status));
        if (listing.pages.includes(url)) {
          const html = await response.clone().text();
          for (const extra of subresources(html, new URL(url, location.href), withVideos)) {
            if (!seen.has(extra)) { seen.add(extra); queue.push(extra); }
          }
        }
        await cache.put(url, response);
      } catch (error) {
        failed.push(url);
      }
      done += 1;
      onProgress(done, queue.length);
    }
    const meta = {
      module: listing.module, owner: currentUser || null, saved_at: new Date().toISOString(),
      updated_at: listing.updated_at, videos: withVideos, failed,
    };
    await cache.put(metaUrl(listing.cache), new Response(JSON.stringify(meta), {headers: {"Content-Type": "application/json"}}));
    if (navigator.storage && navigator.storage.persist) navigator.storage.persist().catch(() => false);
    return failed;
  }

  /* A device used by several learners keeps only the downloads of whoever is logged in. */
  async function forgetOtherLearners() {
    if (!supported || !currentUser) return;
    for (const name of (await caches.keys()).filter((n) => n.startsWith(PREFIX))) {
      const meta = await storedMeta(name);
      if (meta && meta.owner && meta.owner !== currentUser) await caches.delete(name);
    }
  }

  async function initWidget(root) {
    const status = document.getElementById("pwa-download-status");
    const sizes = document.getElementById("pwa-download-sizes");
    const button = document.getElementById("pwa-download-button");
    const videos = document.getElementById("pwa-download-videos");
    const videoSize = document.getElementById("pwa-download-video-size");
    const msg = (name) => root.dataset["msg" + name];
    if (!supported) { status.textContent = msg("Unsupported"); button.disabled = true; return; }
    const cacheName = PREFIX + root.dataset.module;

    async function showState() {
      const meta = await storedMeta(cacheName);
      if (meta) {
        const {bytes} = await cacheSize(cacheName);
        status.textContent = fill(msg("Stored"), {date: new Date(meta.saved_at).toLocaleString(), size: formatBytes(bytes)});
        root.dataset.state = "stored";
      } else {
        status.textContent = msg("Absent");
        root.dataset.state = "absent";
      }
    }

    async function showSizes() {
      if (!navigator.onLine) return;
      try {
        const listing = await (await fetch(root.dataset.manifestUrl, {credentials: "same-origin", headers: {Accept: "application/json"}})).json();
        sizes.textContent = fill(msg("Sizes"), {assets: formatBytes(listing.assets_bytes), videos: formatBytes(listing.videos_bytes)});
        videoSize.textContent = formatBytes(listing.videos_bytes);
        videos.disabled = listing.videos.length === 0;
      } catch (error) { /* sizes are informative only */ }
    }

    button.addEventListener("click", async () => {
      if (!navigator.onLine) { status.textContent = msg("Offline"); return; }
      button.disabled = true;
      root.dataset.state = "downloading";
      try {
        const failed = await downloadModule(root.dataset.manifestUrl, videos.checked, (done, total) => {
          status.textContent = fill(msg("Progress"), {done, total});
        });
        if (failed.length) {
          await caches.delete(cacheName);  // a partial copy would fail later, offline
          status.textContent = fill(msg("Failed"), {count: failed.length});
          root.dataset.state = "failed";
        } else {
          await showState();
        }
      } catch (error) {
        status.textContent = fill(msg("Failed"), {count: "?"});
        root.dataset.state = "failed";
      } finally {
        button.disabled = false;
      }
    });
    await showState();
    await showSizes();
  }

  async function initStoragePage(root) {
    const list = document.getElementById("pwa-storage-list");
    const empty = document.getElementById("pwa-storage-empty");
    const usage = document.getElementById("pwa-storage-usage");
    const template = document.getElementById("pwa-storage-item");
    if (!supported) { usage.textContent = root.dataset.msgUnsupported; return; }

    async function render() {
      const items = await listStored();
      list.replaceChildren();
      for (const item of items) {
        const node = template.content.firstElementChild.cloneNode(true);
        node.dataset.cache = item.name;
        const link = node.querySelector(".pwa-storage-title");
        link.textContent = (item.meta.module.label ? item.meta.module.label + "：" : "") + item.meta.module.title;
        link.href = item.meta.module.url;
        node.querySelector(".pwa-storage-details").textContent = fill(root.dataset.msgDetails, {
          files: item.files, size: formatBytes(item.bytes), date: new Date(item.meta.saved_at).toLocaleString(),
        });
        node.querySelector(".pwa-storage-remove").addEventListener("click", async () => {
          await caches.delete(item.name);
          await render();
        });
        list.appendChild(node);
      }
      empty.hidden = items.length > 0;
      if (navigator.storage && navigator.storage.estimate) {
        const estimate = await navigator.storage.estimate();
        usage.textContent = fill(root.dataset.msgUsage, {usage: formatBytes(estimate.usage), quota: formatBytes(estimate.quota)});
      }
      root.dataset.ready = "1";
    }
    await render();
  }

  /* Heartbeats the service worker journaled offline and has not replayed yet. */
  function journalCount() {
    return new Promise((resolve) => {
      if (!("indexedDB" in window)) { resolve(0); return; }
      const request = indexedDB.open("pwa-journal", 1);
      request.onupgradeneeded = () => {
        request.result.createObjectStore("heartbeats", {autoIncrement: true});
        request.result.createObjectStore("meta");
      };
      request.onerror = () => resolve(0);
      request.onsuccess = () => {
        const db = request.result;
        const count = db.transaction("heartbeats").objectStore("heartbeats").count();
        count.onsuccess = () => { db.close(); resolve(count.result); };
        count.onerror = () => { db.close(); resolve(0); };
      };
    });
  }

  function csrfToken() {
    const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  /* Tell the worker who is logged in (journal entries are tagged with it) and ask it to
   * replay the journal whenever this page is, or comes back, online. */
  async function connectStudyJournal() {
    if (!("serviceWorker" in navigator) || currentUser === undefined) return;
    const registration = await navigator.serviceWorker.ready;
    const worker = () => navigator.serviceWorker.controller || registration.active;
    worker().postMessage({type: "STUDY_USER", user: currentUser || null});
    const replay = () => { if (navigator.onLine && currentUser) worker().postMessage({type: "REPLAY_STUDY", csrfToken: csrfToken()}); };
    window.addEventListener("online", replay);
    replay();
  }

  async function showJournal() {
    const node = document.getElementById("pwa-storage-journal");
    if (!node) return;
    const count = await journalCount();
    node.hidden = count === 0;
    node.textContent = fill(node.dataset.msg, {count});
  }

  window.pwaOffline = {downloadModule, listStored, formatBytes, journalCount};
  connectStudyJournal().catch((error) => console.warn(error));
  showJournal().catch(() => null);
  forgetOtherLearners().catch(() => null).then(() => {
    const widget = document.getElementById("pwa-download");
    if (widget) initWidget(widget).catch((error) => console.warn(error));
    const storage = document.getElementById("pwa-storage");
    if (storage) initStoragePage(storage).catch((error) => console.warn(error));
  });
})();
