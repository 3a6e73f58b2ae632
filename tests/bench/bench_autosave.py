"""Autosave benchmark: N candidates each changing an answer every 15 s, against the site
running under gunicorn (several worker processes) on SQLite.

    .venv/bin/python tests/bench/bench_autosave.py                 # 1000, 5000, 10000
    .venv/bin/python tests/bench/bench_autosave.py --candidates 1000 --seconds 30

Prints per N: offered and achieved saves/s, p50/p99 latency, failed saves; and the same
server's closed-loop throughput on the save endpoint and on the bare Django JSON view
``/healthz`` (the ratio's denominator). Data lives in a throwaway directory.
"""

import argparse
import asyncio
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PYTHON = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
INTERVAL = 15.0
CSRF = "benchcsrftokenbenchcsrftoken1234"  # 32 characters: a valid unmasked secret


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare(data_dir: Path, settings_dir: Path, n: int) -> list[tuple[str, int, list[tuple[int, int]]]]:
    """Migrate, load fixtures, and create ``n`` candidates with an open attempt each.
    Returns (session key, attempt id, [(position, option count)], exam save token) per
    candidate (the token is what the paper response hands the exam page)."""
    os.environ["CERTPLATFORM_DATA_DIR"] = str(data_dir)
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench_settings"
    sys.path.insert(0, str(settings_dir))
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from datetime import timedelta

    from django.contrib.auth import get_user_model
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.core.management import call_command
    from django.utils import timezone

    from course_content.models import Enrolment, ProgramLevel, ProgramPage
    from exam_plugin.models import Attempt, AttemptItem, Candidate, ExamSitting
    from exam_plugin.services.papers import blueprint_for, draw_paper
    from exam_plugin.services.save_tokens import make as make_token
    from plugins.services import disable

    call_command("migrate", verbosity=0)
    call_command("load_initial_data", verbosity=0, stdout=open(os.devnull, "w"))
    energy = ProgramPage.objects.get(slug="energy")
    disable(energy, "proctor_plugin")
    level = ProgramLevel.objects.get(program=energy, code="junior")
    now = timezone.now()
    sitting = ExamSitting.objects.create(program=energy, starts_at=now - timedelta(minutes=5),
                                         ends_at=now + timedelta(hours=3))
    paper = draw_paper(blueprint_for(energy, level), seed=1, formal=True)
    User = get_user_model()
    users = User.objects.bulk_create(
        [User(username=f"bench{i:05d}", real_name=f"考生{i}", password="!", is_active=True) for i in range(n)],
        batch_size=2000,
    )
    enrolments = Enrolment.objects.bulk_create(
        [Enrolment(learner=u, program=energy, level=level) for u in users], batch_size=2000)
    candidates = Candidate.objects.bulk_create(
        [Candidate(sitting=sitting, enrolment=e, admission_number=f"B{i:08d}") for i, e in enumerate(enrolments)],
        batch_size=2000)
    attempts = Attempt.objects.bulk_create(
        [Attempt(enrolment=e, candidate=c, sitting=sitting, mode="formal", seed=1, started_at=now,
                 deadline=sitting.ends_at, max_score=100) for e, c in zip(enrolments, candidates, strict=True)],
        batch_size=2000)
    rows = []
    for attempt in attempts:
        rows.extend(AttemptItem(attempt=attempt, position=p, question=d.question, points=d.points,
                                option_order=d.option_order) for p, d in enumerate(paper))
        if len(rows) >= 20000:
            AttemptItem.objects.bulk_create(rows, batch_size=5000)
            rows = []
    AttemptItem.objects.bulk_create(rows, batch_size=5000)
    expire = now + timedelta(days=1)
    enrolments_by_id = {e.pk: e for e in enrolments}
    store = SessionStore()
    sessions, out = [], []
    for user, attempt in zip(users, attempts, strict=True):
        key = f"bench{user.pk:027d}"[:32]
        data = store.encode({"_auth_user_id": str(user.pk),
                             "_auth_user_backend": "cms_site.accounts.backends.IdentityBackend",
                             "_auth_user_hash": user.get_session_auth_hash()})
        sessions.append(Session(session_key=key, session_data=data, expire_date=expire))
        attempt.enrolment = enrolments_by_id[attempt.enrolment_id]
        out.append((key, attempt.pk, [(p, len(d.option_order) or 0) for p, d in enumerate(paper)],
                    make_token(attempt, user.pk, key)))
    Session.objects.bulk_create(sessions, batch_size=2000)
    from django.db import connection

    connection.close()
    return out


def start_server(data_dir: Path, settings_dir: Path, port: int, workers: int) -> subprocess.Popen:
    env = {**os.environ, "CERTPLATFORM_DATA_DIR": str(data_dir), "DJANGO_SETTINGS_MODULE": "bench_settings",
           "PYTHONPATH": f"{settings_dir}:{ROOT}"}
    proc = subprocess.Popen(
        [str(GUNICORN), "cms_site.wsgi", "-b", f"127.0.0.1:{port}", "-w", str(workers), "-k", "gthread",
         "--threads", "8", "--backlog", "4096", "--log-level", "warning"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    import urllib.request

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                if r.status == 200:
                    return proc
        except OSError:
            time.sleep(0.5)
    proc.kill()
    raise RuntimeError("gunicorn did not start: " + proc.stderr.read().decode()[-2000:])


def _save_request(base, candidate, seq, token=True):
    """The exam page's save: session + CSRF cookies, CSRF header and (``token``) the exam save
    token the paper response handed out."""
    key, attempt_id, positions, save_token = candidate
    position, options = random.choice(positions)
    value = [random.randrange(options)] if options else f"答案第{seq}版"
    url = f"{base}/programs/energy/exam/api/attempts/{attempt_id}/answers"
    headers = {"Cookie": f"sessionid={key}; csrftoken={CSRF}", "X-CSRFToken": CSRF,
               "Content-Type": "application/json", "Referer": base + "/"}
    if token:
        headers["X-Exam-Token"] = save_token
    body = {"answers": [{"position": position, "seq": seq, "value": value}]}
    return url, headers, body


async def simulate(base: str, candidates, seconds: float) -> dict:
    """Open loop: each candidate saves once every 15 s (random phase) for ``seconds``."""
    import aiohttp

    latencies, failures, errors = [], 0, {}
    timeout = aiohttp.ClientTimeout(total=15)
    connector = aiohttp.TCPConnector(limit=512)
    async with aiohttp.ClientSession(timeout=timeout, connector=connector,
                                     cookie_jar=aiohttp.DummyCookieJar()) as session:
        start = time.monotonic()

        async def one(candidate):
            nonlocal failures
            await asyncio.sleep(random.uniform(0, INTERVAL))
            seq = 0
            while time.monotonic() - start < seconds:
                seq += 1
                url, headers, body = _save_request(base, candidate, seq)
                t0 = time.monotonic()
                try:
                    async with session.post(url, json=body, headers=headers) as resp:
                        data = await resp.json(content_type=None)
                        ok = resp.status == 200 and not data.get("errors")
                        if not ok:
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
    latencies.sort()
    return {
        "offered": len(candidates) / INTERVAL,
        "achieved": len(latencies) / elapsed,
        "p50": statistics.median(latencies) * 1000 if latencies else float("nan"),
        "p99": latencies[int(len(latencies) * 0.99) - 1] * 1000 if latencies else float("nan"),
        "ok": len(latencies), "failed": failures, "errors": errors,
    }


async def closed_loop(base: str, make_request, seconds: float, concurrency: int = 32) -> float:
    """Requests/s with ``concurrency`` clients sending back to back."""
    import aiohttp

    done = 0
    async with aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar(),
                                     connector=aiohttp.TCPConnector(limit=concurrency)) as session:
        start = time.monotonic()

        async def worker(index):
            nonlocal done
            seq = 10_000 * (index + 1)
            while time.monotonic() - start < seconds:
                seq += 1
                method, url, headers, body = make_request(index, seq)
                async with session.request(method, url, json=body, headers=headers) as resp:
                    await resp.read()
                    if resp.status == 200:
                        done += 1

        await asyncio.gather(*(worker(i) for i in range(concurrency)))
        return done / (time.monotonic() - start)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--candidates", type=int, nargs="*", default=[1000, 5000, 10000])
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 2) + 1)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-autosave-"))
    settings_dir = tmp / "settings"
    settings_dir.mkdir()
    (settings_dir / "bench_settings.py").write_text(textwrap.dedent("""
        from cms_site.settings.dev import *  # noqa
        DEBUG = False
        ALLOWED_HOSTS = ["*"]
        EXAM_SAVE_TOKEN_SECONDS = 7200
        LOGGING = {"version": 1, "disable_existing_loggers": True, "root": {"level": "CRITICAL"}}
    """))
    try:
        biggest = max(args.candidates)
        print(f"preparing {biggest} candidates …", flush=True)
        t0 = time.monotonic()
        candidates = prepare(tmp / "data", settings_dir, biggest)
        print(f"  ready in {time.monotonic() - t0:.0f} s", flush=True)
        port = free_port()
        server = start_server(tmp / "data", settings_dir, port, args.workers)
        base = f"http://127.0.0.1:{port}"
        try:
            health = asyncio.run(closed_loop(base, lambda i, s: ("GET", f"{base}/healthz", {}, None), 10))
            saves = asyncio.run(closed_loop(
                base, lambda i, s: ("POST", *_save_request(base, candidates[i], s)), 10))
            print(f"gunicorn {args.workers} workers × 8 threads, SQLite WAL, {os.cpu_count()} CPU cores")
            print(f"closed loop (32 clients): /healthz {health:.0f} req/s · save endpoint {saves:.0f} saves/s "
                  f"· ratio {saves / health:.2f}")
            print(f"{'candidates':>10} {'offered/s':>10} {'saves/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'failed':>7}  vs /healthz")
            for n in sorted(args.candidates):
                r = asyncio.run(simulate(base, candidates[:n], args.seconds))
                print(f"{n:>10} {r['offered']:>10.0f} {r['achieved']:>8.0f} {r['p50']:>8.0f} {r['p99']:>8.0f} "
                      f"{r['failed']:>7}  {r['achieved'] / health:.2f}  {r['errors'] or ''}", flush=True)
        finally:
            server.terminate()
            try:
                server.wait(30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
