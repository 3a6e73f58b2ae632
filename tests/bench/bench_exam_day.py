"""Exam day at scale, side by side in one run, on SQLite and on PostgreSQL (issue 16).

    .venv/bin/python tests/bench/bench_exam_day.py                              # everything
    .venv/bin/python tests/bench/bench_exam_day.py --seconds 20 --burst-seconds 10   # shorter

Per database, on one gunicorn server (gthread, ``--workers`` × 8 threads):
(a) closed loop with wrk (C, Lua script, 32 connections): ``/healthz`` (the bare Django
    JSON view) with a connection per request (DB_CONN_MAX_AGE=0, before issue 16) and with
    persistent connections; the save endpoint with the exam save token (the lean path) and
    with the session only; the ratio save ÷ /healthz on the same server in the same run;
(b) steady state: N candidates (aiohttp, open loop, the client's own CPU printed) each change
    one answer every 15 s for ``--warmup`` + ``--seconds`` (rates and latencies of the last
    ``--seconds``: the exam's steady state); every acknowledged save is then checked in the
    database ("lost" = acknowledged seq not stored, must be 0); "failed" = not acknowledged
    within 15 s (the exam page's journal would retry them);
(c) start burst: ``--burst-rate`` candidates/s log in (real form, Argon2id), pass the face check
    (real ONNX models) and load their paper: p95 login→paper;
(d) the CPU cost of one password check, PBKDF2 (Django's default) vs Argon2id (ours).
Modules: bench_exam_day_site.py (preparation, server), bench_exam_day_load.py (generators).
"""

import argparse
import asyncio
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.bench.bench_exam_day_load import (  # noqa: E402
    CONNECTIONS,
    burst,
    login_costs,
    lost_saves,
    steady,
    wrk_closed_loop,
)
from tests.bench.bench_exam_day_site import PG_URL, Site, frame_jpeg  # noqa: E402


def _ratio_pairs(base: str, pool, seconds: float, work_dir: Path, rounds: int) -> list:
    """``rounds`` back-to-back pairs (a /healthz run, then a save run), sorted by ratio."""
    wrk_closed_loop(base, 1, candidates=pool, work_dir=work_dir)  # warm the worker's caches
    pairs = []
    for _ in range(rounds):
        health = wrk_closed_loop(f"{base}/healthz", seconds)
        lean = wrk_closed_loop(base, seconds, candidates=pool, work_dir=work_dir)
        pairs.append((lean["rps"] / health["rps"], health, lean))
    return sorted(pairs, key=lambda pair: pair[0])


def closed_loops(site: Site, workers: int, seconds: float, work_dir: Path, rounds: int = 9) -> dict:
    """(a): /healthz without and with persistent connections (``workers`` workers), then the
    ratio save ÷ /healthz on a one-worker server (8 threads) and on the ``workers``-worker
    server, and the session path on one worker.

    Each ratio is the median of ``rounds`` back-to-back pairs (a /healthz run then a save run,
    ``seconds`` each), so a shift in the machine's background load hits both sides of a pair
    alike. On the several-worker server each worker holds at most its share of wrk's 32
    keep-alive connections (``--worker-connections``): without that cap the connections were
    split by an accept race, and the same server measured /healthz at ≈ 1,100 and ≈ 3,600
    req/s in consecutive 3-s runs (one worker busy, or both), which made a ratio of two runs
    a coin toss (docs/benchmarks.md)."""
    base = site.start(workers, DB_CONN_MAX_AGE="0")
    try:
        before = wrk_closed_loop(f"{base}/healthz", seconds)
    finally:
        site.stop()
    # 64 candidates (> 32 connections: never two saves of one candidate in flight). With
    # 2,000 (the first run) nearly every save of a 5-s loop was a candidate's first one in its
    # worker, i.e. a cold paper-layout cache (64-row read) — not the exam-day steady state,
    # where each candidate saves every 15 s for hours. The steady state uses seqs above these.
    pool = site.candidates[-64:]
    base = site.start(1)
    try:
        pairs = _ratio_pairs(base, pool, seconds, work_dir, rounds)
        session = wrk_closed_loop(base, seconds, candidates=pool, work_dir=work_dir, token=False)
    finally:
        site.stop()
    base = site.start(workers, worker_connections=max(1, CONNECTIONS // workers))
    several = _ratio_pairs(base, pool, seconds, work_dir, rounds)
    ratio, health, lean = pairs[len(pairs) // 2]
    ratio_several, health_several, lean_several = several[len(several) // 2]
    return {"base": base, "before": before, "health": wrk_closed_loop(f"{base}/healthz", seconds),
            "health_one": health, "lean": lean, "session": session, "ratio": ratio,
            "ratio_several": ratio_several, "health_several": health_several, "lean_several": lean_several,
            "pairs": [(round(p[1]["rps"]), round(p[2]["rps"])) for p in pairs],
            "pairs_several": [(round(p[1]["rps"]), round(p[2]["rps"])) for p in several]}


def run_site(site: Site, label: str, args, jpeg, work_dir: Path) -> dict:
    loops = closed_loops(site, args.workers, args.ratio_seconds, work_dir)
    base = loops["base"]
    try:
        if args.ratio_only:
            r, lost, b = None, None, None
        else:
            r = asyncio.run(steady(base, site.candidates[: args.candidates], args.seconds, args.warmup))
            lost = lost_saves(site, r.pop("acked"))
            b = asyncio.run(burst(base, site.burst, args.burst_rate, args.burst_seconds, jpeg))
    finally:
        site.stop()
    h, lean, ses, before = loops["health"], loops["lean"], loops["session"], loops["before"]
    one = loops["health_one"]
    print(f"\n== {label}, gunicorn {args.workers} workers × 8 threads ==", flush=True)
    print(f"closed loop (wrk, 32 connections): /healthz {before['rps']:.0f} req/s with a connection per request → "
          f"{h['rps']:.0f} req/s with persistent connections ({h['rps'] / before['rps']:.2f}×)")
    print(f"  one worker × 8 threads: save with the exam token {lean['rps']:.0f} saves/s (p99 {lean['p99_ms']:.0f} ms) vs "
          f"/healthz {one['rps']:.0f} req/s · save ÷ /healthz **{loops['ratio']:.2f}** (median of pairs "
          f"(/healthz, save) {loops['pairs']}) · session path {ses['rps']:.0f} saves/s ({ses['rps'] / one['rps']:.2f}) · "
          f"wrk CPU {lean['wrk_cpu'] * 100:.0f} % of a core {lean['socket_errors']}")
    hs, ls = loops["health_several"], loops["lean_several"]
    print(f"  {args.workers} workers × 8 threads ({CONNECTIONS // args.workers} connections each): save {ls['rps']:.0f} saves/s "
          f"(p99 {ls['p99_ms']:.0f} ms) vs /healthz {hs['rps']:.0f} req/s · save ÷ /healthz **{loops['ratio_several']:.2f}** "
          f"(median of pairs {loops['pairs_several']})")
    if args.ratio_only:
        return {"label": label, **loops}
    print(f"steady {args.candidates} candidates: offered {r['offered']:.0f}/s sent {r['sent']:.0f}/s acknowledged "
          f"{r['achieved']:.0f}/s · p50 {r['p50']:.0f} ms p95 {r['p95']:.0f} ms p99 {r['p99']:.0f} ms · failed {r['failed']} · "
          f"lost {lost} · client CPU {r['client_cpu'] * 100:.0f} % of a core · {r['errors'] or ''}")
    print(f"  (measured: the last {args.seconds:g} s of {args.warmup + args.seconds:g} s; failed during the "
          f"{args.warmup:g}-s warm-up: {r['failed_warmup']})")
    print(f"burst {args.burst_rate:g}/s × {args.burst_seconds:.0f} s: {b['ok']}/{b['count']} ok · login→paper "
          f"p50 {b['p50']:.0f} ms p95 {b['p95']:.0f} ms p99 {b['p99']:.0f} ms · medians login "
          f"{b['stages']['login']:.0f} / face {b['stages']['face']:.0f} / paper {b['stages']['paper']:.0f} ms · "
          f"{b['errors'] or ''}", flush=True)
    return {"label": label, **loops, **r, "lost": lost, "burst": b}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--candidates", type=int, default=10000)
    parser.add_argument("--seconds", type=float, default=30, help="steady state: the measured window")
    parser.add_argument("--warmup", type=float, default=30,
                        help="steady state: seconds of saving before the measured window (every candidate's first "
                             "saves, which fill each worker's paper-layout cache)")
    parser.add_argument("--ratio-seconds", type=float, default=6, help="each closed-loop measurement")
    parser.add_argument("--burst-rate", type=float, default=20)
    parser.add_argument("--burst-seconds", type=float, default=10)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--ratio-only", action="store_true",
                        help="only (a), on 100 prepared candidates: the closed loops and the ratio")
    args = parser.parse_args()
    if args.ratio_only:
        args.candidates, args.burst_rate = 100, 0
    burst_n = int(args.burst_rate * args.burst_seconds)
    jpeg = frame_jpeg()
    tmp = Path(tempfile.mkdtemp(prefix="bench-exam-day-"))
    pg_name = f"bench_exam_day_{os.getpid()}"
    print(f"machine: {os.cpu_count()} cores, {os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GiB RAM, "
          f"load average {os.getloadavg()[0]:.1f} at start", flush=True)
    rows = []
    try:
        sqlite_site = Site(tmp, "sqlite", None)
        t0 = time.monotonic()
        sqlite_site.prepare(args.candidates, burst_n)
        print(f"SQLite prepared in {time.monotonic() - t0:.0f} s", flush=True)
        costs = login_costs(sqlite_site)
        print(f"one password check (CPU): PBKDF2-SHA256 {costs['pbkdf2_sha256']:.0f} ms · Argon2id m=19 MiB t=2 p=1 "
              f"{costs['argon2']:.0f} ms ({costs['pbkdf2_sha256'] / costs['argon2']:.1f}× cheaper)", flush=True)
        rows.append(run_site(sqlite_site, "SQLite (WAL)", args, jpeg, tmp))
        if not args.no_postgres:
            import psycopg

            with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as db:
                db.execute(f'CREATE DATABASE "{pg_name}"')
            try:
                pg = Site(tmp, "postgres", PG_URL.format(name=pg_name))
                t0 = time.monotonic()
                pg.prepare(args.candidates, burst_n)
                print(f"PostgreSQL prepared in {time.monotonic() - t0:.0f} s", flush=True)
                rows.append(run_site(pg, "PostgreSQL", args, jpeg, tmp))
            finally:
                with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as db:
                    db.execute(f'DROP DATABASE IF EXISTS "{pg_name}" WITH (FORCE)')
        print("\n| | /healthz before → after | save (token) | save ÷ /healthz, 1 worker / all workers | "
              "steady p50/p95/p99 ms | failed | lost | burst p95 ms |")
        for r in rows:
            if args.ratio_only:
                print(f"| {r['label']} | {r['before']['rps']:.0f} → {r['health']['rps']:.0f} | {r['lean']['rps']:.0f} | "
                      f"{r['ratio']:.2f} / {r['ratio_several']:.2f} | (--ratio-only) | | | |")
                continue
            print(f"| {r['label']} | {r['before']['rps']:.0f} → {r['health']['rps']:.0f} | {r['lean']['rps']:.0f} | "
                  f"{r['ratio']:.2f} / {r['ratio_several']:.2f} | {r['p50']:.0f} / {r['p95']:.0f} / {r['p99']:.0f} | "
                  f"{r['failed']} | {r['lost']} | {r['burst']['p95']:.0f} |")
        print(f"\nload average at the end {os.getloadavg()[0]:.1f}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
