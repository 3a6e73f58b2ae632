"""The learner's dashboard cards ("my learning"): per enrolment, class hours earned and
required, per-module progress and the lesson to continue with. Read-only over the ledger."""

from decimal import Decimal

from ...models.enrolment import StudyInterval
from ...models.lessons import CourseModulePage, LessonPage
from .progress import format_class_hours
from .totals import credited_seconds, seconds_by_lesson, seconds_to_class_hours


def modules_of(program) -> list[CourseModulePage]:
    return list(CourseModulePage.objects.live().child_of(program).order_by("path"))


def lessons_for_level(module, level) -> list[LessonPage]:
    lessons = LessonPage.objects.live().child_of(module).order_by("path").prefetch_related("levels")
    return [lesson for lesson in lessons if lesson.counts_for(level)]


def _lesson_hours(seconds: int, minutes_per_class_hour: int) -> Decimal:
    return seconds_to_class_hours(seconds, minutes_per_class_hour)


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
        StudyInterval.objects.filter(enrolment=enrolment, lesson__isnull=False)
        .order_by("-ended_at")
        .values_list("lesson_id", flat=True)
        .first()
    )
    ordered = [
        lesson
        for module in modules_of(enrolment.program)
        for lesson in lessons_for_level(module, enrolment.level)
    ]
    by_id = {lesson.pk: lesson for lesson in ordered}
    if last in by_id and studied.get(last, 0) < by_id[last].declared_seconds(minutes):
        return by_id[last]
    for lesson in ordered:
        if studied.get(lesson.pk, 0) < lesson.declared_seconds(minutes):
            return lesson
    return None


def dashboard_card(enrolment) -> dict:
    studied = seconds_by_lesson(enrolment)
    seconds = credited_seconds(enrolment)
    earned = seconds_to_class_hours(seconds, enrolment.program.minutes_per_class_hour)
    required = enrolment.level.required_hours
    return {
        "enrolment": enrolment,
        "earned": earned,
        "required": required,
        "met": earned >= required,
        "seconds": seconds,
        "studied": format_class_hours(seconds, enrolment.program.minutes_per_class_hour),
        "percent": min(100, int(earned * 100 / required)) if required else 100,
        "modules": module_breakdown(enrolment, studied),
        "continue_lesson": continue_lesson(enrolment, studied),
    }
