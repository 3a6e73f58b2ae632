"""STUDY_CLASS_HOUR_SECONDS (browser tests, demos) changes the length of a class hour
site-wide, for the ledger cap and the totals alike; unset, the program's minutes rule."""

from decimal import Decimal

import pytest

from course_content.models import LessonPage
from course_content.services.ledger import class_hour_seconds, seconds_to_class_hours

pytestmark = pytest.mark.django_db


def test_unset_the_programs_minutes_rule(settings):
    settings.STUDY_CLASS_HOUR_SECONDS = None
    assert class_hour_seconds(45) == 2700
    assert seconds_to_class_hours(2700 * 3, 45) == Decimal("3.0")
    assert LessonPage(declared_class_hours=Decimal("2")).declared_seconds(45) == 5400


def test_the_setting_shortens_every_class_hour_alike(settings):
    settings.STUDY_CLASS_HOUR_SECONDS = 2
    assert class_hour_seconds(45) == 2
    assert seconds_to_class_hours(7, 45) == Decimal("3.5")
    assert LessonPage(declared_class_hours=Decimal("4")).declared_seconds(45) == 8
