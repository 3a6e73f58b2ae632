"""The server owns the clock: entry window, late cut-off, earliest hand-in, deadline.

All functions take ``now`` so tests can ask "what if it were 09:31?" without sleeping.
"""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from plugins.services import get_settings

#: Seconds after the deadline during which an answer written before the deadline may
#: still arrive (the browser flushes every ≤ 2 s). Later saves are refused.
SAVE_GRACE_SECONDS = 10


class ClockRefusal(Exception):
    """Raised when the clock forbids an action; ``str(err)`` is a translated message."""


def exam_settings(program) -> dict:
    return get_settings(program, "exam_plugin")


def entry_window(sitting) -> tuple:
    """(opens_at, closes_at) of first entry into ``sitting``."""
    rules = exam_settings(sitting.program)
    if sitting.kind == sitting.Kind.MOCK:
        return sitting.starts_at, sitting.ends_at
    return (
        sitting.starts_at - timedelta(minutes=rules["entry_opens_minutes"]),
        sitting.starts_at + timedelta(minutes=rules["late_entry_minutes"]),
    )


def check_entry(sitting, now=None) -> None:
    """Raise ``ClockRefusal`` unless a candidate may enter ``sitting`` for the first time now."""
    now = now or timezone.now()
    opens, closes = entry_window(sitting)
    if now < opens:
        raise ClockRefusal(
            _("Entry opens at %(time)s.") % {"time": timezone.localtime(opens).strftime("%Y-%m-%d %H:%M")}
        )
    if now > closes:
        raise ClockRefusal(_("Late entry closed at %(time)s.") % {"time": timezone.localtime(closes).strftime("%H:%M")})


def earliest_hand_in(attempt):
    """When the candidate may hand in; mock attempts any time."""
    if attempt.sitting is None or attempt.sitting.kind == attempt.sitting.Kind.MOCK:
        return attempt.started_at
    rules = exam_settings(attempt.sitting.program)
    return attempt.sitting.starts_at + timedelta(minutes=rules["earliest_hand_in_minutes"])


def check_candidate_hand_in(attempt, now=None) -> None:
    now = now or timezone.now()
    earliest = earliest_hand_in(attempt)
    if now < earliest:
        raise ClockRefusal(
            _("You may hand in from %(time)s (%(minutes)s minutes from now).")
            % {
                "time": timezone.localtime(earliest).strftime("%H:%M"),
                "minutes": int((earliest - now).total_seconds() // 60) + 1,
            }
        )


def formal_deadline(sitting, compensation_minutes: int = 0):
    return sitting.ends_at + timedelta(minutes=compensation_minutes)


def accepts_saves(attempt, now=None) -> bool:
    now = now or timezone.now()
    return attempt.is_open and now <= attempt.deadline + timedelta(seconds=SAVE_GRACE_SECONDS)


def is_overdue(attempt, now=None) -> bool:
    """Past the deadline and the save grace: the clock hands it in."""
    now = now or timezone.now()
    return attempt.is_open and now > attempt.deadline + timedelta(seconds=SAVE_GRACE_SECONDS)
