"""The scale-out benchmark's cluster on one machine: a throwaway PostgreSQL database, a Redis
database number, one shared directory, N gunicorn nodes with their own local directories
(production settings, as on separate machines) and HAProxy in front. See bench_scaleout.py.
"""

import csv
import io
import json
import os
import shutil
import signal
import socket
import subprocess
import textwrap
import time
import urllib.request
from pathlib import Path

from tests.bench.bench_autosave import GUNICORN, PYTHON, ROOT, free_port

PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
SECRET_KEY = "scale-out-bench-one-secret-key-for-every-node-0123456789"
PASSWORD = "Scale-Out-2026!"

# Production settings, as deployed; only what a benchmark must change: static files are not
# collected (no manifest), logging is quiet.
NODE_SETTINGS = """
from cms_site.settings.production import *  # noqa
from cms_site.settings.production import STORAGES
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
LOGGING = {"version": 1, "disable_existing_loggers": True, "root": {"level": "CRITICAL"}}
"""


def _wait_http(url: str, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer")


class Node:
    """One app node: gunicorn with production settings and its own CERTPLATFORM_DATA_DIR."""

    def __init__(self, cluster: "Cluster", name: str):
        self.name, self.cluster = name, cluster
        self.data_dir = cluster.tmp / name
        self.data_dir.mkdir()
        self.env = {**cluster.env, "CERTPLATFORM_DATA_DIR": str(self.data_dir)}
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.proc = None

    def start(self, workers: int) -> None:
        # A session of its own: the master and its workers form one process group, killed together.
        self.proc = subprocess.Popen(
            [str(GUNICORN), "cms_site.wsgi", "-b", f"127.0.0.1:{self.port}", "-w", str(workers), "-k", "gthread",
             "--threads", "8", "--backlog", "4096", "--log-level", "warning"],
            cwd=ROOT, env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        _wait_http(f"{self.base}/healthz")

    def pids(self) -> list[int]:
        """Live processes of this node's process group (master and workers)."""
        if not self.proc:
            return []
        found = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    stat = (entry / "stat").read_text()
                except OSError:
                    continue
                fields = stat[stat.rindex(")") + 2:].split()
                if int(fields[2]) == self.proc.pid and fields[0] != "Z":
                    found.append(int(entry.name))
        return found

    def kill(self) -> int:
        """SIGKILL the master and every worker at once; returns how many processes died."""
        victims = self.pids()
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(30)
        deadline = time.monotonic() + 10
        while self.pids() and time.monotonic() < deadline:
            time.sleep(0.05)
        if self.pids():
            raise RuntimeError(f"{self.name} survived SIGKILL: {self.pids()}")
        self.proc = None
        return len(victims)

    def stop(self) -> None:
        if self.proc:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
            self.proc = None


class Balancer:
    """HAProxy (Debian's package) as an unprivileged process on a free port."""

    def __init__(self, cluster: "Cluster", name: str = "haproxy"):
        self.dir = cluster.tmp / name
        self.dir.mkdir()
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.socket = self.dir / "stats.sock"
        self.proc = None

    def config(self, nodes: list[Node]) -> str:
        servers = "\n".join(
            f"    server {n.name} 127.0.0.1:{n.port} check inter 1s fall 2 rise 2 maxconn 64" for n in nodes)
        return textwrap.dedent("""
            global
                maxconn 8000
                stats socket {socket} mode 600 level operator
            defaults
                mode http
                timeout connect 2s
                timeout client 60s
                timeout server 30s
                timeout queue 30s
                # A busy node answers /healthz late, not never: only a refused or silent node is down.
                timeout check 10s
                # A save that reached no server, or whose server died before answering, is
                # sent to another one: saves are idempotent (a sequence number per answer).
                retries 3
                option redispatch 1
                retry-on conn-failure empty-response junk-response
                option http-server-close
            frontend exam
                bind 127.0.0.1:{port}
                default_backend nodes
            backend nodes
                balance roundrobin
                option httpchk
                http-check send meth GET uri /healthz ver HTTP/1.1 hdr Host 127.0.0.1
                http-check expect status 200
            {servers}
        """).format(socket=self.socket, port=self.port, servers=servers)

    def start(self, nodes: list[Node]) -> None:
        path = self.dir / "haproxy.cfg"
        path.write_text(self.config(nodes))
        subprocess.run(["haproxy", "-c", "-q", "-f", str(path)], check=True)
        unprivileged = {}
        if os.geteuid() == 0:  # never run the balancer as root
            shutil.chown(self.dir, "nobody")
            os.chmod(path, 0o644)
            unprivileged = {"user": "nobody", "group": "nogroup"}
        self.proc = subprocess.Popen(["haproxy", "-db", "-f", str(path)], stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL, start_new_session=True, **unprivileged)
        _wait_http(f"{self.base}/healthz", 30)
        self.wait_up(len(nodes))

    def stats(self) -> dict[str, dict]:
        """Per server: status, total sessions, retries and redispatches (HAProxy 'show stat')."""
        with socket.socket(socket.AF_UNIX) as s:
            s.connect(str(self.socket))
            s.sendall(b"show stat\n")
            raw = b""
            while chunk := s.recv(65536):
                raw += chunk
        rows = csv.DictReader(io.StringIO(raw.decode().lstrip("# ")))
        return {r["svname"]: {"status": r["status"], "sessions": int(r["stot"] or 0), "retries": int(r["wretr"] or 0),
                              "redispatched": int(r["wredis"] or 0)} for r in rows if r["pxname"] == "nodes"}

    def wait_up(self, count: int, seconds: float = 30) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if sum(1 for name, s in self.stats().items() if name != "BACKEND" and s["status"] == "UP") == count:
                return
            time.sleep(0.2)
        raise RuntimeError(f"HAProxy does not see {count} nodes up: {self.stats()}")

    def stop(self) -> None:
        if self.proc:
            self.proc.terminate()
            self.proc.wait(30)
            self.proc = None


class Cluster:
    """Shared services (PostgreSQL database, Redis db number, shared directory) and the nodes."""

    def __init__(self, tmp: Path, redis_db: int):
        self.tmp = tmp
        self.pg_name = f"bench_scaleout_{os.getpid()}"
        self.database_url = f"postgres://postgres@127.0.0.1:5432/{self.pg_name}"
        self.redis_url = f"redis://127.0.0.1:6379/{redis_db}"
        self.shared = tmp / "shared"
        self.shared.mkdir()
        settings_dir = tmp / "settings"
        settings_dir.mkdir()
        (settings_dir / "bench_settings.py").write_text(NODE_SETTINGS)
        self.env = {
            **{k: v for k, v in os.environ.items() if k not in ("DJANGO_ALLOW_ASYNC_UNSAFE", "LOCAL_MEMORY_CACHE")},
            "DJANGO_SETTINGS_MODULE": "bench_settings", "PYTHONPATH": f"{settings_dir}:{ROOT}",
            "BENCH_SETTINGS_DIR": str(settings_dir),
            "DJANGO_SECRET_KEY": SECRET_KEY, "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SITE_BASE_URL": "https://exam.example.org", "SECURE_SSL_REDIRECT": "0",
            "DATABASE_URL": self.database_url, "REDIS_URL": self.redis_url,
            "CERTPLATFORM_SHARED_DIR": str(self.shared),
        }
        self.nodes: list[Node] = []
        self.balancer = None

    def create(self) -> None:
        import psycopg
        import redis

        with psycopg.connect(PG_ADMIN, autocommit=True) as db:
            db.execute(f'CREATE DATABASE "{self.pg_name}"')
        redis.Redis.from_url(self.redis_url).flushdb()

    def prepare(self, n: int) -> dict:
        """Migrate and create ``n`` candidates with open attempts (in a child process)."""
        out = self.tmp / "prepared.json"
        env = {**self.env, "CERTPLATFORM_DATA_DIR": str(self.tmp / "prepare")}
        subprocess.run([str(PYTHON), "-m", "tests.bench.bench_scaleout_cluster", str(out), str(n)], cwd=ROOT, env=env,
                       check=True)
        data = json.loads(out.read_text())
        data["candidates"] = [tuple(c) for c in data["candidates"]]
        return data

    def add_node(self, name: str) -> Node:
        node = Node(self, name)
        self.nodes.append(node)
        return node

    def stored_seqs(self) -> dict[tuple[int, int], int]:
        import psycopg

        with psycopg.connect(self.database_url.replace("postgres://", "postgresql://")) as db:
            rows = db.execute("SELECT attempt_id, position, seq FROM exam_plugin_attemptitem").fetchall()
        return {(a, p): s for a, p, s in rows}

    def query(self, sql: str, *params):
        import psycopg

        with psycopg.connect(self.database_url.replace("postgres://", "postgresql://")) as db:
            return db.execute(sql, params).fetchall()

    def destroy(self) -> None:
        import psycopg
        import redis

        if self.balancer:
            self.balancer.stop()
        for node in self.nodes:
            node.stop()
        with psycopg.connect(PG_ADMIN, autocommit=True) as db:
            db.execute(f'DROP DATABASE IF EXISTS "{self.pg_name}" WITH (FORCE)')
        redis.Redis.from_url(self.redis_url).flushdb()


def _prepare_child(out: Path, n: int) -> None:
    """Candidates from the autosave benchmark, plus a password and a registration for the first."""
    from tests.bench.bench_autosave import prepare

    candidates = prepare(Path(os.environ["CERTPLATFORM_DATA_DIR"]), Path(os.environ["BENCH_SETTINGS_DIR"]), n)
    from django.contrib.auth import get_user_model

    from course_content.models import ProgramLevel
    from course_content.registration.services.registrations import start_registration

    user = get_user_model().objects.get(username="bench00000")
    user.set_password(PASSWORD)
    user.save(update_fields=["password"])
    # The prepared session carries the old password's hash: renew it, or it would be refused.
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session

    Session.objects.filter(session_key=candidates[0][0]).update(session_data=SessionStore().encode({
        "_auth_user_id": str(user.pk), "_auth_user_backend": "cms_site.accounts.backends.IdentityBackend",
        "_auth_user_hash": user.get_session_auth_hash()}))
    registration = start_registration(user, ProgramLevel.objects.get(program__slug="energy", code="junior"))
    out.write_text(json.dumps({"candidates": candidates, "username": user.username, "registration": registration.pk}))


if __name__ == "__main__":
    import sys

    _prepare_child(Path(sys.argv[1]), int(sys.argv[2]))
