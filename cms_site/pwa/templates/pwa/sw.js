{% autoescape off %}/* Service worker of the site, served from /sw.js so that its scope is the whole site.
 *
 * Hand-written rather than Workbox: the strategies below (precached shell, network-first
 * pages and other static files with an offline fallback, downloaded-module caches)
 * are a few dozen lines, and Workbox would need a copy or bundling step for its modules
 * plus a generated precache manifest, which Django already knows (see cms_site/pwa/services/shell.py).
 *
 * Caches: "pwa-shell-<version>" (precached at install), "pwa-static-<version>" (copies of
 * other static files as they are used, for offline), both deleted when a newer version activates; "pwa-module-<id>"
 * (a module downloaded for offline study) is kept across versions until the learner
 * removes it.
 */
const CONFIG = {{ config_json }};
const VERSION = CONFIG.version;
const SHELL_CACHE = "pwa-shell-" + VERSION;
const STATIC_CACHE = "pwa-static-" + VERSION;
const VERSIONED_PREFIXES = ["pwa-shell-", "pwa-static-"];

async function storable(response) {
  // A redirected response may not answer a navigation; store a fresh copy of its body.
  if (!response.redirected) return response;
  const body = await response.blob();
  return new Response(body, {status: response.status, statusText: response.statusText, headers: response.headers});
}

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(SHELL_CACHE);
    await Promise.all(CONFIG.precache.map(async (url) => {
      const response = await fetch(url, {cache: "reload", credentials: "same-origin"});
      if (!response.ok) throw new Error("precache failed: " + url + " " + response.status);
      await cache.put(url, await storable(response));
    }));
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    const names = await caches.keys();
    await Promise.all(names
      .filter((name) => VERSIONED_PREFIXES.some((prefix) => name.startsWith(prefix)))
      .filter((name) => name !== SHELL_CACHE && name !== STATIC_CACHE)
      .map((name) => caches.delete(name)));
  })());
});

self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type === "SKIP_WAITING") {
    self.skipWaiting();
  } else if (data.type === "STUDY_USER") {
    event.waitUntil(setStudyUser(data.user));
  } else if (data.type === "REPLAY_STUDY") {
    event.waitUntil(replayOnce(data.csrfToken).catch(() => null));
  } else if (data.type === "KEEP_OFFLINE") {
    event.waitUntil(keepOffline(data.cache, data.urls).catch(() => null));
  } else if (data.type === "FORGET_OFFLINE" && keepCacheName(data.cache)) {
    event.waitUntil(caches.delete(data.cache));
  } else if (data.type === "GET_VERSION" && event.ports[0]) {
    event.ports[0].postMessage({version: VERSION});
  }
});

/* Pages a page asks to keep for offline use (e.g. an open exam paper: the page, its
 * payload, its scripts), stored in "pwa-keep-<name>" caches, kept across versions, and
 * served by the network-first strategies below when the network is gone. A kept
 * page whose URL now redirects (the exam ended) is dropped. */
const KEEP_PREFIX = "pwa-keep-";
const keepCacheName = (name) => typeof name === "string" && name.startsWith(KEEP_PREFIX) && name.length < 100;

async function keepOffline(name, urls) {
  if (!keepCacheName(name) || !Array.isArray(urls)) return;
  const cache = await caches.open(name);
  await Promise.all(urls.slice(0, 50).map(async (url) => {
    const target = new URL(url, self.location.origin);
    if (target.origin !== self.location.origin) return;
    const response = await fetch(target.href, {credentials: "same-origin", cache: "no-store"});
    if (response.ok && !response.redirected) await cache.put(target.pathname + target.search, response);
  }));
}

async function forgetKept(request) {
  const names = (await caches.keys()).filter(keepCacheName);
  await Promise.all(names.map(async (name) => {
    const cache = await caches.open(name);
    if (await cache.match(request, {ignoreVary: true})) await caches.delete(name);
  }));
}

async function fromCaches(request) {
  return caches.match(request, {ignoreVary: true});
}

async function offlinePage() {
  const cached = await caches.match(CONFIG.offline_url, {ignoreVary: true});
  return cached || new Response("offline", {status: 503, headers: {"Content-Type": "text/plain"}});
}

async function page(request) {
  try {
    const response = await fetch(request);
    if (response.redirected) await forgetKept(request);
    return response;
  } catch (error) {
    return (await fromCaches(request)) || offlinePage();
  }
}

async function shellFile(request) {
  // Precached and versioned with the worker: the cache is always right.
  return (await caches.match(request, {ignoreVary: true})) || fetch(request);
}

async function staticFile(request) {
  // Other static files change on deploy under the same URL (no hashed names), so the
  // network wins; the copy kept here serves pages opened before, when offline.
  try {
    const response = await fetch(request);
    if (response.ok && response.type === "basic" && !new URL(request.url).pathname.startsWith(CONFIG.static_prefix + "wagtail")) {
      const cache = await caches.open(STATIC_CACHE);
      await cache.put(request, response.clone());
    }
    return response;
  } catch (error) {
    const cached = await fromCaches(request);
    if (cached) return cached;
    throw error;
  }
}

async function networkThenCache(request) {
  try {
    return await fetch(request);
  } catch (error) {
    const cached = await fromCaches(request);
    if (cached) return cached;
    throw error;
  }
}

/* Offline study journal. When the network is gone, the lesson page's heartbeats
 * (course_content/static/course_content/study.js posts them to CONFIG.heartbeat_url) are
 * kept in IndexedDB, tagged with the account the pages said is logged in, and answered
 * with "queued" so the page does not resend them. They are replayed to CONFIG.replay_url
 * (source "offline") before the next heartbeat goes out, or when a page says it is back
 * online; the server applies the same ledger rules as online. */
const JOURNAL_DB = "pwa-journal";
const JOURNAL_STORE = "heartbeats";
const META_STORE = "meta";
const REPLAY_BATCH = 200;

function openJournal() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(JOURNAL_DB, 1);
    request.onupgradeneeded = () => {
      request.result.createObjectStore(JOURNAL_STORE, {autoIncrement: true});
      request.result.createObjectStore(META_STORE);
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function journalTransaction(stores, mode, work) {
  const db = await openJournal();
  try {
    return await new Promise((resolve, reject) => {
      const transaction = db.transaction(stores, mode);
      let result;
      Promise.resolve(work(transaction)).then((value) => { result = value; });
      transaction.oncomplete = () => resolve(result);
      transaction.onerror = () => reject(transaction.error);
      transaction.onabort = () => reject(transaction.error);
    });
  } finally {
    db.close();
  }
}

const asPromise = (request) => new Promise((resolve, reject) => {
  request.onsuccess = () => resolve(request.result);
  request.onerror = () => reject(request.error);
});

function setStudyUser(user) {
  return journalTransaction([META_STORE], "readwrite", (t) => t.objectStore(META_STORE).put(user || null, "user"));
}

function journalAdd(items) {
  return journalTransaction([JOURNAL_STORE, META_STORE], "readwrite", async (t) => {
    const owner = await asPromise(t.objectStore(META_STORE).get("user"));
    const store = t.objectStore(JOURNAL_STORE);
    items.forEach((item) => store.add({owner: owner || null, journaled_at: Date.now(), heartbeat: item}));
  });
}

function journalEntries() {
  return journalTransaction([JOURNAL_STORE, META_STORE], "readonly", async (t) => {
    const store = t.objectStore(JOURNAL_STORE);
    const [keys, values, user] = await Promise.all([
      asPromise(store.getAllKeys()), asPromise(store.getAll()), asPromise(t.objectStore(META_STORE).get("user")),
    ]);
    return {user, entries: keys.map((key, index) => ({key, ...values[index]}))};
  });
}

function journalDelete(keys) {
  return journalTransaction([JOURNAL_STORE], "readwrite", (t) => {
    const store = t.objectStore(JOURNAL_STORE);
    keys.forEach((key) => store.delete(key));
  });
}

async function replayJournal(csrfToken) {
  const {user, entries} = await journalEntries();
  const orphans = entries.filter((entry) => !entry.owner);
  if (orphans.length) await journalDelete(orphans.map((entry) => entry.key));  // nobody to credit
  const mine = entries.filter((entry) => entry.owner && entry.owner === user);
  let sent = 0;
  for (let i = 0; i < mine.length; i += REPLAY_BATCH) {
    const batch = mine.slice(i, i + REPLAY_BATCH);
    const response = await fetch(CONFIG.replay_url, {
      method: "POST",
      credentials: "same-origin",
      headers: {"Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": csrfToken || ""},
      body: JSON.stringify({owner: user, heartbeats: batch.map((entry) => entry.heartbeat)}),
    });
    if (!response.ok) throw new Error("replay refused: " + response.status);
    await journalDelete(batch.map((entry) => entry.key));  // every result is final
    sent += batch.length;
  }
  if (sent) {
    const windows = await self.clients.matchAll({type: "window"});
    windows.forEach((client) => client.postMessage({type: "STUDY_REPLAYED", count: sent}));
  }
  return sent;
}

let replaying = null;
function replayOnce(csrfToken) {
  // One replay at a time; a heartbeat arriving meanwhile waits for it (order matters).
  if (!replaying) replaying = replayJournal(csrfToken).finally(() => { replaying = null; });
  return replaying;
}

function heartbeatItems(body) {
  try {
    const data = JSON.parse(body);
    if (Array.isArray(data)) return data;
    if (data && Array.isArray(data.heartbeats)) return data.heartbeats;
    return data ? [data] : [];
  } catch (error) {
    return [];
  }
}

async function heartbeat(request) {
  const body = await request.clone().text();
  const csrfToken = request.headers.get("X-CSRFToken");
  try {
    await replayOnce(csrfToken).catch(() => null);  // older, offline heartbeats first
    return await fetch(request);
  } catch (error) {
    const items = heartbeatItems(body);
    await journalAdd(items);
    const results = items.map((item) => ({seq: item.seq, status: "queued", credited_seconds: 0}));
    return new Response(JSON.stringify({results, queued: items.length}), {
      status: 200, headers: {"Content-Type": "application/json"},
    });
  }
}

// Media elements ask for byte ranges; a downloaded video is stored whole, so slice it.
async function rangeThenCache(request) {
  try {
    return await fetch(request);
  } catch (error) {
    const cached = await caches.match(request.url, {ignoreVary: true});
    if (!cached) throw error;
    const blob = await cached.blob();
    const match = /bytes=(\d*)-(\d*)/.exec(request.headers.get("range") || "");
    let start = match && match[1] ? Number(match[1]) : 0;
    let end = match && match[2] ? Math.min(Number(match[2]), blob.size - 1) : blob.size - 1;
    if (match && !match[1] && match[2]) {  // "bytes=-N": the last N bytes
      start = Math.max(0, blob.size - Number(match[2]));
      end = blob.size - 1;
    }
    return new Response(blob.slice(start, end + 1), {
      status: 206,
      headers: {
        "Content-Type": cached.headers.get("Content-Type") || "application/octet-stream",
        "Content-Range": `bytes ${start}-${end}/${blob.size}`,
        "Content-Length": String(end - start + 1),
        "Accept-Ranges": "bytes",
      },
    });
  }
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method === "POST" && url.pathname === CONFIG.heartbeat_url) {
    event.respondWith(heartbeat(request));
    return;
  }
  if (request.method !== "GET") return;
  if (request.mode === "navigate") {
    event.respondWith(page(request));
  } else if (CONFIG.precache.includes(url.pathname)) {
    event.respondWith(shellFile(request));
  } else if (url.pathname.startsWith(CONFIG.static_prefix)) {
    event.respondWith(staticFile(request));
  } else if (CONFIG.offline_prefixes.some((prefix) => url.pathname.startsWith(prefix))) {
    event.respondWith(request.headers.has("range") ? rangeThenCache(request) : networkThenCache(request));
  }
});

self.addEventListener("push", (event) => {
  let message = {};
  if (event.data) {
    try {
      message = event.data.json();
    } catch (error) {
      message = {title: event.data.text()};
    }
  }
  event.waitUntil(self.registration.showNotification(message.title || CONFIG.default_title, {
    body: message.body || "",
    tag: message.tag || undefined,
    icon: CONFIG.icon,
    lang: message.lang || undefined,
    data: {url: message.url || "/"},
  }));
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const target = new URL((event.notification.data && event.notification.data.url) || "/", self.location.origin);
  if (target.origin !== self.location.origin) return;  // only ever open our own pages
  event.waitUntil((async () => {
    const windows = await self.clients.matchAll({type: "window", includeUncontrolled: true});
    const open = windows.find((client) => client.url === target.href);
    if (open) return open.focus();
    return self.clients.openWindow(target.href);
  })());
});
{% endautoescape %}
