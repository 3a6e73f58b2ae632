"""Hours reports for administrators: per-learner audit, CSV export, per-program distribution.

Plain functions over the ledger; the admin views (``course_content.views.admin``) only
render them.
"""

import csv
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Enrolment, StudyInterval
from . import ledger


def enrolment_totals(enrolments) -> list[dict]:
    """Per enrolment: credited seconds, class hours, required hours and whether met (one query)."""
    enrolments = list(enrolments)
    seconds = dict(
        StudyInterval.objects.filter(enrolment__in=enrolments)
        .values("enrolment_id")
        .annotate(s=Sum("credited_seconds"))
        .values_list("enrolment_id", "s")
    )
    rows = []
    for enrolment in enrolments:
        total = int(seconds.get(enrolment.pk) or 0)
        earned = ledger.seconds_to_class_hours(total, enrolment.program.minutes_per_class_hour)
        rows.append(
            {
                "enrolment": enrolment,
                "seconds": total,
                "class_hours": earned,
                "required": enrolment.level.required_hours,
                "met": earned >= enrolment.level.required_hours,
            }
        )
    return rows


def program_enrolments(program):
    return (
        Enrolment.objects.filter(program=program)
        .select_related("learner", "level", "program")
        .order_by("level__sort_order", "learner__real_name", "pk")
    )


def hours_distribution(rows: list[dict], buckets: int = 10) -> list[dict]:
    """Learners per band of "share of the requirement reached": 0–10 %, …, 90–100 %, met."""
    counts = [0] * (buckets + 1)
    for row in rows:
        if row["met"]:
            counts[buckets] += 1
            continue
        share = row["class_hours"] / row["required"] if row["required"] else Decimal("1")
        counts[min(int(share * buckets), buckets - 1)] += 1
    step = 100 // buckets
    labels = [f"{i * step}–{(i + 1) * step}%" for i in range(buckets)] + [_("met")]
    return [{"label": label, "count": count} for label, count in zip(labels, counts, strict=True)]


def bar_chart(distribution: list[dict], width: int = 640, height: int = 220) -> dict:
    """Geometry of a simple SVG bar chart (the template draws it; no JS, CSP-safe)."""
    top = max((d["count"] for d in distribution), default=0) or 1
    gap, left, bottom = 6, 30, 40
    bar_width = (width - left - gap * len(distribution)) / max(len(distribution), 1)
    bars = []
    for index, item in enumerate(distribution):
        bar_height = (height - bottom - 20) * item["count"] / top
        x = left + index * (bar_width + gap)
        bars.append(
            {
                **item,
                "x": round(x, 1),
                "y": round(height - bottom - bar_height, 1),
                "width": round(bar_width, 1),
                "height": round(bar_height, 1),
                "label_x": round(x + bar_width / 2, 1),
            }
        )
    return {"width": width, "height": height, "bars": bars, "baseline": height - bottom, "top": top}


CSV_HEADER = ("program", "level", "real_name", "document_number", "phone", "credited_seconds", "class_hours",
              "required_hours", "hours_met", "enrolled_at")


def write_hours_csv(out, enrolments) -> None:
    """One row per enrolment; numbers are raw (seconds and class hours) for spreadsheets."""
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    for row in enrolment_totals(enrolments):
        e = row["enrolment"]
        writer.writerow(
            [
                e.program.display_name, e.level.name, e.learner.real_name, e.learner.document_number or "",
                e.learner.phone or "", row["seconds"], row["class_hours"], row["required"], "yes" if row["met"] else "no",
                timezone.localtime(e.created_at).isoformat(),
            ]
        )
