"""Totals derived from the ledger (``StudyInterval`` rows). Nothing else stores hours."""

from decimal import ROUND_DOWN, Decimal

from django.conf import settings
from django.db.models import Sum

from ...models.enrolment import Enrolment, StudyInterval
from ...signals import enrolment_hours_changed


def credited_seconds(enrolment) -> int:
    total = StudyInterval.objects.filter(enrolment=enrolment).aggregate(s=Sum("credited_seconds"))["s"]
    return int(total or 0)


def lesson_credited_seconds(enrolment, lesson_id: int) -> int:
    total = StudyInterval.objects.filter(enrolment=enrolment, lesson_id=lesson_id).aggregate(s=Sum("credited_seconds"))["s"]
    return int(total or 0)


def seconds_by_lesson(enrolment) -> dict[int, int]:
    rows = (
        StudyInterval.objects.filter(enrolment=enrolment, lesson__isnull=False)
        .values("lesson_id")
        .annotate(total=Sum("credited_seconds"))
    )
    return {row["lesson_id"]: int(row["total"] or 0) for row in rows}


def class_hour_seconds(minutes_per_class_hour: int) -> int:
    """Seconds of measured study in one class hour: the program's minutes per class hour,
    unless the ``STUDY_CLASS_HOUR_SECONDS`` setting overrides it site-wide (an accelerator
    for browser tests and demos, e.g. 1 = one second per class hour; unset in production)."""
    override = getattr(settings, "STUDY_CLASS_HOUR_SECONDS", None)
    return int(override) if override else 60 * int(minutes_per_class_hour)


def seconds_to_class_hours(seconds: int, minutes_per_class_hour: int) -> Decimal:
    """Class hours, rounded down to one decimal (a learner never sees more than earned)."""
    hours = Decimal(seconds) / Decimal(class_hour_seconds(minutes_per_class_hour))
    return hours.quantize(Decimal("0.1"), rounding=ROUND_DOWN)


def class_hours(enrolment) -> Decimal:
    return seconds_to_class_hours(credited_seconds(enrolment), enrolment.program.minutes_per_class_hour)


def hours_met(enrolment) -> bool:
    return class_hours(enrolment) >= enrolment.level.required_hours


def notify_hours_changed(enrolment, previous_hours: Decimal | None = None) -> Decimal:
    """Send ``enrolment_hours_changed`` after ledger rows changed; returns the new total."""
    total = class_hours(enrolment)
    required = enrolment.level.required_hours
    met = total >= required
    newly_met = met and (previous_hours is None or previous_hours < required)
    enrolment_hours_changed.send_robust(
        sender=enrolment.program, enrolment=enrolment, class_hours=total, hours_met=met, newly_met=newly_met
    )
    return total


def learner_totals(learner, lesson_ids) -> tuple[list[dict], dict[str, int]]:
    """What the lesson page's clock shows after a batch: per enrolment of ``learner`` its
    credited seconds and class hours, and per lesson of ``lesson_ids`` the best credited
    seconds over the enrolments (keys are lesson ids as strings, as in JSON)."""
    enrolments = list(Enrolment.objects.filter(learner=learner).select_related("program", "level"))
    totals = [
        {"enrolment": e.pk, "credited_seconds": credited_seconds(e), "class_hours": str(class_hours(e))}
        for e in enrolments
    ]
    lessons = {
        str(lesson_id): max((lesson_credited_seconds(e, lesson_id) for e in enrolments), default=0)
        for lesson_id in lesson_ids
    }
    return totals, lessons
