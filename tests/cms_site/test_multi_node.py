"""Several app nodes share one site (docs/deploy.md, "Several nodes").

Two "nodes" are the production settings loaded in two processes that differ only in their
node-local ``CERTPLATFORM_DATA_DIR``, with ``DATABASE_URL``, ``REDIS_URL`` and
``CERTPLATFORM_SHARED_DIR`` set as on every node. Nothing is started or connected: the test
reads what each process resolved and proves, for every cache alias, every file storage, every
key file and every setting that names a path, that both nodes resolve the same shared thing.
A new setting or storage that lands in the node-local directory fails here until it is moved
to shared storage or listed in ``NODE_LOCAL`` with a reason. The balancer run is
tests/bench/bench_scaleout.py.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Settings that may name the node-local directory, and why.
NODE_LOCAL = {
    "DATA_DIR": "the node-local directory itself",
    "PROCTOR_FACE_MODEL_DIR": "a cache of the repaired face models, rebuilt from the package on each node",
}
SHARED_CACHE_BACKENDS = {"django_redis.cache.RedisCache", "django.core.cache.backends.redis.RedisCache",
                         "django.core.cache.backends.db.DatabaseCache"}
SHARED_SESSION_ENGINES = {"django.contrib.sessions.backends.db", "django.contrib.sessions.backends.cache_db",
                          "django.contrib.sessions.backends.cache", "django.contrib.sessions.backends.signed_cookies"}


def probe() -> None:
    """Run inside a node's process: print what this node resolved (JSON)."""
    import hashlib

    import django

    django.setup()
    from django.conf import settings
    from django.core.files.storage import storages

    from cert_plugin.services.signing import key_dir
    from cms_site.pwa.services.vapid import key_path
    from packs.services.signing import keys_dir

    def paths(value):
        if isinstance(value, (str, Path)) and str(value).startswith("/"):
            yield str(Path(value).resolve())
        elif isinstance(value, dict):
            for item in value.values():
                yield from paths(item)
        elif isinstance(value, (list, tuple)):
            for item in value:
                yield from paths(item)

    file_storages = {}
    for alias in settings.STORAGES:
        location = getattr(storages[alias], "location", None)
        if location and alias != "staticfiles":  # static files ship with each node's release
            file_storages[alias] = str(Path(location).resolve())
    db = settings.DATABASES["default"]
    print(json.dumps({
        "data_dir": str(Path(settings.DATA_DIR).resolve()),
        "database": [db["ENGINE"], db.get("HOST"), str(db.get("PORT")), db["NAME"]],
        "caches": {alias: [c["BACKEND"], c.get("LOCATION")] for alias, c in settings.CACHES.items()},
        "session": [settings.SESSION_ENGINE, settings.SESSION_CACHE_ALIAS],
        "secret": hashlib.sha256(settings.SECRET_KEY.encode()).hexdigest(),
        "storages": file_storages,
        "keys": {"certificate signing": str(key_dir().resolve()), "web push (VAPID)": str(key_path().resolve()),
                 "packs": str(keys_dir().resolve())},
        "setting_paths": {name: sorted(set(paths(getattr(settings, name)))) for name in dir(settings)
                          if name.isupper()},
    }))


def node(tmp_path, name, shared=True) -> dict:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms_site.settings.production",
        "DJANGO_SECRET_KEY": "one-secret-key-for-every-node-0123456789-abcdefghijklmnop",
        "ALLOWED_HOSTS": "cert.example.org",
        "SITE_BASE_URL": "https://cert.example.org",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/certplatform",
        "REDIS_URL": "redis://127.0.0.1:6379/3",
        "CERTPLATFORM_DATA_DIR": str(tmp_path / name),
        "CERTPLATFORM_SHARED_DIR": str(tmp_path / "shared"),
    }
    if not shared:
        env.pop("CERTPLATFORM_SHARED_DIR")
    for variable in ("LOCAL_MEMORY_CACHE", "DJANGO_ALLOW_ASYNC_UNSAFE", "CERTPLATFORM_TEST_DATA_DIR"):
        env.pop(variable, None)
    result = subprocess.run([sys.executable, "-c", "from tests.cms_site.test_multi_node import probe; probe()"],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def node_local(resolved: dict) -> list[str]:
    """Everything this node resolved into its own directory that is not declared node-local."""
    local = Path(resolved["data_dir"])
    found = [f"setting {name}: {path}" for name, paths in resolved["setting_paths"].items()
             if name not in NODE_LOCAL for path in paths if Path(path) == local or local in Path(path).parents]
    for kind in ("storages", "keys"):
        found += [f"{kind} {alias}: {path}" for alias, path in resolved[kind].items() if local in Path(path).parents]
    return found


def shared_facets(resolved: dict) -> dict:
    return {key: resolved[key] for key in ("database", "caches", "session", "secret", "storages", "keys")}


def test_two_nodes_resolve_the_same_shared_site(tmp_path):
    one, two = node(tmp_path, "node1"), node(tmp_path, "node2")
    assert one["data_dir"] != two["data_dir"]
    assert shared_facets(one) == shared_facets(two)
    assert node_local(one) == [] and node_local(two) == []
    shared = (tmp_path / "shared").resolve()
    for kind in ("storages", "keys"):
        for alias, path in one[kind].items():
            assert shared in Path(path).parents, (kind, alias, path)
    assert one["database"][0] == "django.db.backends.postgresql"
    for alias, (backend, _location) in one["caches"].items():
        assert backend in SHARED_CACHE_BACKENDS, f"cache {alias!r} is per node: {backend}"
    assert one["session"][0] in SHARED_SESSION_ENGINES
    assert {"private", "default"} <= set(one["storages"])


def test_without_shared_storage_the_node_local_files_are_reported(tmp_path):
    """The rule above can fail: without CERTPLATFORM_SHARED_DIR private files and keys stay
    in the node's own directory, where the other node never sees them."""
    alone = node(tmp_path, "node1", shared=False)
    reported = "\n".join(node_local(alone))
    for expected in ("storages private", "setting PRIVATE_MEDIA_ROOT", "setting MEDIA_ROOT", "keys certificate signing",
                     "keys web push (VAPID)", "keys packs"):
        assert expected in reported, reported
