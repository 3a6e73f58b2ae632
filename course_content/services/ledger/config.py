"""Timing settings of the study clock (seconds), read at call time so tests can change them."""

from django.conf import settings


def heartbeat_seconds() -> int:
    """N: how often an active lesson page sends a heartbeat (and the most one may claim)."""
    return int(getattr(settings, "STUDY_HEARTBEAT_SECONDS", 30))


def tolerance_seconds() -> int:
    """Slack for timer jitter and network delay on top of one heartbeat interval."""
    return int(getattr(settings, "STUDY_HEARTBEAT_TOLERANCE_SECONDS", 5))


def clock_skew_seconds() -> int:
    """How far a heartbeat may end after the server's clock before it is future-dated."""
    return int(getattr(settings, "STUDY_CLOCK_SKEW_SECONDS", 60))


def max_batch() -> int:
    return int(getattr(settings, "STUDY_HEARTBEAT_BATCH_MAX", 500))


def inactivity_prompt_seconds(program) -> int:
    """After this long without input (or a playing video) the lesson page pauses the study
    clock and asks "still studying?": the program's ``inactivity_prompt_minutes``, unless the
    ``STUDY_IDLE_SECONDS`` setting overrides it site-wide (browser tests and demos)."""
    override = getattr(settings, "STUDY_IDLE_SECONDS", None)
    if override:
        return int(override)
    minutes = getattr(program, "inactivity_prompt_minutes", None) or 10
    return 60 * int(minutes)
