"""The configured program model, and finding a program by its URL path, fast: the plugin
gate does it on every request.

The framework knows programs only through one setting, ``PLUGINS_PROGRAM_MODEL``
(``"app_label.ModelName"``, here ``"course_content.ProgramPage"``), resolved with
``apps.get_model``. The model provides:

- ``program_path``: the program's path below the program index (``energy``,
  ``dual-carbon/asset``), used in plugin URLs;
- ``for_program_path(path)`` (classmethod): the live program at ``path``, or None.

``program_for_path`` and ``plugins.services.enabled_labels`` read through a small
in-process cache (:class:`GateCache`). It stays correct because

- every page save/delete/publish/unpublish/move and every plugin switch calls
  :func:`invalidate_programs` (receivers in ``plugins.receivers``), which empties this
  process's cache at once and bumps a version key in Django's cache (shared between
  processes when the cache is Redis);
- each lookup compares that version (one cache read) and a process never keeps an entry
  longer than ``PROGRAM_CACHE_MAX_AGE`` seconds (default 10), which bounds staleness for
  other processes when the cache is the per-process local-memory one.

Cached programs are handed out as shallow copies, so per-request attributes set on one
(``request.program``) never leak into another request.
"""

import copy
import threading
import time
import uuid

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import transaction

VERSION_KEY = "plugins:program-cache-version"
_MISSING = object()


def program_model():
    """The model class named by ``settings.PLUGINS_PROGRAM_MODEL``."""
    return apps.get_model(settings.PLUGINS_PROGRAM_MODEL)


class GateCache:
    """Process-local maps (``paths``: path -> program or None; ``labels``: pk -> labels),
    dropped whole when the shared version changes or they grow older than the max age."""

    def __init__(self):
        self._lock = threading.Lock()
        self._version = None
        self._born = 0.0
        self.maps: dict[str, dict] = {}

    def _max_age(self) -> float:
        return float(getattr(settings, "PROGRAM_CACHE_MAX_AGE", 10))

    def _current(self) -> dict[str, dict]:
        version = cache.get(VERSION_KEY)
        now = time.monotonic()
        with self._lock:
            if version != self._version or now - self._born > self._max_age():
                self.maps = {}
                self._version = version
                self._born = now
            return self.maps

    def get(self, space: str, key, default=_MISSING):
        return self._current().get(space, {}).get(key, default)

    def put(self, space: str, key, value) -> None:
        maps = self._current()
        with self._lock:
            maps.setdefault(space, {})[key] = value

    def clear(self) -> None:
        with self._lock:
            self.maps = {}
            self._version = object()  # forces a version re-read on the next lookup


gate_cache = GateCache()


def invalidate_programs(**_kwargs) -> None:
    """Forget cached programs and plugin states here and (via the version key) everywhere.

    Inside a transaction it runs again on commit, so a lookup made before the commit
    cannot keep an uncommitted view alive."""
    gate_cache.clear()
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(_invalidate_after_commit)


def _invalidate_after_commit():
    gate_cache.clear()
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)


def cached_program(program_path: str):
    """The cached instance of the live program at ``program_path`` (or None): shared by every
    request of this process until the cache drops it, so never hand it to a request (see
    :func:`program_for_path`). The gate memoises the program's plugin labels on it."""
    path = program_path.strip("/")
    program = gate_cache.get("paths", path)
    if program is _MISSING:
        program = program_model().for_program_path(path)
        if program is not None:
            program.program_path  # noqa: B018 - computed once, kept on the cached instance
        gate_cache.put("paths", path, program)
    return program


def program_for_path(program_path: str):
    """The live program whose path below the program index is ``program_path`` (a fresh
    copy), or None."""
    program = cached_program(program_path)
    return fresh_copy(program) if program is not None else None


def fresh_copy(instance):
    """A copy of a cached model instance for one request: what ``copy.copy`` makes through
    ``Model.__reduce__``/``__getstate__`` (its own ``__dict__``, ``_state`` and fields cache),
    without the pickle protocol's detour, which cost every gated request ~0.05 ms."""
    clone = instance.__class__.__new__(instance.__class__)
    state = instance.__dict__.copy()
    state["_state"] = copy.copy(state["_state"])
    state["_state"].fields_cache = state["_state"].fields_cache.copy()
    clone.__dict__ = state
    return clone
