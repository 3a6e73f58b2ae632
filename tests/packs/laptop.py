"""A second installation for pack and archive tests: its own data directory and SQLite
database, driven through ``manage.py`` in a subprocess. Migrating takes minutes on a
loaded machine, so one migrated, otherwise empty database is made per test process and
copied for each site."""

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
_TEMPLATE: list[Path] = []


def manage(data_dir, *args, check=True, **extra_env):
    """Run ``manage.py`` on the installation in ``data_dir``; returns the finished process."""
    env = {**os.environ, "CERTPLATFORM_DATA_DIR": str(data_dir), "CERTPLATFORM_TEST_DATA_DIR": str(data_dir),
           "DJANGO_SETTINGS_MODULE": "cms_site.settings.test", **extra_env}
    env.pop("DATABASE_URL", None)
    done = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=600)
    if check:
        assert done.returncode == 0, done.stderr[-3000:]
    return done


def laptop(data_dir, *args, **extra_env) -> str:
    """``manage.py`` on the second installation; its stdout (fails the test on an error)."""
    return manage(data_dir, *args, **extra_env).stdout


def empty_site(data_dir) -> Path:
    """A fresh installation in ``data_dir``: migrated, no content, no keys."""
    if not _TEMPLATE:
        template = Path(tempfile.mkdtemp(prefix="certplatform-empty-site-"))
        manage(template, "migrate", "-v0")
        _TEMPLATE.append(template)
    data_dir = Path(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    for name in ("db.sqlite3", "db.sqlite3-wal"):
        if (_TEMPLATE[0] / name).exists():
            shutil.copy(_TEMPLATE[0] / name, data_dir / name)
    return data_dir
