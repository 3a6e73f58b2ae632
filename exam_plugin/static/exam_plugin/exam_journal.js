/*
 * examJournal — every answer change is written to IndexedDB at once and flushed to the
 * server within 2 s with a per-answer sequence number.
 *
 * API (window.examJournal):
 *   open(attemptId, apiBase)      -> Promise; opens the journal of one attempt
 *   local()                       -> Promise<Map(position -> {value, seq, acked, written_at})>
 *   adopt(position, value, seq)   -> Promise; take the server's copy (seq) when it is newer
 *   record(position, value)       -> Promise<seq>; journal a change (next seq) and schedule a flush
 *   pending()                     -> Promise<entries not yet acknowledged by the server>
 *   flush()                       -> Promise<state>; send pending entries now
 *   onState(cb)                   -> cb(state, detail) on every change:
 *                                    "saved" | "saving" | "pending" | "offline" | "error" | "closed"
 *                                    | "auth" (401/403: the session expired; answers stay
 *                                    journaled and are retried every 3 s until a new login)
 * The server upsert ignores stale sequence numbers, so flushing twice is harmless.
 *   recordEvent({type, kind, at}) -> journal a proctoring event ("leave"|"back") a watcher
 *                                    could not report live; starts an offline spell
 *   markOffline()                 -> a request of the page got no answer: start a spell
 *   inSpell()                     -> true while a spell waits to be replayed (hold other
 *                                    requests back until then: the replay must come first)
 *   pendingEvents()               -> journaled events not yet replayed
 *   marks() / setMark(pos, on)    -> questions marked for review (kept on this device)
 * A service worker may replay the same POSTs: body {answers: [{position, seq, value, client_written_at}]}.
 * After a flush failed for want of a network (an offline spell), the next flush goes to
 * <api>/attempts/<id>/offline-replay with {answers, events, sent_at}, so the server
 * records the spell from its last contact, applies its reconnect window and the
 * exam-room rules to the events (see exam_plugin/offline.py). Its answer carries the
 * paper's status: a paper the rules handed in closes the journal ("closed").
 */
(function () {
  "use strict";
  var DB_NAME = "exam_journal", STORE = "answers", FLUSH_DELAY_MS = 300, RETRY_MS = 1000, AUTH_RETRY_MS = 3000;
  var db = null, attemptId = null, apiBase = null, listeners = [], timer = null, inFlight = null, closed = false;
  var saveToken = null; // X-Exam-Token from the paper/clock responses: saves skip the session read
  var memory = new Map(); // fallback when IndexedDB is unavailable (private mode)

  function openDb() {
    return new Promise(function (resolve) {
      if (!window.indexedDB) { resolve(null); return; }
      var req = indexedDB.open(DB_NAME, 1);
      req.onupgradeneeded = function () {
        req.result.createObjectStore(STORE, { keyPath: ["attempt", "position"] });
      };
      req.onsuccess = function () { resolve(req.result); };
      req.onerror = function () { resolve(null); };
    });
  }

  function tx(mode, fn) {
    return new Promise(function (resolve, reject) {
      if (!db) { resolve(fn(null)); return; }
      var t = db.transaction(STORE, mode), store = t.objectStore(STORE), out;
      out = fn(store);
      t.oncomplete = function () { resolve(out && out.result !== undefined ? out.result : out); };
      t.onerror = function () { reject(t.error); };
    });
  }

  function all() {
    if (!db) {
      return Promise.resolve(Array.from(memory.values()));
    }
    return new Promise(function (resolve, reject) {
      var t = db.transaction(STORE, "readonly");
      var req = t.objectStore(STORE).getAll(IDBKeyRange.bound([attemptId, -Infinity], [attemptId, Infinity]));
      req.onsuccess = function () { resolve(req.result); };
      req.onerror = function () { reject(req.error); };
    });
  }

  function get(position) {
    if (!db) { return Promise.resolve(memory.get(position) || null); }
    return new Promise(function (resolve) {
      var req = db.transaction(STORE, "readonly").objectStore(STORE).get([attemptId, position]);
      req.onsuccess = function () { resolve(req.result || null); };
      req.onerror = function () { resolve(null); };
    });
  }

  function put(entry) {
    if (!db) { memory.set(entry.position, entry); return Promise.resolve(); }
    return tx("readwrite", function (store) { store.put(entry); });
  }

  function emit(state, detail) {
    listeners.forEach(function (cb) { try { cb(state, detail); } catch (e) { /* a listener's bug is not ours */ } });
  }

  function csrfToken() {
    var m = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return m ? decodeURIComponent(m[1]) : "";
  }

  /* An offline spell: from the first flush the network refused until the server answers
   * again. Kept in localStorage so a reload while offline still knows it. */
  function spellKey() { return "exam_plugin.offline_since." + attemptId; }
  function inSpell() { try { return Boolean(localStorage.getItem(spellKey())); } catch (e) { return false; } }
  function startSpell() {
    try { if (!localStorage.getItem(spellKey())) { localStorage.setItem(spellKey(), new Date().toISOString()); } } catch (e) { /* no storage */ }
  }
  function endSpell() { try { localStorage.removeItem(spellKey()); } catch (e) { /* no storage */ } }

  /* Proctoring events journaled during a spell, in order (localStorage: survives a reload). */
  function eventsKey() { return "exam_plugin.events." + attemptId; }
  function readJson(key, fallback) {
    try { return JSON.parse(localStorage.getItem(key) || "null") || fallback; } catch (e) { return fallback; }
  }
  function writeJson(key, value) { try { localStorage.setItem(key, JSON.stringify(value)); } catch (e) { /* no storage */ } }
  function pendingEvents() { return readJson(eventsKey(), []); }
  function eventId() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    return Date.now().toString(36) + "-" + Math.random().toString(36).slice(2, 12);
  }
  function recordEvent(event) {
    var events = pendingEvents();
    events.push({ id: eventId(), type: event.type, kind: event.kind || "fullscreen", at: event.at || new Date().toISOString() });
    events.sort(function (a, b) { return a.at < b.at ? -1 : a.at > b.at ? 1 : 0; }); // stable: time order
    writeJson(eventsKey(), events.slice(-200));
    startSpell();
    schedule(FLUSH_DELAY_MS);
  }
  function forgetEvents(sent) {
    var ids = {};
    sent.forEach(function (e) { ids[e.id] = true; });
    var left = pendingEvents().filter(function (e) { return !ids[e.id]; });
    if (left.length) { writeJson(eventsKey(), left); } else { try { localStorage.removeItem(eventsKey()); } catch (e) { /* no storage */ } }
    return left.length;
  }
  function marksKey() { return "exam_plugin.marked." + attemptId; }

  function schedule(delay) {
    if (closed) { return; }
    clearTimeout(timer);
    timer = setTimeout(function () { flush(); }, delay);
  }

  function pending() {
    return all().then(function (entries) {
      return entries.filter(function (e) { return e.seq > (e.acked || 0); });
    });
  }

  function flush() {
    if (closed) { return Promise.resolve("closed"); }
    if (inFlight) { return inFlight.then(function () { return flush(); }); }
    inFlight = pending().then(function (entries) {
      if (!entries.length && !inSpell()) { emit("saved"); return "saved"; }
      emit("saving", { count: entries.length });
      var replay = inSpell(); // after an offline spell the server records it and applies the rules
      var events = replay ? pendingEvents() : [];
      var payload = { answers: entries.map(function (e) {
        return { position: e.position, seq: e.seq, value: e.value, client_written_at: e.written_at };
      }) };
      if (replay) { payload.events = events; payload.sent_at = new Date().toISOString(); }
      var body = JSON.stringify(payload);
      var url = apiBase + "attempts/" + attemptId + (replay ? "/offline-replay" : "/answers");
      var headers = { "Content-Type": "application/json", "X-CSRFToken": csrfToken() };
      if (saveToken && !replay) { headers["X-Exam-Token"] = saveToken; }
      return fetch(url, {
        method: "POST", credentials: "same-origin",
        headers: headers,
        body: body,
      }).catch(function (err) { startSpell(); throw err; }).then(function (resp) {
        if (resp.status === 409) {
          closed = true;
          return resp.json().then(function (data) { emit("closed", data); return "closed"; });
        }
        if (resp.status === 401 || resp.status === 403) {
          // The session expired (or was logged out): keep everything journaled, tell the
          // page to offer a new login, and keep retrying; the first flush after the login
          // (same cookies) sends it all.
          if (!pendingEvents().length) { endSpell(); } // journaled events still need the replay
          emit("auth", { status: resp.status });
          schedule(AUTH_RETRY_MS);
          return "auth";
        }
        if (!resp.ok) { throw new Error("HTTP " + resp.status); }
        if (!replay || !forgetEvents(events)) { endSpell(); }
        return resp.json().then(function (data) {
          if (data.status && data.status !== "in_progress") { // the exam-room rules handed the paper in
            closed = true;
            emit("closed", { detail: data.hand_in_reason });
            return "closed";
          }
          var updates = entries.map(function (e) {
            var acked = data.acked[String(e.position)];
            if (acked === undefined || acked === null) { return null; }
            return get(e.position).then(function (cur) {
              if (!cur) { return null; }
              cur.acked = Math.max(cur.acked || 0, acked);
              if (acked > cur.seq) { cur.seq = acked; } // the server knows a newer change (another tab)
              return put(cur);
            });
          });
          return Promise.all(updates).then(function () {
            var errs = Object.keys(data.errors || {});
            if (errs.length) { emit("error", { errors: data.errors }); return "error"; }
            return pending().then(function (left) {
              if (left.length) { schedule(FLUSH_DELAY_MS); emit("pending"); return "pending"; }
              emit("saved", data); return "saved";
            });
          });
        });
      }).catch(function (err) {
        emit(navigator.onLine === false ? "offline" : "error", { error: String(err) });
        schedule(RETRY_MS);
        return navigator.onLine === false ? "offline" : "error";
      });
    }).finally(function () { inFlight = null; });
    return inFlight;
  }

  window.examJournal = {
    open: function (id, base) {
      attemptId = Number(id); apiBase = base; closed = false;
      return openDb().then(function (handle) { db = handle; });
    },
    local: function () {
      return all().then(function (entries) {
        var map = new Map();
        entries.forEach(function (e) { map.set(e.position, e); });
        return map;
      });
    },
    adopt: function (position, value, seq) {
      return get(position).then(function (cur) {
        if (cur && cur.seq >= seq) { return cur; }
        var entry = { attempt: attemptId, position: position, value: value, seq: seq, acked: seq, written_at: null };
        return put(entry).then(function () { return entry; });
      });
    },
    record: function (position, value) {
      return get(position).then(function (cur) {
        var entry = cur || { attempt: attemptId, position: position, seq: 0, acked: 0 };
        entry.value = value;
        entry.seq = (entry.seq || 0) + 1;
        entry.written_at = new Date().toISOString();
        return put(entry).then(function () {
          emit("pending");
          schedule(FLUSH_DELAY_MS);
          return entry.seq;
        });
      });
    },
    pending: pending,
    flush: flush,
    onState: function (cb) { listeners.push(cb); },
    isClosed: function () { return closed; },
    inSpell: inSpell,
    setSaveToken: function (token) { saveToken = token || null; },
    recordEvent: recordEvent,
    markOffline: function () { if (!closed) { startSpell(); schedule(RETRY_MS); } },
    pendingEvents: pendingEvents,
    marks: function () { return readJson(marksKey(), []); },
    setMark: function (position, on) {
      var marks = readJson(marksKey(), []).filter(function (p) { return p !== position; });
      if (on) { marks.push(position); marks.sort(function (a, b) { return a - b; }); }
      writeJson(marksKey(), marks);
      return marks;
    },
  };

  window.addEventListener("online", function () { if (attemptId !== null) { flush(); } });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden" && attemptId !== null) { flush(); }
  });
})();
