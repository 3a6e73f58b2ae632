"""Totals derived from the hours ledger (``StudyInterval``). Nothing else stores hours."""

from decimal import ROUND_DOWN, Decimal

from django.db.models import Sum

from .models import StudyInterval


def credited_seconds(enrolment) -> int:
    total = StudyInterval.objects.filter(enrolment=enrolment).aggregate(s=Sum("credited_seconds"))["s"]
    return int(total or 0)


def seconds_to_class_hours(seconds: int, minutes_per_class_hour: int) -> Decimal:
    """Class hours, rounded down to one decimal (a learner never sees more than earned)."""
    hours = Decimal(seconds) / Decimal(60 * minutes_per_class_hour)
    return hours.quantize(Decimal("0.1"), rounding=ROUND_DOWN)


def class_hours(enrolment) -> Decimal:
    return seconds_to_class_hours(credited_seconds(enrolment), enrolment.program.minutes_per_class_hour)


def hours_met(enrolment) -> bool:
    return class_hours(enrolment) >= enrolment.level.required_hours


def notify_hours_changed(enrolment, previous_hours: Decimal | None = None) -> Decimal:
    """Send ``enrolment_hours_changed`` after ledger rows changed; returns the new total."""
    from .signals import enrolment_hours_changed

    total = class_hours(enrolment)
    required = enrolment.level.required_hours
    met = total >= required
    newly_met = met and (previous_hours is None or previous_hours < required)
    enrolment_hours_changed.send_robust(
        sender=enrolment.program, enrolment=enrolment, class_hours=total, hours_met=met, newly_met=newly_met
    )
    return total
