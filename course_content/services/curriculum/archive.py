"""The curriculum archive: a zip with ``manifest.json``, ``curriculum.json`` and the media
files (layout in the package docstring). Reading checks the format and every file's size
and SHA-256 against the manifest before anything is imported."""

import hashlib
import io
import json
import zipfile

from django.utils import timezone
from django.utils.translation import gettext as _

from . import FORMAT
from .importer import import_data
from .media import MediaSource

MAX_MEMBERS = 20000
MAX_JSON_BYTES = 64 * 1024 * 1024


class ArchiveRefused(Exception):
    """Not a curriculum archive we can read (``str(err)`` is a translated message)."""


def write_archive(data: dict, media, target) -> dict:
    """Write ``data`` and the collected ``media`` as an archive to ``target`` (path or
    binary file object); returns the manifest."""
    manifest = {
        "format": FORMAT, "program": data.get("program"), "created_at": timezone.now().isoformat(),
        "data": "curriculum.json", "media": sorted(media.entries.values(), key=lambda e: e["key"]),
    }
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1))
        zf.writestr("curriculum.json", json.dumps(data, ensure_ascii=False, indent=1, default=str))
        for entry in manifest["media"]:
            zf.writestr(entry["path"], media.files[entry["key"]], compress_type=zipfile.ZIP_STORED)
    return manifest


def archive_bytes(data: dict, media) -> bytes:
    buffer = io.BytesIO()
    write_archive(data, media, buffer)
    return buffer.getvalue()


class ArchiveMedia(MediaSource):
    """Media read from an open archive, by the manifest's entries."""

    def __init__(self, zf: zipfile.ZipFile, entries: list[dict]):
        self.zf = zf
        self.entries = {entry["key"]: entry for entry in entries}

    def entry(self, kind, key):
        entry = self.entries.get(key)
        return entry if entry is not None and entry.get("kind") == kind else None

    def read(self, entry):
        try:
            return self.zf.read(entry["path"])
        except KeyError:
            return b""


class Archive:
    """An opened, checked archive: ``manifest``, ``data``, ``media`` (a MediaSource) and
    ``damaged`` (media keys whose file is missing or does not match its checksum)."""

    def __init__(self, source):
        try:
            self.zf = zipfile.ZipFile(source)
            names = self.zf.namelist()
        except (zipfile.BadZipFile, OSError, ValueError) as err:
            raise ArchiveRefused(_("This file is not a curriculum archive (%(error)s).") % {"error": err}) from err
        if len(names) > MAX_MEMBERS or "manifest.json" not in names:
            raise ArchiveRefused(_("This file is not a curriculum archive (no manifest)."))
        try:
            self.manifest = json.loads(self._read_small("manifest.json"))
            if self.manifest.get("format") != FORMAT:
                raise ArchiveRefused(_("This archive has the format “%(found)s”; this site reads “%(format)s”.")
                                     % {"found": self.manifest.get("format"), "format": FORMAT})
            self.data = json.loads(self._read_small(self.manifest.get("data", "curriculum.json")))
        except (KeyError, ValueError, zipfile.BadZipFile) as err:
            raise ArchiveRefused(_("The archive is damaged: %(error)s") % {"error": err}) from err
        if not isinstance(self.data, dict) or not ({"program", "program_page"} <= set(self.data)):
            raise ArchiveRefused(_("The archive does not describe a program."))
        entries = [e for e in self.manifest.get("media", []) if isinstance(e, dict)]
        self.media = ArchiveMedia(self.zf, entries)
        self.damaged = [e["key"] for e in entries if not self._intact(e)]

    def _read_small(self, name) -> bytes:
        if self.zf.getinfo(name).file_size > MAX_JSON_BYTES:
            raise ValueError(f"{name} is too large")
        return self.zf.read(name)

    def _intact(self, entry) -> bool:
        try:
            data = self.zf.read(entry["path"])
        except (KeyError, zipfile.BadZipFile):
            return False
        return len(data) == entry.get("size") and hashlib.sha256(data).hexdigest() == entry.get("sha256")

    def import_into_site(self, mode: str, log=None, user=None):
        """Import into this site (see ``importer``); damaged media are reported as refused
        and so are the pages that use them."""
        report = import_data(self.data, mode=mode, media=self.media, log=log, user=user)
        for key in self.damaged:
            report.refused("media", key, _("The file is missing or does not match its checksum."))
        return report

    def close(self):
        self.zf.close()


def export_archive(program, target, *, purpose="archive", drafts=True, user=None) -> dict:
    from .exporter import export_program

    data, media = export_program(program, purpose=purpose, drafts=drafts, user=user)
    return write_archive(data, media, target)
