"""A real exam server for fault tests: gunicorn in its own process group on a file SQLite
database under a temporary CERTPLATFORM_DATA_DIR, prepared by the autosave benchmark's
``prepare`` (a sitting with candidates, each with an open attempt and a session)."""

import json
import os
import signal
import socket
import subprocess
import textwrap
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]
PYTHON = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
CSRF = "faultcsrftokenfaultcsrftoken1234"  # 32 characters: a valid unmasked secret

_PREPARE = """
import json, sys
from tests.bench.bench_autosave import prepare
from pathlib import Path
out = prepare(Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3]))
Path(sys.argv[4]).write_text(json.dumps(out))
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ExamServer:
    def __init__(self, tmp: Path, candidates: int = 4):
        self.tmp = tmp
        self.data_dir = tmp / "data"
        self.settings_dir = tmp / "settings"
        self.settings_dir.mkdir(parents=True, exist_ok=True)
        (self.settings_dir / "bench_settings.py").write_text(textwrap.dedent("""
            from cms_site.settings.dev import *  # noqa
            DEBUG = False
            ALLOWED_HOSTS = ["*"]
            LOGGING = {"version": 1, "disable_existing_loggers": True, "root": {"level": "CRITICAL"}}
        """))
        self.env = {**os.environ, "CERTPLATFORM_DATA_DIR": str(self.data_dir),
                    "DJANGO_SETTINGS_MODULE": "bench_settings", "PYTHONPATH": f"{self.settings_dir}:{ROOT}"}
        self.env.pop("CERTPLATFORM_TEST_DATA_DIR", None)
        # These faults (kill -9, a held write lock) are about the embedded SQLite server, so
        # the server under test uses its own file database even in the PostgreSQL CI run.
        self.env.pop("DATABASE_URL", None)
        out = tmp / "candidates.json"
        subprocess.run([str(PYTHON), "-c", _PREPARE, str(self.data_dir), str(self.settings_dir), str(candidates),
                        str(out)], cwd=ROOT, env=self.env, check=True, timeout=600, capture_output=True)
        self.candidates = [tuple(c) for c in json.loads(out.read_text())]
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.proc = None

    @property
    def db_path(self) -> Path:
        return self.data_dir / "db.sqlite3"

    def start(self, workers: int = 2, timeout: float = 60) -> None:
        self.proc = subprocess.Popen(
            [str(GUNICORN), "cms_site.wsgi", "-b", f"127.0.0.1:{self.port}", "-w", str(workers), "-k", "gthread",
             "--threads", "4", "--log-level", "warning"],
            cwd=ROOT, env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if requests.get(f"{self.base}/healthz", timeout=2).status_code == 200:
                    return
            except requests.RequestException:
                time.sleep(0.2)
        self.kill9()
        raise RuntimeError("gunicorn did not start")

    def kill9(self) -> None:
        """SIGKILL the master and every worker (the whole process group) at once."""
        if self.proc is None:
            return
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.proc.wait(30)
        self.proc = None

    def stop(self) -> None:
        if self.proc is not None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.kill9()
            self.proc = None

    def save(self, index: int, answers: list[dict], session_key: str | None = None, timeout: float = 30,
             token: bool = False):
        """POST the answers as the exam page does; ``token=True`` adds the exam save token
        (the lean path: no session read, one UPDATE per answer)."""
        key, attempt_id, _positions, save_token = self.candidates[index]
        headers = {"Cookie": f"sessionid={session_key or key}; csrftoken={CSRF}", "X-CSRFToken": CSRF,
                   "Referer": self.base + "/", "Accept": "application/json"}
        if token:
            headers["X-Exam-Token"] = save_token
        return requests.post(
            f"{self.base}/programs/energy/exam/api/attempts/{attempt_id}/answers",
            json={"answers": answers}, timeout=timeout, headers=headers,
        )

    def stored(self, index: int) -> dict[int, tuple[int, object]]:
        """position -> (seq, response) straight from the database file."""
        import sqlite3

        attempt_id = self.candidates[index][1]
        with sqlite3.connect(self.db_path, timeout=30) as db:
            rows = db.execute("SELECT position, seq, response FROM exam_plugin_attemptitem WHERE attempt_id = ?",
                              (attempt_id,)).fetchall()
        return {pos: (seq, json.loads(resp) if resp is not None else None) for pos, seq, resp in rows}


def objective_positions(server: ExamServer, index: int) -> list[tuple[int, int]]:
    return [(p, n) for p, n in server.candidates[index][2] if n]


def _main():  # pragma: no cover - manual use: python -m tests.faults.harness
    import tempfile

    server = ExamServer(Path(tempfile.mkdtemp()))
    server.start()
    print(server.base, server.candidates[0][:2])
    server.stop()


if __name__ == "__main__":
    _main()
