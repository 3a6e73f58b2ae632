"""Sign-up closing a week before the exam has one home: ``course_content.services.calendar``;
registration and the exam plugin both ask it."""

from datetime import UTC, datetime, timedelta

from course_content.services import calendar


def test_sign_up_closes_one_week_before_the_exam():
    starts = datetime(2026, 6, 20, 9, 0, tzinfo=UTC)
    assert calendar.sign_up_closes_at(starts) == starts - timedelta(days=7)


def test_registration_and_exam_plugin_use_the_one_rule():
    from course_content.registration.services import registrations as registration
    from exam_plugin.services import sittings

    assert registration.sign_up_closes_at is calendar.sign_up_closes_at
    assert sittings.exam_sign_up_closes_at is calendar.sign_up_closes_at
