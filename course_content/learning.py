"""What a learner sees of their progress: dashboard cards, lesson and module progress.

Read-only views over the ledger; every number comes from ``StudyInterval`` rows via
``course_content.hours`` or the per-lesson sums here.
"""

from decimal import Decimal

from django.db.models import Sum
from django.urls import reverse

from . import hours, studying
from .models import CourseModulePage, Enrolment, LessonPage, StudyInterval


def seconds_by_lesson(enrolment) -> dict[int, int]:
    rows = (
        StudyInterval.objects.filter(enrolment=enrolment, lesson__isnull=False)
        .values("lesson_id")
        .annotate(total=Sum("credited_seconds"))
    )
    return {row["lesson_id"]: int(row["total"] or 0) for row in rows}


def format_duration(seconds: int) -> str:
    seconds = int(seconds)
    return f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


def modules_of(program) -> list[CourseModulePage]:
    return list(CourseModulePage.objects.live().child_of(program).order_by("path"))


def lessons_for_level(module, level) -> list[LessonPage]:
    lessons = LessonPage.objects.live().child_of(module).order_by("path").prefetch_related("levels")
    return [lesson for lesson in lessons if lesson.counts_for(level)]


def _lesson_hours(seconds: int, minutes_per_class_hour: int) -> Decimal:
    return hours.seconds_to_class_hours(seconds, minutes_per_class_hour)


def module_breakdown(enrolment, studied: dict[int, int]) -> list[dict]:
    """Per module: declared class hours of the lessons that count for the level, and earned."""
    minutes = enrolment.program.minutes_per_class_hour
    rows = []
    for module in modules_of(enrolment.program):
        lessons = lessons_for_level(module, enrolment.level)
        if not lessons:
            continue
        declared = sum((lesson.declared_class_hours for lesson in lessons), Decimal("0"))
        earned_seconds = sum(studied.get(lesson.pk, 0) for lesson in lessons)
        earned = _lesson_hours(earned_seconds, minutes)
        rows.append(
            {
                "module": module,
                "declared": declared,
                "earned": earned,
                "percent": min(100, int(earned * 100 / declared)) if declared else 100,
                "lessons": len(lessons),
            }
        )
    return rows


def continue_lesson(enrolment, studied: dict[int, int]) -> LessonPage | None:
    """The lesson studied last, unless it is complete; else the first unfinished lesson."""
    minutes = enrolment.program.minutes_per_class_hour
    last = (
        StudyInterval.objects.filter(enrolment=enrolment, lesson__isnull=False).order_by("-ended_at").values_list("lesson_id", flat=True).first()
    )
    ordered = [lesson for module in modules_of(enrolment.program) for lesson in lessons_for_level(module, enrolment.level)]
    by_id = {lesson.pk: lesson for lesson in ordered}
    if last in by_id and studied.get(last, 0) < by_id[last].declared_seconds(minutes):
        return by_id[last]
    for lesson in ordered:
        if studied.get(lesson.pk, 0) < lesson.declared_seconds(minutes):
            return lesson
    return None


def dashboard_card(enrolment) -> dict:
    studied = seconds_by_lesson(enrolment)
    seconds = hours.credited_seconds(enrolment)
    earned = hours.seconds_to_class_hours(seconds, enrolment.program.minutes_per_class_hour)
    required = enrolment.level.required_hours
    return {
        "enrolment": enrolment,
        "earned": earned,
        "required": required,
        "met": earned >= required,
        "seconds": seconds,
        "studied": format_duration(seconds),
        "percent": min(100, int(earned * 100 / required)) if required else 100,
        "modules": module_breakdown(enrolment, studied),
        "continue_lesson": continue_lesson(enrolment, studied),
    }


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
            "studied": format_duration(done),
            "percent": min(100, int(done * 100 / declared)) if declared else 100,
            "complete": declared and done >= declared,
        }
    return progress


def _neighbours(lesson):
    siblings = list(LessonPage.objects.live().sibling_of(lesson).order_by("path").only("id", "title", "url_path", "path"))
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
    declared = lesson.declared_seconds(program.minutes_per_class_hour) if program else 0
    done = max((studying.lesson_credited_seconds(e, lesson.pk) for e in enrolments), default=0)
    previous, following = _neighbours(lesson)
    return {
        "program": program,
        "module": lesson.get_parent().specific,
        "previous_lesson": previous,
        "next_lesson": following,
        "can_study": bool(enrolments),
        "lesson_seconds": done,
        "lesson_studied": format_duration(done),
        "lesson_declared": format_duration(declared),
        "lesson_percent": min(100, int(done * 100 / declared)) if declared else 100,
        "study_config": {
            "lesson": lesson.pk,
            "url": reverse("study_heartbeats"),
            "heartbeatSeconds": studying.heartbeat_seconds(),
            "idleSeconds": studying.idle_seconds(),
            "declaredSeconds": declared,
            "creditedSeconds": done,
        },
    }
