"""What a learner is told about a mock paper before starting it and on its result.

A free mock paper is drawn by the level's blueprint from the practice pool
(``attempts.start_mock_attempt``), runs for the program's ``mock_minutes`` and is marked
against the program's pass mark, but it never counts: no result is recorded for
certification and no certificate follows. The numbers come from the same settings and
blueprint the paper is built and marked with, so the instructions cannot drift from
what happens.
"""

from .clock import exam_settings
from .papers import blueprint_for


def pass_line(program) -> dict:
    """``{"pass_points", "total_points"}`` of ``program`` (exam settings)."""
    rules = exam_settings(program)
    return {"pass_points": int(rules["pass_points"]), "total_points": int(rules["total_points"])}


def mock_facts(enrolment) -> dict:
    """Duration (minutes), number of questions and points of a mock paper for
    ``enrolment``'s level, and the pass line."""
    blueprint = blueprint_for(enrolment.program, enrolment.level)
    questions = sum(int(section["count"]) for section in blueprint.sections)
    points = blueprint.total_points
    return {
        "minutes": int(exam_settings(enrolment.program)["mock_minutes"]),
        "questions": questions,
        "points": int(points) if points == int(points) else float(points),
        **pass_line(enrolment.program),
    }
