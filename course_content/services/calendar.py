"""The Chinese working-day calendar (public holidays and make-up working days).

Built on the ``holidays`` package (China, including weekend make-up days), with the
``WorkingDayOverride`` table for adjustments announced after the package was released.
Used by review deadlines, result release dates, certificate issue and search dates.

Also the one home of the sign-up deadline: :func:`sign_up_closes_at`.
"""

from datetime import date, datetime, timedelta
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def _china(year: int):
    return holidays.China(years=year)


def _overrides(start: date, end: date) -> dict[date, bool]:
    from ..models import WorkingDayOverride

    return dict(
        WorkingDayOverride.objects.filter(date__range=(start, end)).values_list("date", "is_working_day")
    )


def _is_working_day(day: date, overrides: dict[date, bool]) -> bool:
    if day in overrides:
        return overrides[day]
    return _china(day.year).is_working_day(day)


def is_working_day(day: date) -> bool:
    return _is_working_day(day, _overrides(day, day))


def add_working_days(start: date, n: int) -> date:
    """The ``n``-th working day after ``start`` (``n`` ≥ 0; 0 returns ``start``).

    "Results 15 working days after the exam" is ``add_working_days(exam_date, 15)``.
    """
    if n < 0:
        raise ValueError("n must be >= 0")
    if n == 0:
        return start
    # A generous window (holiday weeks included) so overrides are read in one query.
    overrides = _overrides(start, start + timedelta(days=n * 2 + 30))
    day, remaining = start, n
    while remaining:
        day += timedelta(days=1)
        if _is_working_day(day, overrides):
            remaining -= 1
    return day


def working_days_between(start: date, end: date) -> int:
    """Working days in (start, end]; 0 if end ≤ start."""
    if end <= start:
        return 0
    overrides = _overrides(start, end)
    return sum(
        1 for offset in range(1, (end - start).days + 1) if _is_working_day(start + timedelta(days=offset), overrides)
    )


SIGN_UP_CLOSES_DAYS = 7


def sign_up_closes_at(exam_starts_at: datetime) -> datetime:
    """Sign-up for an exam closes one week before the exam starts (both programs).

    The one statement of the rule: registration for a sitting (``course_content.registration``)
    and the exam plugin's own sign-up both ask here. A mock sitting that prepares for a
    formal one closes with it: the exam plugin passes the formal sitting's start."""
    return exam_starts_at - timedelta(days=SIGN_UP_CLOSES_DAYS)
