"""Load and checks for the scale-out benchmark (bench_scaleout.py).

``steady_with_retries`` is the exam-day save load of bench_exam_day.steady, with the exam page
journal's behaviour on top: a save that is not acknowledged (connection reset, 502/503 from
the balancer, timeout) is sent again with the same sequence number until it is acknowledged,
so a node dying mid-run costs latency, not answers. ``cross_node_checks`` proves that a
session and a private file made on one node work on the other.
"""

import asyncio
import json
import random
import time

from tests.bench.bench_autosave import CSRF, INTERVAL, _save_request
from tests.bench.bench_exam_day import _percentiles

RETRY_PAUSE = 1.0  # the journal retries an unacknowledged flush after about a second


async def steady_with_retries(base: str, candidates, seconds: float, base_seq: int = 0, on_tick=None,
                              grace: float = 20) -> dict:
    """Open loop, one changed answer per candidate every 15 s for ``seconds``; unacknowledged
    saves are retried (same seq) for up to ``grace`` s after the run. ``on_tick(elapsed)`` is
    awaited every 0.1 s (the node-kill run kills a node from it)."""
    import aiohttp

    latencies, acked, errors, samples = [], {}, {}, {}
    counts = {"sent": 0, "retried": 0, "failed": 0, "acked_after_kill": 0}
    kill_at = {"t": None}
    active_after_kill, carried_on = set(), set()
    connector = aiohttp.TCPConnector(limit=2048, force_close=False)
    cpu0, start = time.process_time(), time.monotonic()
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=15), connector=connector,
                                     cookie_jar=aiohttp.DummyCookieJar()) as session:

        async def deliver(candidate, seq) -> bool:
            url, headers, body = _save_request(base, candidate, base_seq + seq)
            t0 = time.monotonic()
            tries = 0
            while time.monotonic() - start < seconds + grace:
                tries += 1
                counts["sent"] += 1
                try:
                    async with session.post(url, json=body, headers=headers) as resp:
                        raw = await resp.read()
                        data = json.loads(raw) if resp.status == 200 else {}
                        if resp.status == 200 and not data.get("errors"):
                            for pos, s in data["acked"].items():
                                key = (candidate[1], int(pos))
                                acked[key] = max(acked.get(key, 0), s)
                            latencies.append(time.monotonic() - t0)
                            if kill_at["t"] is not None and t0 >= kill_at["t"]:
                                counts["acked_after_kill"] += 1
                                carried_on.add(candidate[1])
                            return True
                        status = resp.status if resp.status != 200 else "200 with errors"
                        errors[status] = errors.get(status, 0) + 1
                        samples.setdefault(status, raw[:300])
                except Exception as err:  # noqa: BLE001 - every failure is retried and counted
                    errors[type(err).__name__] = errors.get(type(err).__name__, 0) + 1
                counts["retried"] += 1
                await asyncio.sleep(RETRY_PAUSE)
            counts["failed"] += 1
            return False

        async def candidate_loop(candidate):
            await asyncio.sleep(random.uniform(0, INTERVAL))
            seq = 0
            while time.monotonic() - start < seconds:
                seq += 1
                t0 = time.monotonic()
                if kill_at["t"] is not None:
                    active_after_kill.add(candidate[1])
                await deliver(candidate, seq)
                now = time.monotonic()
                await asyncio.sleep(max(0.0, min(INTERVAL - (now - t0), seconds - (now - start))))

        async def ticker():
            while time.monotonic() - start < seconds:
                if on_tick and kill_at["t"] is None and await on_tick(time.monotonic() - start):
                    kill_at["t"] = time.monotonic()
                await asyncio.sleep(0.1)

        await asyncio.gather(ticker(), *(candidate_loop(c) for c in candidates))
        elapsed = time.monotonic() - start
    p50, p95, p99 = _percentiles(latencies)
    return {"offered": len(candidates) / INTERVAL, "achieved": len(latencies) / elapsed, "p50": p50, "p95": p95,
            "p99": p99, "ok": len(latencies), **counts, "errors": errors, "samples": samples, "acked": acked,
            "client_cpu": (time.process_time() - cpu0) / elapsed,
            "carried_on": len(carried_on), "active_after_kill": len(active_after_kill)}


def id_photo_jpeg() -> bytes:
    """A 2-inch ID photo the registration accepts: portrait 5:7, blue background."""
    import io

    from PIL import Image
    from skimage import data

    photo = Image.new("RGB", (350, 490), (40, 90, 200))
    face = Image.fromarray(data.astronaut()).crop((130, 10, 330, 250))
    photo.paste(face, (75, 150))
    buf = io.BytesIO()
    photo.save(buf, "JPEG", quality=90)
    return buf.getvalue()


def lost(acked: dict, stored: dict) -> int:
    """Acknowledged saves whose sequence number the database does not hold."""
    return sum(1 for key, seq in acked.items() if stored.get(key, 0) < seq)


async def closed_loop_saves(base: str, candidates, seconds: float, base_seq: int = 0, concurrency: int = 32) -> dict:
    """Back-to-back saves from ``concurrency`` clients: acknowledged saves/s and latency."""
    import aiohttp

    latencies, failed, statuses, samples = [], 0, {}, {}
    cpu0 = time.process_time()
    async with aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar(),
                                     connector=aiohttp.TCPConnector(limit=concurrency)) as session:
        start = time.monotonic()

        async def worker(index):
            nonlocal failed
            seq = base_seq + 10_000 * (index + 1)
            while time.monotonic() - start < seconds:
                seq += 1
                url, headers, body = _save_request(base, candidates[index], seq)
                t0 = time.monotonic()
                async with session.post(url, json=body, headers=headers) as resp:
                    raw = await resp.read()
                    if resp.status == 200:
                        latencies.append(time.monotonic() - t0)
                    else:
                        failed += 1
                        statuses[resp.status] = statuses.get(resp.status, 0) + 1
                        samples.setdefault(resp.status, raw[:300])

        await asyncio.gather(*(worker(i) for i in range(concurrency)))
        elapsed = time.monotonic() - start
    p50, p95, p99 = _percentiles(latencies)
    return {"rate": len(latencies) / elapsed, "p50": p50, "p95": p95, "p99": p99, "failed": failed,
            "statuses": statuses, "samples": samples,
            "client_cpu": (time.process_time() - cpu0) / elapsed}


async def cross_node_checks(first, second, cluster, username: str, password: str, registration: int,
                            candidate, jpeg: bytes) -> dict:
    """Log in on ``first``; use that session on ``second`` (paper + a save); upload an ID photo
    through ``first`` and download it through ``second``. Returns what was seen."""
    import aiohttp
    import yarl

    _key, attempt_id, positions = candidate
    position, options = positions[0]
    seen = {}
    jar = aiohttp.CookieJar(unsafe=True)
    async with aiohttp.ClientSession(cookie_jar=jar, timeout=aiohttp.ClientTimeout(total=60)) as s:
        jar.update_cookies({"csrftoken": CSRF}, yarl.URL(first.base))
        async with s.post(f"{first.base}/accounts/login/", allow_redirects=False,
                          data={"username": username, "password": password, "csrfmiddlewaretoken": CSRF}) as r:
            seen["login on node 1"] = r.status
            session_id = r.cookies.get("sessionid")  # a Secure cookie: the jar keeps it from http URLs
        if session_id is None:
            return {**seen, "session cookie": None}
        cookies = {"Cookie": f"sessionid={session_id.value}; csrftoken={CSRF}"}
        async with aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar()) as plain:
            async with plain.get(f"{second.base}/programs/energy/exam/api/attempts/{attempt_id}",
                                 headers={**cookies, "Accept": "application/json"}) as r:
                paper = await r.json(content_type=None)
                seen["paper on node 2"] = r.status if paper.get("items") else f"{r.status} without items"
            value = [0] if options else "跨节点保存"
            body = {"answers": [{"position": position, "seq": 999_999, "value": value}]}
            async with plain.post(f"{second.base}/programs/energy/exam/api/attempts/{attempt_id}/answers", json=body,
                                  headers={**cookies, "X-CSRFToken": CSRF}) as r:
                data = await r.json(content_type=None)
                seen["save on node 2"] = r.status if data.get("acked", {}).get(str(position)) == 999_999 else f"{r.status} {data}"
            form = aiohttp.FormData()
            form.add_field("csrfmiddlewaretoken", CSRF)
            form.add_field("file_photo", jpeg, filename="photo.jpg", content_type="image/jpeg")
            async with plain.post(f"{first.base}/register/r/{registration}/", data=form, headers=cookies,
                                  allow_redirects=False) as r:
                await r.read()  # 302, or 200 when other fields of the draft still need correcting
            rows = cluster.query("SELECT id, file FROM registration_material WHERE registration_id = %s AND kind = 'photo'",
                                 registration)
            seen["photo stored via node 1"] = bool(rows)
            if not rows:
                return seen
            material_id, name = rows[0]
            seen["photo file on shared storage"] = (cluster.shared / "private" / name).is_file()
            async with plain.get(f"{second.base}/register/files/{material_id}/", headers=cookies) as r:
                content = await r.read()
                seen["photo download on node 2"] = r.status
                seen["same bytes"] = content == jpeg
    return seen
