"""Live figures for the exam-day panel: per sitting happening today, who is connected,
how fast answers arrive, what the proctors flagged; and the server's error rate.

Plain queries over the exam tables plus one program-scoped signal
(``exam_plugin.signals.exam_day_status``) that the proctor plugin answers with incidents
and heartbeats; the server errors come from ``cms_site.services.server_errors``.
"""

from datetime import datetime, time, timedelta

from django.db.models import Count, Q
from django.utils import timezone

from cms_site.services.server_errors import server_errors

from ..models import Attempt, AttemptItem, Candidate, ExamSitting

LIVE_SECONDS = 60


def sittings_today(programs, now=None):
    """Sittings of ``programs`` that overlap today (local time) or are running now."""
    now = now or timezone.now()
    local = timezone.localtime(now)
    day_start = timezone.make_aware(datetime.combine(local.date(), time.min), local.tzinfo)
    day_end = day_start + timedelta(days=1)
    return list(
        ExamSitting.objects.filter(program__in=programs, starts_at__lt=day_end, ends_at__gte=day_start)
        .select_related("program").order_by("starts_at", "pk")
    )


def _proctor_answers(sittings, since) -> dict[int, dict]:
    from ..signals import exam_day_status

    merged: dict[int, dict] = {}
    by_program: dict[int, tuple] = {}
    for sitting in sittings:
        by_program.setdefault(sitting.program_id, (sitting.program, []))[1].append(sitting)
    for program, program_sittings in by_program.values():
        for _receiver, answer in exam_day_status.send_robust(sender=program, sittings=program_sittings, since=since):
            if not isinstance(answer, dict):
                continue  # a failed receiver (logged by send_robust) or one with nothing to say
            for pk, figures in answer.items():
                row = merged.setdefault(pk, {"incidents": 0, "recent_incidents": 0, "connected": set()})
                row["incidents"] += int(figures.get("incidents", 0))
                row["recent_incidents"] += int(figures.get("recent_incidents", 0))
                row["connected"] |= set(figures.get("connected", ()))
    return merged


def snapshot(programs, now=None) -> dict:
    """``{"now", "errors_last_minute", "sittings": [row…], "totals": {…}}``; a row has
    ``sitting``, ``candidates``, ``started``, ``in_progress``, ``handed_in``,
    ``connected`` (attempts that saved in the last 60 s or candidates with a proctor
    heartbeat), ``saves_per_second`` (answers stored in the last minute ÷ 60),
    ``incidents`` and ``recent_incidents``."""
    now = now or timezone.now()
    since = now - timedelta(seconds=LIVE_SECONDS)
    sittings = sittings_today(programs, now)
    pks = [s.pk for s in sittings]
    counts = {
        row["sitting_id"]: row
        for row in Candidate.objects.filter(sitting_id__in=pks)
        .values("sitting_id").annotate(n=Count("id"))
    }
    attempts = {
        row["sitting_id"]: row
        for row in Attempt.objects.filter(sitting_id__in=pks).values("sitting_id").annotate(
            started=Count("id"),
            in_progress=Count("id", filter=Q(status=Attempt.Status.IN_PROGRESS)),
        )
    }
    live_items = AttemptItem.objects.filter(attempt__sitting_id__in=pks, saved_at__gte=since)
    saves = {r["attempt__sitting_id"]: r["n"] for r in live_items.values("attempt__sitting_id").annotate(n=Count("id"))}
    saving_candidates: dict[int, set[int]] = {}
    for sitting_id, candidate_id in live_items.values_list("attempt__sitting_id", "attempt__candidate_id").distinct():
        if candidate_id is not None:
            saving_candidates.setdefault(sitting_id, set()).add(candidate_id)
    proctor = _proctor_answers(sittings, since)
    rows = []
    for sitting in sittings:
        started = attempts.get(sitting.pk, {}).get("started", 0)
        in_progress = attempts.get(sitting.pk, {}).get("in_progress", 0)
        extra = proctor.get(sitting.pk, {})
        connected = saving_candidates.get(sitting.pk, set()) | extra.get("connected", set())
        rows.append({
            "sitting": sitting,
            "candidates": counts.get(sitting.pk, {}).get("n", 0),
            "started": started,
            "in_progress": in_progress,
            "handed_in": started - in_progress,
            "connected": len(connected),
            "saves_per_second": round(saves.get(sitting.pk, 0) / LIVE_SECONDS, 2),
            "incidents": extra.get("incidents", 0),
            "recent_incidents": extra.get("recent_incidents", 0),
        })
    totals = {key: sum(r[key] for r in rows) for key in
              ("candidates", "started", "in_progress", "handed_in", "connected", "incidents", "recent_incidents")}
    totals["saves_per_second"] = round(sum(r["saves_per_second"] for r in rows), 2)
    return {"now": now, "errors_last_minute": server_errors(minutes=1), "sittings": rows, "totals": totals}
