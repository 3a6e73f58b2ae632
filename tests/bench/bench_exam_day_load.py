"""Exam-day benchmark, part 2: the load generators.

- ``wrk_closed_loop``: wrk (C, one thread, Debian package ``wrk``) keeps ``connections``
  requests in flight for ``seconds`` against ``/healthz`` or the save endpoint (Lua script
  ``wrk_save.lua``: each request is the next candidate's next save with its session, CSRF
  pair and exam save token); wrk's own CPU use is reported.
- ``steady``: N candidates (aiohttp, open loop) each change one answer every 15 s; every
  acknowledgement is recorded so ``lost_saves`` can check the database afterwards. The
  client's own CPU use is reported.
- ``burst``: candidates/s log in (real login form), pass the face check, load the paper.
"""

import asyncio
import base64
import itertools
import json
import random
import re
import resource
import statistics
import subprocess
import sys
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.bench.bench_autosave import CSRF, INTERVAL, PYTHON, _save_request  # noqa: E402
from tests.bench.bench_exam_day_site import PASSWORD  # noqa: E402

LUA = Path(__file__).with_name("wrk_save.lua")
STEADY_SEQ_BASE = 1_000_000
# Each closed-loop save run starts its candidates' seqs this far above the previous run's,
# so no run's saves are stale (a stale save takes the slower fallback path); all stay below
# STEADY_SEQ_BASE.
CLOSED_LOOP_SEQ_STEP = 20_000
_closed_loop_runs = itertools.count()


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


CONNECTIONS = 32  # wrk's keep-alive connections in the closed loops


def wrk_closed_loop(url: str, seconds: float, connections: int = CONNECTIONS, candidates=None, work_dir: Path | None = None,
                    token: bool = True) -> dict:
    """Requests/s (2xx only) with ``connections`` in flight; saves when ``candidates`` given."""
    cmd = ["wrk", "-t1", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--latency", "--timeout", "10s"]
    if candidates is not None:
        data = work_dir / "wrk_candidates.txt"
        data.write_text("".join(
            f"{attempt_id} {key} {token} {','.join(f'{p}:{n}' for p, n in positions if n)}\n"
            for key, attempt_id, positions, token in candidates))
        seq_base = next(_closed_loop_runs) * CLOSED_LOOP_SEQ_STEP
        assert seq_base < STEADY_SEQ_BASE
        cmd += ["-s", str(LUA), url, "--", str(data), CSRF, "token" if token else "session", str(seq_base)]
    else:
        cmd.append(url)
    cpu0, t0 = _children_cpu(), time.monotonic()
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    elapsed, cpu = time.monotonic() - t0, _children_cpu() - cpu0
    total = int(re.search(r"(\d+) requests in", out).group(1))
    bad = int(m.group(1)) if (m := re.search(r"Non-2xx or 3xx responses: (\d+)", out)) else 0
    errors = re.search(r"Socket errors: (.*)", out)
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", out)
    unit = {"us": 0.001, "ms": 1.0, "s": 1000.0}
    return {"rps": (total - bad) / float(re.search(r"requests in ([\d.]+)s", out).group(1)),
            "non_2xx": bad, "socket_errors": errors.group(1) if errors else "",
            "p99_ms": float(p99.group(1)) * unit[p99.group(2)] if p99 else float("nan"),
            "wrk_cpu": cpu / elapsed}


def _percentiles(latencies):
    if not latencies:
        return float("nan"), float("nan"), float("nan")
    ordered = sorted(latencies)

    def pick(q):
        return ordered[min(len(ordered) - 1, int(len(ordered) * q))] * 1000

    return statistics.median(ordered) * 1000, pick(0.95), pick(0.99)


async def steady(base: str, candidates, seconds: float, warmup: float = 0.0) -> dict:
    """Open loop for ``warmup`` + ``seconds``; records the highest acknowledged seq per
    (attempt, position). Rates and latencies are those of the saves sent in the last
    ``seconds`` (after every candidate's first saves: the per-worker paper-layout caches are
    warm, as they are for hours of an exam); failures count over the whole run, and every
    acknowledgement of the whole run is checked by ``lost_saves``."""
    import aiohttp

    latencies, failures, errors, acked, sent = [], 0, {}, {}, 0
    cold_failures = 0
    seconds_total = warmup + seconds
    cpu0 = time.process_time()
    connector = aiohttp.TCPConnector(limit=1024)
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=15), connector=connector,
                                     cookie_jar=aiohttp.DummyCookieJar()) as session:
        start = time.monotonic()

        async def one(candidate):
            nonlocal failures, sent, cold_failures
            await asyncio.sleep(random.uniform(0, INTERVAL))
            seq = STEADY_SEQ_BASE  # above whatever the closed-loop phase stored
            while time.monotonic() - start < seconds_total:
                seq += 1
                t0 = time.monotonic()
                measured = t0 - start >= warmup
                sent += measured
                url, headers, body = _save_request(base, candidate, seq)
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
                if ok and measured:
                    latencies.append(time.monotonic() - t0)
                elif not ok:
                    failures += 1
                    cold_failures += not measured
                await asyncio.sleep(max(0.0, INTERVAL - (time.monotonic() - t0)))

        await asyncio.gather(*(one(c) for c in candidates))
        elapsed = time.monotonic() - start
    p50, p95, p99 = _percentiles(latencies)
    # Rates per second of the measured window (every save of it was sent inside it; the
    # run itself lasts up to one interval longer, the candidates' last waits).
    return {"client_cpu": (time.process_time() - cpu0) / elapsed, "offered": len(candidates) / INTERVAL,
            "sent": sent / seconds, "achieved": len(latencies) / seconds, "p50": p50, "p95": p95,
            "p99": p99, "ok": len(latencies), "failed": failures, "failed_warmup": cold_failures,
            "errors": errors, "acked": acked}


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
                async with s.post(f"{base}/programs/energy/proctor/api/s/{ps_id}/face/",
                                  json={"image": base64.b64encode(jpeg).decode()},
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


def lost_saves(site, acked: dict) -> int:
    stored = site.stored_seqs({a for a, _p in acked})
    return sum(1 for key, seq in acked.items() if stored.get(key, 0) < seq)


def login_costs(site) -> dict:
    """CPU time of one password check (what a login pays) per hasher, same process."""
    code = textwrap.dedent("""
        import django, json, time
        django.setup()
        from django.contrib.auth.hashers import check_password, make_password
        out = {}
        for algorithm in ("argon2", "pbkdf2_sha256"):
            encoded = make_password("Exam-Day-2026!", hasher=algorithm)
            check_password("Exam-Day-2026!", encoded)
            t = time.process_time()
            for _ in range(5):
                check_password("Exam-Day-2026!", encoded)
            out[algorithm] = (time.process_time() - t) / 5 * 1000
        print(json.dumps(out))
    """)
    out = subprocess.run([str(PYTHON), "-c", code], cwd=ROOT, env=site.env, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])
