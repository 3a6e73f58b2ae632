"""Scale-out on one machine: two app nodes behind HAProxy, sharing PostgreSQL and Redis, one
node killed with SIGKILL in the middle of exam-day load (issue 16).

    .venv/bin/python tests/bench/bench_scaleout.py                       # ≈ 10 min on 2 busy cores
    .venv/bin/python tests/bench/bench_scaleout.py --candidates 3000 --seconds 60 --workers 2

Cluster (bench_scaleout_cluster.py): a throwaway PostgreSQL database (127.0.0.1:5432, user
postgres), Redis db ``--redis-db`` (flushed before and after), one shared directory
(CERTPLATFORM_SHARED_DIR: private files, uploads, signing keys) and two gunicorn nodes with
production settings, each with its own CERTPLATFORM_DATA_DIR, all with one DJANGO_SECRET_KEY.
HAProxy (Debian's package, unprivileged, free port) balances them round robin with /healthz
checks every 0.5 s and re-dispatches a request whose connection failed.

(0) cross-node: log in on node 1, load the paper and save on node 2 with that session;
    upload an ID photo on node 1, download it on node 2.
(a) one node vs two nodes behind the balancer: closed loop (32 clients, back-to-back saves)
    and open loop (N candidates, one changed answer every 15 s) with p50/p95/p99; every
    acknowledged save is checked in the database ("lost" must be 0).
(b) node kill: the same open-loop load through the balancer over both nodes; at
    ``--kill-at`` s node 2's gunicorn master and workers get SIGKILL together. Clients retry
    an unacknowledged save (same seq) like the exam page's journal; afterwards every
    acknowledged save must be in the database. Prints failed/retried saves, the balancer's
    retries/redispatches and how many candidates carried on after the kill.
The client's own CPU use is printed (fraction of one core): the load generator shares the
two cores with the servers.
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

from tests.bench.bench_scaleout_cluster import PASSWORD, Balancer, Cluster  # noqa: E402
from tests.bench.bench_scaleout_load import (  # noqa: E402
    closed_loop_saves,
    cross_node_checks,
    id_photo_jpeg,
    lost,
    steady_with_retries,
)

EXPECTED_CROSS_NODE = {"login on node 1": 302, "paper on node 2": 200, "save on node 2": 200,
                       "photo stored via node 1": True, "photo file on shared storage": True, "photo download on node 2": 200, "same bytes": True}


def run_load(balancer, cluster, candidates, args, run: int, on_tick=None) -> dict:
    """Closed loop then open loop through ``balancer``; seqs of run ``run`` are above run*10**6."""
    # Every run writes newer seqs than the runs before, so a lost save cannot hide behind an
    # older stored one.
    base_seq = run * 1_000_000
    closed = None
    if on_tick is None:
        closed = asyncio.run(closed_loop_saves(balancer.base, candidates, args.closed_seconds, base_seq - 900_000))
    before = balancer.stats()
    steady = asyncio.run(steady_with_retries(balancer.base, candidates[: args.candidates], args.seconds,
                                             base_seq=base_seq, on_tick=on_tick))
    after = balancer.stats()
    acked = steady.pop("acked")
    steady["lost"] = lost(acked, cluster.stored_seqs())
    steady["acked_keys"] = len(acked)
    steady["servers"] = {name: {k: (v - before.get(name, {}).get(k, 0)) if k != "status" else v for k, v in s.items()}
                         for name, s in after.items()}
    return {"closed": closed, "steady": steady}


def print_run(label: str, r: dict, candidates: int) -> None:
    c, s = r["closed"], r["steady"]
    print(f"\n== {label} ==")
    if c:
        print(f"closed loop (32 clients): {c['rate']:.0f} saves/s · p50 {c['p50']:.0f} ms p95 {c['p95']:.0f} ms "
              f"p99 {c['p99']:.0f} ms · failed {c['failed']} {c['statuses'] or ''} · client CPU {c['client_cpu']:.0%} of one core")
    print(f"open loop {candidates} candidates: offered {s['offered']:.0f}/s acknowledged "
          f"{s['achieved']:.0f}/s · p50 {s['p50']:.0f} ms p95 {s['p95']:.0f} ms p99 {s['p99']:.0f} ms · "
          f"sent {s['sent']} (retried {s['retried']}) · failed {s['failed']} · lost {s['lost']} of "
          f"{s['acked_keys']} acknowledged answers · client CPU {s['client_cpu']:.0%} · errors {s['errors'] or '-'}")
    for status, sample in {**(c or {}).get("samples", {}), **s["samples"]}.items():
        print(f"  first {status} answer: {sample[:160]!r}")
    per = ", ".join(f"{n}: {v['sessions']} req ({v['status']}, retries {v['retries']}, redispatched "
                    f"{v['redispatched']})" for n, v in s["servers"].items())
    print(f"balancer: {per}", flush=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--candidates", type=int, default=450)
    parser.add_argument("--seconds", type=float, default=40)
    parser.add_argument("--closed-seconds", type=float, default=10)
    parser.add_argument("--kill-at", type=float, default=15)
    parser.add_argument("--workers", type=int, default=1, help="gunicorn workers per node (× 8 threads)")
    parser.add_argument("--redis-db", type=int, default=11)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-scaleout-"))
    os.chmod(tmp, 0o755)  # the unprivileged balancer reads its config below it
    cluster = Cluster(tmp, args.redis_db)
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at start; "
          f"nodes: gunicorn {args.workers} worker(s) × 8 threads each, production settings", flush=True)
    failures = []
    try:
        cluster.create()
        t0 = time.monotonic()
        data = cluster.prepare(args.candidates)
        candidates = data["candidates"]
        print(f"PostgreSQL {cluster.pg_name} prepared with {len(candidates)} candidates in "
              f"{time.monotonic() - t0:.0f} s", flush=True)
        node1, node2 = cluster.add_node("node1"), cluster.add_node("node2")
        node1.start(args.workers)
        node2.start(args.workers)

        seen = asyncio.run(cross_node_checks(node1, node2, cluster, data["username"], PASSWORD, data["registration"],
                                             candidates[0], id_photo_jpeg()))
        print("\n== cross-node ==\n" + "\n".join(f"{k}: {v}" for k, v in seen.items()), flush=True)
        if seen != EXPECTED_CROSS_NODE:
            failures.append(f"cross-node checks: {seen}")

        results = {}
        for run, nodes in ((1, [node1]), (2, [node1, node2])):
            cluster.balancer = Balancer(cluster, f"haproxy{run}")
            cluster.balancer.start(nodes)
            results[run] = run_load(cluster.balancer, cluster, candidates, args, run)
            cluster.balancer.stop()
            print_run(f"(a) {len(nodes)} node(s) behind HAProxy", results[run], args.candidates)

        cluster.balancer = Balancer(cluster, "haproxy3")
        cluster.balancer.start([node1, node2])
        killed = {}

        async def kill_node2(elapsed):
            if elapsed >= args.kill_at:
                killed["processes"] = node2.kill()
                killed["at"] = elapsed
                return True
            return False

        kill = run_load(cluster.balancer, cluster, candidates, args, 3, on_tick=kill_node2)
        print_run(f"(b) node kill: SIGKILL node2 ({killed.get('processes')} processes: master + workers) at "
                  f"{killed.get('at', float('nan')):.1f} s", kill, args.candidates)
        s = kill["steady"]
        print(f"carried on after the kill: {s['carried_on']} of {s['active_after_kill']} candidates who saved "
              f"after it got acknowledgements ({s['acked_after_kill']} saves)")

        one, two = results[1], results[2]
        print(f"\ntwo nodes ÷ one node: closed-loop saves {two['closed']['rate'] / one['closed']['rate']:.2f} · "
              f"open-loop p99 {one['steady']['p99']:.0f} → {two['steady']['p99']:.0f} ms")
        for label, r in (("one node", one), ("two nodes", two), ("node kill", kill)):
            if r["steady"]["lost"]:
                failures.append(f"{label}: {r['steady']['lost']} acknowledged saves lost")
        if not killed or s["carried_on"] == 0:
            failures.append("no candidate carried on after the kill")
        print(f"\nload average at the end {os.getloadavg()[0]:.1f}")
    finally:
        cluster.destroy()
        shutil.rmtree(tmp, ignore_errors=True)
    if failures:
        print("\nFAILED:\n" + "\n".join(failures))
        sys.exit(1)
    print("\nOK: sessions and private files shared across nodes; 0 acknowledged saves lost in every run")


if __name__ == "__main__":
    main()
