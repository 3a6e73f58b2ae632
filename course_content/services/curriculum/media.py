"""Wagtail images and documents inside a curriculum: content-addressed keys.

A media key is ``<kind>/<sha256 of the file>`` (kind ``image`` or ``document``): the same
file has the same key on every site, so a page that references it compares equal after
an import, and importing twice never duplicates a file.

``MediaCollector`` (export) turns local ids into keys and remembers the files to pack.
``MediaResolver`` (import) turns keys back into local ids: an existing image/document
with the same content is reused, otherwise one is created from the source's bytes
after checking them against the manifest's checksums.
"""

import hashlib
from io import BytesIO
from pathlib import Path, PurePosixPath

from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.utils.translation import gettext as _
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

KINDS = ("image", "document")


class MediaRefused(Exception):
    """A media reference that cannot be resolved (``str(err)`` is the reason)."""


def model_for(kind: str):
    if kind == "image":
        return get_image_model()
    if kind == "document":
        return get_document_model()
    raise MediaRefused(f"unknown media kind {kind!r}")


def read_file(obj) -> bytes:
    with obj.file.open("rb") as handle:
        return handle.read()


class MediaCollector:
    """Local image/document ids → media keys; ``entries`` is the manifest, ``files`` the bytes."""

    def __init__(self):
        self.entries: dict[str, dict] = {}
        self.files: dict[str, bytes] = {}
        self._by_id: dict[tuple[str, int], str] = {}

    def key(self, kind: str, obj_id) -> str | None:
        """The key of image/document ``obj_id`` (None when it no longer exists or its file is gone)."""
        if obj_id in (None, ""):
            return None
        if isinstance(obj_id, str) and not obj_id.isdigit():
            return None
        cache = (kind, int(obj_id))
        if cache in self._by_id:
            return self._by_id[cache]
        obj = model_for(kind).objects.filter(pk=int(obj_id)).first()
        try:
            data = read_file(obj) if obj is not None else None
        except (OSError, ValueError):
            data = None
        if data is None:
            self._by_id[cache] = None
            return None
        sha256 = hashlib.sha256(data).hexdigest()
        key = f"{kind}/{sha256}"
        if key not in self.entries:
            filename = PurePosixPath(obj.file.name).name
            self.entries[key] = {
                "key": key, "kind": kind, "title": obj.title, "filename": filename,
                "path": f"media/{kind}/{sha256}/{filename}", "size": len(data), "sha256": sha256,
                "sha1": hashlib.sha1(data).hexdigest(),  # noqa: S324 - Wagtail's own file_hash
            }
            self.files[key] = data
        self._by_id[cache] = key
        return key


class MediaSource:
    """Where an importer reads media: manifest entries and bytes by key."""

    def entry(self, kind: str, key: str) -> dict | None:
        raise NotImplementedError

    def read(self, entry: dict) -> bytes:
        raise NotImplementedError


class NoMedia(MediaSource):
    def entry(self, kind, key):
        return None


class DirectoryMedia(MediaSource):
    """Fixture media: a key is a path relative to ``base`` (e.g. ``content/media/chart.png``)."""

    def __init__(self, base: Path):
        self.base = Path(base).resolve()

    def entry(self, kind, key):
        path = (self.base / key).resolve()
        if not path.is_file() or self.base not in path.parents:
            return None
        data = path.read_bytes()
        return {"key": key, "kind": kind, "title": path.stem, "filename": path.name, "size": len(data),
                "sha256": hashlib.sha256(data).hexdigest(), "_data": data}

    def read(self, entry):
        return entry["_data"]


class MediaResolver:
    """Media keys → local ids, creating images/documents that are missing.

    ``created`` lists the keys whose files were added to this site.
    """

    def __init__(self, source: MediaSource):
        self.source = source
        self.created: list[str] = []
        self._ids: dict[tuple[str, str], int] = {}
        self._hashed: set[str] = set()

    def local_id(self, kind: str, key: str) -> int:
        if (kind, key) in self._ids:
            return self._ids[(kind, key)]
        entry = self.source.entry(kind, key)
        if entry is None:
            raise MediaRefused(_("The file %(key)s is not in the archive.") % {"key": key})
        data = self.source.read(entry)
        sha256 = hashlib.sha256(data).hexdigest()
        if sha256 != entry["sha256"] or len(data) != int(entry["size"]):
            raise MediaRefused(_("The file %(key)s does not match its checksum.") % {"key": key})
        model = model_for(kind)
        sha1 = hashlib.sha1(data).hexdigest()  # noqa: S324 - Wagtail's own file_hash
        obj = self._existing(model, sha1, sha256)
        if obj is None:
            name = entry.get("filename") or "file"
            file = ImageFile(BytesIO(data), name=name) if kind == "image" else ContentFile(data, name=name)
            obj = model(title=entry.get("title") or name, file=file, file_hash=sha1)
            if kind == "image":
                obj.file_size = len(data)
            obj.save()
            self.created.append(key)
        self._ids[(kind, key)] = obj.pk
        return obj.pk

    def _backfill_hashes(self, model):
        """Files uploaded without Wagtail's form have no ``file_hash`` yet: fill it in once."""
        label = model._meta.label
        if label in self._hashed:
            return
        self._hashed.add(label)
        for obj in model.objects.filter(file_hash=""):
            try:
                digest = hashlib.sha1(read_file(obj)).hexdigest()  # noqa: S324
            except (OSError, ValueError):
                continue
            model.objects.filter(pk=obj.pk).update(file_hash=digest)

    def _existing(self, model, sha1: str, sha256: str):
        self._backfill_hashes(model)
        for obj in model.objects.filter(file_hash=sha1):
            try:
                if hashlib.sha256(read_file(obj)).hexdigest() == sha256:
                    return obj
            except (OSError, ValueError):
                continue
        return None
