"""Exam day at scale: steady autosave load, the start burst (login + face check + paper),
on SQLite and on PostgreSQL with 1 and 2 gunicorn workers, side by side in one run.

    .venv/bin/python tests/bench/bench_exam_day.py                      # everything (≈ 8 min)
    .venv/bin/python tests/bench/bench_exam_day.py --candidates 10000 --seconds 45 --no-postgres

(a) steady state: N candidates (aiohttp, open loop) each change one answer every 15 s
    (10,000 ≈ 667 saves/s) for ``--seconds``; every acknowledged save is then checked
    in the database (stored seq ≥ acknowledged seq): "lost" must be 0. "failed" are saves
    the server did not acknowledge in 15 s (the exam page's journal would retry them).
(b) start burst: ``--burst-rate`` candidates per second log in with their password
    (real login form, CSRF), pass the face check (real ONNX models in the proctor plugin,
    skimage's astronaut on a 640×480 JPEG frame against the same enrolled face) and load
    their paper; login→paper latency per candidate.
(c) ratios measured side by side on the same server: closed-loop saves/s ÷ the bare
    Django JSON view ``/healthz``; and PostgreSQL 2 workers ÷ 1 worker.
"""

import argparse
import asyncio
import io
import json
import os
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.bench.bench_autosave import (  # noqa: E402
    CSRF,
    GUNICORN,
    INTERVAL,
    PYTHON,
    _save_request,
    closed_loop,
    free_port,
)

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
    from proctor_plugin.face import analyse_image
    from proctor_plugin.models import FaceEnrolment, ProctoredSitting

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
        subprocess.run([str(PYTHON), __file__, "--_prepare", str(out), str(n), str(burst)], cwd=ROOT, env=self.env,
                       check=True)
        data = json.loads(out.read_text())
        self.candidates = [tuple(c) for c in data["candidates"]]
        self.burst = [tuple(b) for b in data["burst"]]

    def start(self, workers: int) -> str:
        port = free_port()
        self.proc = subprocess.Popen(
            [str(GUNICORN), "cms_site.wsgi", "-b", f"127.0.0.1:{port}", "-w", str(workers), "-k", "gthread",
             "--threads", "8", "--backlog", "4096", "--log-level", "warning"],
            cwd=ROOT, env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
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


# --- load generators -------------------------------------------------------------------

def _percentiles(latencies):
    if not latencies:
        return float("nan"), float("nan"), float("nan")
    ordered = sorted(latencies)

    def pick(q):
        return ordered[min(len(ordered) - 1, int(len(ordered) * q))] * 1000

    return statistics.median(ordered) * 1000, pick(0.95), pick(0.99)


async def steady(base: str, candidates, seconds: float) -> dict:
    """Open loop; records the highest acknowledged seq per (attempt, position)."""
    import aiohttp

    latencies, failures, errors, acked, sent = [], 0, {}, {}, 0
    connector = aiohttp.TCPConnector(limit=1024)
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=15), connector=connector,
                                     cookie_jar=aiohttp.DummyCookieJar()) as session:
        start = time.monotonic()

        async def one(candidate):
            nonlocal failures, sent
            await asyncio.sleep(random.uniform(0, INTERVAL))
            seq = 0
            while time.monotonic() - start < seconds:
                seq += 1
                sent += 1
                url, headers, body = _save_request(base, candidate, seq)
                t0 = time.monotonic()
                try:
                    async with session.post(url, json=body, headers=headers) as resp:
                        data = await resp.json(content_type=None)
                        ok = resp.status == 200 and not data.get("errors")
                        if ok:
                            for pos, s in data["acked"].items():
                                key = (candidate[1], int(pos))
                                acked[key] = max(acked.get(key, 0), s)
                        else:
                            errors[resp.status] = errors.get(resp.status, 0) + 1
                except Exception as err:  # noqa: BLE001 - every failure counts
                    ok = False
                    errors[type(err).__name__] = errors.get(type(err).__name__, 0) + 1
                if ok:
                    latencies.append(time.monotonic() - t0)
                else:
                    failures += 1
                await asyncio.sleep(max(0.0, INTERVAL - (time.monotonic() - t0)))

        await asyncio.gather(*(one(c) for c in candidates))
        elapsed = time.monotonic() - start
    p50, p95, p99 = _percentiles(latencies)
    return {"offered": len(candidates) / INTERVAL, "sent": sent / elapsed, "achieved": len(latencies) / elapsed, "p50": p50, "p95": p95,
            "p99": p99, "ok": len(latencies), "failed": failures, "errors": errors, "acked": acked}


async def burst(base: str, people, rate: float, seconds: float, jpeg: bytes) -> dict:
    """``rate`` candidates/s: login form → face check → paper; latency login→paper."""
    import aiohttp
    import yarl

    totals, stages, failures, errors = [], {"login": [], "face": [], "paper": []}, 0, {}
    start = time.monotonic()
    count = min(len(people), int(rate * seconds))

    async def one(index):
        nonlocal failures
        await asyncio.sleep(max(0.0, start + index / rate - time.monotonic()))
        username, attempt_id, ps_id = people[index]
        jar = aiohttp.CookieJar(unsafe=True)
        t0 = time.monotonic()
        try:
            async with aiohttp.ClientSession(cookie_jar=jar, timeout=aiohttp.ClientTimeout(total=60)) as s:
                async with s.post(f"{base}/accounts/login/", allow_redirects=False, headers={"Referer": base + "/", "Cookie": f"csrftoken={CSRF}"},
                                  data={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": CSRF}) as r:
                    await r.read()
                    if r.status != 302:
                        raise RuntimeError(f"login {r.status}")
                t1 = time.monotonic()
                sent = jar.filter_cookies(yarl.URL(base))
                token = sent["csrftoken"].value if "csrftoken" in sent else CSRF
                form = aiohttp.FormData()
                form.add_field("image", jpeg, filename="frame.jpg", content_type="image/jpeg")
                async with s.post(f"{base}/programs/energy/proctor/s/{ps_id}/face/", data=form,
                                  headers={"X-CSRFToken": token, "Referer": base + "/"}) as r:
                    raw = await r.read()
                    try:
                        face = json.loads(raw)
                    except ValueError:
                        raise RuntimeError(f"face {r.status} {raw[:40]!r}") from None
                    if r.status != 200 or not face.get("passed"):
                        raise RuntimeError(f"face {r.status} {face.get('message') or face.get('detail') or ''}"[:80])
                t2 = time.monotonic()
                async with s.get(f"{base}/programs/energy/exam/api/attempts/{attempt_id}",
                                 headers={"Accept": "application/json"}) as r:
                    paper = await r.json(content_type=None)
                    if r.status != 200 or not paper.get("items"):
                        raise RuntimeError(f"paper {r.status}")
                t3 = time.monotonic()
        except Exception as err:  # noqa: BLE001
            failures += 1
            key = str(err)[:60] or type(err).__name__
            errors[key] = errors.get(key, 0) + 1
            return
        totals.append(t3 - t0)
        stages["login"].append(t1 - t0)
        stages["face"].append(t2 - t1)
        stages["paper"].append(t3 - t2)

    await asyncio.gather(*(one(i) for i in range(count)))
    p50, p95, p99 = _percentiles(totals)
    return {"count": count, "ok": len(totals), "failed": failures, "errors": errors, "p50": p50, "p95": p95,
            "p99": p99, "stages": {k: statistics.median(v) * 1000 if v else float("nan") for k, v in stages.items()}}


def ratios(base: str, candidates, seconds: float) -> tuple[float, float]:
    health = asyncio.run(closed_loop(base, lambda i, s: ("GET", f"{base}/healthz", {}, None), seconds))
    saves = asyncio.run(closed_loop(base, lambda i, s: ("POST", *_save_request(base, candidates[i], s)), seconds))
    return health, saves


def lost_saves(site: Site, acked: dict) -> int:
    stored = site.stored_seqs({a for a, _p in acked})
    return sum(1 for key, seq in acked.items() if stored.get(key, 0) < seq)


def _hash_ms(site: Site) -> float:
    code = ("import django, time; django.setup(); from django.contrib.auth.hashers import make_password; "
            "make_password('x'); t = time.perf_counter(); [make_password('x') for _ in range(3)]; "
            "print((time.perf_counter() - t) / 3 * 1000)")
    out = subprocess.run([str(PYTHON), "-c", code], cwd=ROOT, env=site.env, capture_output=True, text=True, check=True)
    return float(out.stdout.strip().splitlines()[-1])


# --- driver ------------------------------------------------------------------------------

def run_site(site: Site, workers: int, args, jpeg, label: str, burst_slice) -> dict:
    base = site.start(workers)
    try:
        health, saves = ratios(base, site.candidates, args.ratio_seconds)
        r = asyncio.run(steady(base, site.candidates[: args.candidates], args.seconds))
        lost = lost_saves(site, r.pop("acked"))
        b = asyncio.run(burst(base, burst_slice, args.burst_rate, args.burst_seconds, jpeg))
    finally:
        site.stop()
    row = {"label": label, "workers": workers, "health": health, "saves_closed": saves, "lost": lost, **r,
           "burst": b}
    print(f"\n== {label}, gunicorn {workers} worker(s) × 8 threads ==", flush=True)
    print(f"closed loop (32 clients): /healthz {health:.0f} req/s · save {saves:.0f} saves/s · "
          f"save ÷ healthz {saves / health:.2f}")
    print(f"steady {args.candidates} candidates: offered {r['offered']:.0f}/s sent {r['sent']:.0f}/s achieved {r['achieved']:.0f}/s · "
          f"p50 {r['p50']:.0f} ms p95 {r['p95']:.0f} ms p99 {r['p99']:.0f} ms · failed {r['failed']} · "
          f"lost {lost} · {r['errors'] or ''}")
    print(f"burst {args.burst_rate}/s × {args.burst_seconds:.0f} s: {b['ok']}/{b['count']} ok · login→paper "
          f"p50 {b['p50']:.0f} ms p95 {b['p95']:.0f} ms p99 {b['p99']:.0f} ms · medians login "
          f"{b['stages']['login']:.0f} / face {b['stages']['face']:.0f} / paper {b['stages']['paper']:.0f} ms · "
          f"{b['errors'] or ''}", flush=True)
    return row


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--candidates", type=int, default=10000)
    parser.add_argument("--seconds", type=float, default=45)
    parser.add_argument("--ratio-seconds", type=float, default=8)
    parser.add_argument("--burst-rate", type=float, default=20)
    parser.add_argument("--burst-seconds", type=float, default=15)
    parser.add_argument("--sqlite-workers", type=int, default=3)
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    per_run = int(args.burst_rate * args.burst_seconds)
    jpeg = frame_jpeg()
    tmp = Path(tempfile.mkdtemp(prefix="bench-exam-day-"))
    pg_name = f"bench_exam_day_{os.getpid()}"
    print(f"machine: {os.cpu_count()} cores, {os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GiB RAM, "
          f"load average {os.getloadavg()[0]:.1f} at start", flush=True)
    rows = []
    try:
        sqlite_site = Site(tmp, "sqlite", None)
        t0 = time.monotonic()
        sqlite_site.prepare(args.candidates, per_run)
        print(f"SQLite prepared in {time.monotonic() - t0:.0f} s", flush=True)
        print(f"one password hash with the configured hasher: {_hash_ms(sqlite_site):.0f} ms", flush=True)
        rows.append(run_site(sqlite_site, args.sqlite_workers, args, jpeg, "SQLite (WAL)", sqlite_site.burst))
        if not args.no_postgres:
            import psycopg

            with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as db:
                db.execute(f'CREATE DATABASE "{pg_name}"')
            try:
                pg = Site(tmp, "postgres", PG_URL.format(name=pg_name))
                t0 = time.monotonic()
                pg.prepare(args.candidates, per_run * 2)
                print(f"PostgreSQL prepared in {time.monotonic() - t0:.0f} s", flush=True)
                one = run_site(pg, 1, args, jpeg, "PostgreSQL", pg.burst[:per_run])
                two = run_site(pg, 2, args, jpeg, "PostgreSQL", pg.burst[per_run:])
                rows += [one, two]
                print(f"\nPostgreSQL 2 workers ÷ 1 worker: closed-loop saves {two['saves_closed'] / one['saves_closed']:.2f} · "
                      f"/healthz {two['health'] / one['health']:.2f} · steady achieved {two['achieved'] / one['achieved']:.2f}")
            finally:
                with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as db:
                    db.execute(f'DROP DATABASE IF EXISTS "{pg_name}" WITH (FORCE)')
        print(f"\nload average at the end {os.getloadavg()[0]:.1f}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--_prepare":
        _prepare_child(Path(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]))
    else:
        main()
