"""Where secrets come from: the environment, or (dev only) a generated local file."""

import os
import secrets
from pathlib import Path


def local_secret(path: Path, env_var: str) -> str:
    """Return ``env_var`` if set, else a random secret persisted in ``path`` (created 0600)."""
    if os.environ.get(env_var):
        return os.environ[env_var]
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_urlsafe(50))
    return path.read_text().strip()
