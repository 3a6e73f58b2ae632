"""Exam-day benchmark, part 1: the prepared site (a throwaway SQLite file or PostgreSQL
database with N candidates holding an open attempt, plus start-burst candidates with a
password, an enrolled face and a proctored sitting) and its gunicorn server.

Run as a script only by ``Site.prepare`` (one Django setup per database, in a child).
"""

import io
import json
import os
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.bench.bench_autosave import GUNICORN, PYTHON, free_port  # noqa: E402

PASSWORD = "Exam-Day-2026!"
PG_URL = "postgres://postgres@127.0.0.1:5432/{name}"


# --- preparation (in a child process: one Django setup per database) -------------------

def _prepare_child(out: Path, n: int, burst: int) -> None:
    from tests.bench.bench_autosave import prepare

    candidates = prepare(Path(os.environ["CERTPLATFORM_DATA_DIR"]), Path(os.environ["BENCH_SETTINGS_DIR"]), n)
    from datetime import timedelta

    import numpy as np
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from course_content.models import Enrolment, ProgramLevel, ProgramPage
    from exam_plugin.models import Attempt, AttemptItem, Candidate, ExamSitting
    from exam_plugin.services.papers import blueprint_for, draw_paper
    from plugins.services import enable, update_settings
    from proctor_plugin.models import FaceEnrolment, ProctoredSitting
    from proctor_plugin.services.face import analyse_image

    energy = ProgramPage.objects.get(slug="energy")
    enable(energy, "proctor_plugin")
    update_settings(energy, "proctor_plugin", face_check_required=True, rules_acceptance_required=True,
                    second_camera_required=False)
    level = ProgramLevel.objects.get(program=energy, code="junior")
    now = timezone.now()
    sitting = ExamSitting.objects.create(program=energy, starts_at=now - timedelta(minutes=1),
                                         ends_at=now + timedelta(hours=3))
    paper = draw_paper(blueprint_for(energy, level), seed=2, formal=True)
    reference = analyse_image(np.asarray(_frame_rgb())).embedding.astype(np.float32).tobytes()
    User = get_user_model()
    hashed = make_password(PASSWORD)  # one real hash (the configured hasher), shared: preparing is not the bench
    users = User.objects.bulk_create([User(username=f"burst{i:05d}", real_name=f"考生B{i}", password=hashed,
                                           is_active=True) for i in range(burst)])
    enrolments = Enrolment.objects.bulk_create([Enrolment(learner=u, program=energy, level=level) for u in users])
    cands = Candidate.objects.bulk_create([Candidate(sitting=sitting, enrolment=e, admission_number=f"S{i:08d}")
                                           for i, e in enumerate(enrolments)])
    attempts = Attempt.objects.bulk_create([
        Attempt(enrolment=e, candidate=c, sitting=sitting, mode="formal", seed=2, started_at=now,
                deadline=sitting.ends_at, max_score=100) for e, c in zip(enrolments, cands, strict=True)])
    AttemptItem.objects.bulk_create([
        AttemptItem(attempt=a, position=p, question=d.question, points=d.points, option_order=d.option_order)
        for a in attempts for p, d in enumerate(paper)], batch_size=5000)
    FaceEnrolment.objects.bulk_create([FaceEnrolment(person=u, embedding=reference, source="admin") for u in users])
    sittings = ProctoredSitting.objects.bulk_create([
        ProctoredSitting(enrolment=e, candidate=c, rules_accepted_at=now, camera_ok_at=now)
        for e, c in zip(enrolments, cands, strict=True)])
    burst_rows = [(u.username, a.pk, ps.pk) for u, a, ps in zip(users, attempts, sittings, strict=True)]
    from django.db import connection

    connection.close()
    out.write_text(json.dumps({"candidates": candidates, "burst": burst_rows}))


def _frame_rgb():
    from PIL import Image
    from skimage import data

    frame = Image.new("RGB", (640, 480), (128, 128, 128))
    photo = Image.fromarray(data.astronaut())
    photo.thumbnail((640, 480))
    frame.paste(photo, ((640 - photo.width) // 2, (480 - photo.height) // 2))
    return frame


def frame_jpeg() -> bytes:
    buf = io.BytesIO()
    _frame_rgb().save(buf, "JPEG", quality=85)
    return buf.getvalue()


class Site:
    """One prepared database (SQLite file or a PostgreSQL database) and its gunicorn."""

    def __init__(self, tmp: Path, name: str, database_url: str | None):
        self.dir = tmp / name
        self.settings_dir = self.dir / "settings"
        self.settings_dir.mkdir(parents=True)
        (self.settings_dir / "bench_settings.py").write_text(textwrap.dedent("""
            from cms_site.settings.dev import *  # noqa
            DEBUG = False
            ALLOWED_HOSTS = ["*"]
            AXES_ENABLED = False  # 20 logins/s from one client address is the benchmark, not an attack
            EXAM_SAVE_TOKEN_SECONDS = 7200  # the tokens are made once, at preparation
            LOGGING = {"version": 1, "disable_existing_loggers": True, "root": {"level": "CRITICAL"}}
        """))
        self.env = {**os.environ, "CERTPLATFORM_DATA_DIR": str(self.dir / "data"), "DJANGO_SETTINGS_MODULE": "bench_settings",
                    "BENCH_SETTINGS_DIR": str(self.settings_dir), "PYTHONPATH": f"{self.settings_dir}:{ROOT}"}
        self.env.pop("DATABASE_URL", None)
        if database_url:
            self.env["DATABASE_URL"] = database_url
        self.database_url = database_url
        self.proc = None

    def prepare(self, n: int, burst: int) -> None:
        out = self.dir / "prepared.json"
        subprocess.run([str(PYTHON), __file__, str(out), str(n), str(burst)], cwd=ROOT, env=self.env, check=True)
        data = json.loads(out.read_text())
        self.candidates = [tuple(c) for c in data["candidates"]]
        self.burst = [tuple(b) for b in data["burst"]]

    def start(self, workers: int, worker_connections: int | None = None, **env) -> str:
        """gunicorn gthread, ``workers`` × 8 threads; ``env`` overrides (e.g. DB_CONN_MAX_AGE="0").
        ``worker_connections`` caps the connections one worker holds (gthread stops accepting
        at the cap): wrk's connections then split evenly instead of by an accept race."""
        port = free_port()
        cap = ["--worker-connections", str(worker_connections)] if worker_connections else []
        self.proc = subprocess.Popen(
            [str(GUNICORN), "cms_site.wsgi", "-b", f"127.0.0.1:{port}", "-w", str(workers), "-k", "gthread",
             "--threads", "8", "--backlog", "4096", "--log-level", "warning", *cap],
            cwd=ROOT, env={**self.env, **env}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        import urllib.request

        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{base}/healthz", timeout=2) as r:
                    if r.status == 200:
                        return base
            except OSError:
                time.sleep(0.3)
        raise RuntimeError("gunicorn did not start")

    def stop(self) -> None:
        if self.proc:
            self.proc.terminate()
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
            self.proc = None

    def stored_seqs(self, attempt_ids) -> dict[tuple[int, int], int]:
        sql = "SELECT attempt_id, position, seq FROM exam_plugin_attemptitem"
        if self.database_url:
            import psycopg

            with psycopg.connect(self.database_url.replace("postgres://", "postgresql://")) as db:
                rows = db.execute(sql).fetchall()
        else:
            with sqlite3.connect(self.dir / "data" / "db.sqlite3", timeout=60) as db:
                rows = db.execute(sql).fetchall()
        wanted = set(attempt_ids)
        return {(a, p): s for a, p, s in rows if a in wanted}


if __name__ == "__main__":
    _prepare_child(Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]))
