"""Consistent backups of the database and the uploaded files, and their restore.

A backup is one ``.tar.gz`` holding ``manifest.json``, the database (``db.sqlite3``
written with SQLite's online backup API — consistent while the site keeps writing in
WAL mode — or ``db.dump`` from ``pg_dump -Fc``) and ``files/media`` + ``files/private``
(ID photos, materials, exam snapshots). Restore replaces the database content and the
files with the backup's.
"""

import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils import timezone

FORMAT_VERSION = 1


class BackupError(Exception):
    pass


def _file_roots() -> dict[str, Path]:
    return {"media": Path(settings.MEDIA_ROOT), "private": Path(settings.PRIVATE_MEDIA_ROOT)}


def _pg_env_and_args(settings_dict) -> tuple[dict, list[str]]:
    env = {**os.environ}
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    args = ["-h", settings_dict.get("HOST") or "127.0.0.1", "-p", str(settings_dict.get("PORT") or 5432)]
    if settings_dict.get("USER"):
        args += ["-U", settings_dict["USER"]]
    return env, args


def _dump_database(workdir: Path) -> str:
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        target = sqlite3.connect(workdir / "db.sqlite3")
        try:
            connection.connection.backup(target)
        finally:
            target.close()
        return "db.sqlite3"
    if connection.vendor == "postgresql":
        env, args = _pg_env_and_args(connection.settings_dict)
        subprocess.run(
            ["pg_dump", "-Fc", "--no-owner", *args, "-f", str(workdir / "db.dump"), connection.settings_dict["NAME"]],
            check=True, env=env, capture_output=True,
        )
        return "db.dump"
    raise BackupError(f"Backups are not supported for {connection.vendor}")


def create_backup(output: Path) -> Path:
    """Write a backup archive to ``output`` (a file path or an existing directory)."""
    output = Path(output)
    if output.is_dir():
        output = output / f"certplatform-{timezone.localtime():%Y%m%d-%H%M%S}.tar.gz"
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        db_file = _dump_database(workdir)
        manifest = {
            "format": FORMAT_VERSION,
            "created_at": timezone.now().isoformat(),
            "vendor": connection.vendor,
            "database": db_file,
        }
        (workdir / "manifest.json").write_text(json.dumps(manifest, indent=2))
        partial = output.with_suffix(output.suffix + ".partial")
        with tarfile.open(partial, "w:gz") as archive:
            archive.add(workdir / "manifest.json", "manifest.json")
            archive.add(workdir / db_file, db_file)
            for name, root in _file_roots().items():
                if root.exists():
                    archive.add(root, f"files/{name}")
        partial.replace(output)  # a crash mid-write never leaves a truncated archive behind
    return output


def _safe_members(archive: tarfile.TarFile):
    for member in archive.getmembers():
        if member.name.startswith("/") or ".." in Path(member.name).parts or member.issym() or member.islnk():
            raise BackupError(f"Unsafe path in backup: {member.name}")
        yield member


def read_manifest(archive_path: Path) -> dict:
    with tarfile.open(archive_path, "r:gz") as archive:
        return json.load(archive.extractfile("manifest.json"))


def restore_backup(archive_path: Path) -> dict:
    """Replace the database and files with the backup's; returns its manifest."""
    manifest = read_manifest(archive_path)
    if manifest.get("format") != FORMAT_VERSION:
        raise BackupError("Unknown backup format")
    if manifest["vendor"] != connection.vendor:
        raise BackupError(f"This backup is for {manifest['vendor']}, the site runs on {connection.vendor}")
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        with tarfile.open(archive_path, "r:gz") as archive:
            archive.extractall(workdir, members=_safe_members(archive), filter="data")
        _restore_database(workdir / manifest["database"])
        for name, root in _file_roots().items():
            source = workdir / "files" / name
            if root.exists():
                shutil.rmtree(root)
            if source.exists():
                shutil.copytree(source, root)
    return manifest


def _restore_database(dump: Path):
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        source = sqlite3.connect(dump)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
        return
    env, args = _pg_env_and_args(connection.settings_dict)
    name = connection.settings_dict["NAME"]
    connection.close()
    subprocess.run(
        ["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction", *args, "-d", name, str(dump)],
        check=True, env=env, capture_output=True,
    )

