"""What a learner sees of their study on lesson and module pages, and the study clock's
formatting: read-only views over the ledger; every number comes from ``StudyInterval``
rows via ``totals``. Imports no page model (the lesson and module pages call it)."""

from django.db.models import Sum
from django.urls import reverse
from django.utils.translation import gettext as _

from ...models.enrolment import Enrolment, StudyInterval
from .config import heartbeat_seconds, inactivity_prompt_seconds
from .totals import class_hour_seconds, lesson_credited_seconds


def format_duration(seconds: int) -> str:
    seconds = int(seconds)
    return f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


def class_hour_parts(seconds: int, minutes_per_class_hour: int) -> tuple[int, int, int]:
    """``seconds`` of measured study as (class hours, minutes, seconds) of the program's class
    hour (minutes per class hour; scaled when ``STUDY_CLASS_HOUR_SECONDS`` accelerates it), so
    every study figure is read in one unit: class hours with minutes."""
    per_hour = class_hour_seconds(minutes_per_class_hour)
    whole, rest = divmod(max(int(seconds), 0), per_hour)
    nominal = rest * int(minutes_per_class_hour) * 60 // per_hour
    return whole, nominal // 60, nominal % 60


def format_class_hours(seconds: int, minutes_per_class_hour: int, *, with_seconds: bool = False) -> str:
    """"3 学时 12 分" (and "05 秒" when ``with_seconds``), translated."""
    whole, minutes, secs = class_hour_parts(seconds, minutes_per_class_hour)
    if with_seconds:
        return _("%(hours)d class hours %(minutes)d min %(seconds)02d s") % {
            "hours": whole, "minutes": minutes, "seconds": secs}
    return _("%(hours)d class hours %(minutes)d min") % {"hours": whole, "minutes": minutes}


def lesson_progress_for(user, lessons) -> dict[int, dict]:
    """For a module page: per lesson, the learner's credited time (best enrolment)."""
    if not getattr(user, "is_authenticated", False) or not lessons:
        return {}
    rows = (
        StudyInterval.objects.filter(enrolment__learner=user, lesson_id__in=[lesson.pk for lesson in lessons])
        .values("enrolment_id", "lesson_id")
        .annotate(total=Sum("credited_seconds"))
    )
    best: dict[int, int] = {}
    for row in rows:
        best[row["lesson_id"]] = max(best.get(row["lesson_id"], 0), int(row["total"] or 0))
    progress = {}
    for lesson in lessons:
        program = lesson.program
        declared = lesson.declared_seconds(program.minutes_per_class_hour) if program else 0
        done = best.get(lesson.pk, 0)
        progress[lesson.pk] = {
            "seconds": done,
            "studied": format_class_hours(done, program.minutes_per_class_hour) if program else "",
            "percent": min(100, int(done * 100 / declared)) if declared else 100,
            "complete": declared and done >= declared,
        }
    return progress


def _neighbours(lesson):
    siblings = list(type(lesson).objects.live().sibling_of(lesson).order_by("path").only("id", "title", "url_path", "path"))
    index = next((i for i, page in enumerate(siblings) if page.pk == lesson.pk), None)
    if index is None:
        return None, None
    previous = siblings[index - 1] if index > 0 else None
    following = siblings[index + 1] if index + 1 < len(siblings) else None
    return previous, following


def lesson_context(lesson, request) -> dict:
    """Template context of a lesson page: progress and the study script's configuration."""
    program = lesson.program
    user = request.user
    enrolments = []
    if program is not None and getattr(user, "is_authenticated", False):
        enrolments = [
            e for e in Enrolment.objects.filter(learner=user, program=program).select_related("level", "program")
            if lesson.counts_for(e.level)
        ]
    minutes = program.minutes_per_class_hour if program else 45
    declared = lesson.declared_seconds(minutes) if program else 0
    done = max((lesson_credited_seconds(e, lesson.pk) for e in enrolments), default=0)
    previous, following = _neighbours(lesson)
    prompt = inactivity_prompt_seconds(program)
    return {
        "program": program,
        "module": lesson.get_parent().specific,
        "previous_lesson": previous,
        "next_lesson": following,
        "can_study": bool(enrolments),
        "lesson_seconds": done,
        "lesson_studied": format_class_hours(min(done, declared), minutes, with_seconds=True),
        "lesson_percent": min(100, int(done * 100 / declared)) if declared else 100,
        "study_config": {
            "lesson": lesson.pk,
            "url": reverse("site_api:study_heartbeats"),
            "heartbeatSeconds": heartbeat_seconds(),
            "promptSeconds": prompt,
            "classHourSeconds": class_hour_seconds(minutes),
            "minutesPerClassHour": minutes,
            "declaredSeconds": declared,
            "creditedSeconds": done,
        },
        "study_messages": study_messages(),
        "study_help": _(
            "Time is not counted while the page is hidden. After %(minutes)s minutes without activity the clock pauses "
            "and asks whether you are still studying. Only one lesson counts at a time."
        ) % {"minutes": f"{prompt / 60:g}"},
    }


def study_messages() -> dict:
    """Texts of the lesson page's study script (translated here, not in JavaScript).
    ``studied`` has the placeholders ``{hours}``, ``{minutes}``, ``{seconds}``."""
    clock = _("%(hours)d class hours %(minutes)d min %(seconds)02d s")
    clock = clock.replace("%(hours)d", "{hours}").replace("%(minutes)d", "{minutes}").replace("%(seconds)02d", "{seconds}")
    return {
        "studied": _("Studied %(time)s") % {"time": clock},
        "counting": _("Counting your study time."),
        "waiting": _("Study time is counted while this page is open and you are active."),
        "asking": _("Paused: are you still studying?"),
        "hidden": _("Paused: the page is hidden."),
        "offline": _("Cannot reach the server; will retry."),
        "complete": _("This lesson already has all its class hours."),
        "error": _("The study time could not be recorded."),
    }
