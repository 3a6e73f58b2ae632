"""Results packs: the laptop's study intervals and practice results, merged centrally.

Intervals are replayed through the ledger (``course_content.services.ledger``, source ``pack``)
as heartbeats of at most one heartbeat interval each, on the device
``pack:<installation>:<laptop device>`` with sequence numbers taken from the span's start
(whole seconds since the epoch): they grow with time, so merging the same pack twice is
rejected as duplicates/replays, and a later pack from the same laptop continues them.
"""

import json
import uuid
from datetime import timedelta
from pathlib import Path

import sqlite_utils
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from ..models import ImportedPage
from ..signals import pack_results_export, pack_results_merge
from . import signing


def installation_id() -> str:
    """A stable id of this installation (``DATA_DIR/installation.id``, made on first use)."""
    path = Path(settings.DATA_DIR) / "installation.id"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(uuid.uuid4().hex[:12])
    return path.read_text().strip()


def _central_key(page_id, keys_by_page) -> str | None:
    from wagtail.models import Page

    if page_id in keys_by_page:
        return keys_by_page[page_id]
    page = Page.objects.filter(pk=page_id).only("translation_key").first()
    return str(page.translation_key) if page else None


def write_results_pack(path, program=None, since=None) -> dict:
    """Write this installation's study intervals (of ``program``, or of every program) and
    practice results to a signed results pack at ``path``."""
    from course_content.models import ProgramPage, StudyInterval

    path = Path(path)
    if path.exists():
        path.unlink()
    keys_by_page = {row.page_id: str(row.source_key) for row in ImportedPage.objects.all()}
    rows = StudyInterval.objects.select_related("enrolment__learner", "enrolment__level", "enrolment__program")
    if program is not None:
        rows = rows.filter(enrolment__program=program)
    if since is not None:
        rows = rows.filter(ended_at__gte=since)
    intervals = []
    for row in rows.order_by("started_at"):
        key = _central_key(row.lesson_id, keys_by_page) if row.lesson_id else None
        if key is None:
            continue
        intervals.append({
            "username": row.enrolment.learner.username, "level": row.enrolment.level.code,
            "program_key": _central_key(row.enrolment.program_id, keys_by_page),
            "lesson_key": key, "lesson_title": row.lesson_title, "device": row.device_id or "laptop",
            "started_at": row.started_at.isoformat(), "ended_at": row.ended_at.isoformat(),
            "credited_seconds": row.credited_seconds,
        })
    practice = []
    programs = [program] if program is not None else list(ProgramPage.objects.all())
    for each in programs:
        for _receiver, answer in pack_results_export.send_robust(sender=each):
            if isinstance(answer, list):
                practice.extend({"program_key": _central_key(each.pk, keys_by_page), "data": json.dumps(r, ensure_ascii=False)}
                                for r in answer)
    db = sqlite_utils.Database(path)
    db["meta"].insert_all([
        {"key": "kind", "value": "results"}, {"key": "installation", "value": installation_id()},
        {"key": "created_at", "value": timezone.now().isoformat()},
    ])
    if intervals:
        db["intervals"].insert_all(intervals)
    if practice:
        db["practice_results"].insert_all(practice)
    signing.sign(db, signing.DEVICE)
    db.conn.commit()
    db.close()
    return {"intervals": len(intervals), "practice_results": len(practice)}


def _heartbeats(row, device, heartbeat_seconds) -> list[dict]:
    """Split one credited interval into heartbeats of at most ``heartbeat_seconds``."""
    start, end = parse_datetime(row["started_at"]), parse_datetime(row["ended_at"])
    end = min(end, start + timedelta(seconds=int(row["credited_seconds"])))
    out, cursor = [], start
    while cursor < end:
        stop = min(cursor + timedelta(seconds=heartbeat_seconds), end)
        out.append({"device": device, "seq": int(cursor.timestamp()), "activity": "input",
                    "started_at": cursor.isoformat(), "ended_at": stop.isoformat()})
        cursor = stop
    return out


def merge_results_pack(path) -> dict:
    """Merge a results pack into this (central) installation; idempotent."""
    from wagtail.models import Page

    from course_content.models import ProgramPage
    from course_content.services import ledger

    db = signing.open_verified(path, "results")
    meta = signing.meta(db)
    users = {u.username: u for u in get_user_model().objects.filter(
        username__in={r["username"] for r in db["intervals"].rows} if "intervals" in db.table_names() else [])}
    lessons = {}
    counts = {"credited_seconds": 0, "accepted": 0, "rejected": 0, "unknown": 0}
    per_learner: dict[str, list[dict]] = {}
    for row in (db["intervals"].rows if "intervals" in db.table_names() else []):
        user = users.get(row["username"])
        if row["lesson_key"] not in lessons:
            lessons[row["lesson_key"]] = Page.objects.filter(translation_key=row["lesson_key"]).values_list("pk", flat=True).first()
        lesson_id = lessons[row["lesson_key"]]
        if user is None or lesson_id is None:
            counts["unknown"] += 1
            continue
        device = f"pack:{meta['installation']}:{row['device']}"[:64]
        for beat in _heartbeats(row, device, ledger.heartbeat_seconds()):
            per_learner.setdefault(user.username, []).append({**beat, "lesson": lesson_id})
    for username, beats in per_learner.items():
        for outcome in ledger.record_heartbeats(users[username], beats, source=ledger.PACK):
            counts["credited_seconds"] += outcome.credited_seconds
            counts["accepted" if outcome.status != "rejected" else "rejected"] += 1
    practice = {"stored": 0, "duplicate": 0, "refused": 0}
    if "practice_results" in db.table_names():
        by_program: dict[str, list[dict]] = {}
        for row in db["practice_results"].rows:
            by_program.setdefault(row["program_key"], []).append(json.loads(row["data"]))
        for key, rows in by_program.items():
            program = ProgramPage.objects.filter(translation_key=key).first()
            if program is None:
                practice["refused"] += len(rows)
                continue
            names = set(get_user_model().objects.filter(username__in={r.get("username") for r in rows})
                        .values_list("username", flat=True))
            for _receiver, answer in pack_results_merge.send_robust(sender=program, rows=rows, usernames=names):
                if isinstance(answer, dict):
                    for k in practice:
                        practice[k] += int(answer.get(k, 0))
    db.close()
    return {**counts, "practice": practice}


__all__ = ["merge_results_pack", "write_results_pack"]
