"""The Chinese working-day calendar around National Day and Spring Festival 2026/2027,
with make-up working days (调休) and admin overrides."""

from datetime import date

import pytest

from course_content.models import WorkingDayOverride
from course_content.services.calendar import add_working_days, is_working_day, working_days_between

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2026, 9, 30), True),  # Wednesday before National Day
        (date(2026, 10, 1), False),  # National Day
        (date(2026, 10, 5), False),  # Monday inside the holiday week
        (date(2026, 10, 7), False),
        (date(2026, 10, 8), True),  # back to work
        (date(2026, 9, 20), True),  # Sunday make-up working day
        (date(2026, 10, 10), True),  # Saturday make-up working day
        (date(2026, 10, 11), False),  # an ordinary Sunday
        (date(2026, 2, 14), True),  # Saturday make-up before Spring Festival
        (date(2026, 2, 16), False),  # New Year's Eve
        (date(2026, 2, 20), False),
        (date(2026, 2, 23), False),  # last day of the 2026 break
        (date(2026, 2, 24), True),
        (date(2026, 2, 28), True),  # Saturday make-up after Spring Festival
        (date(2027, 2, 6), False),  # Spring Festival 2027
        (date(2027, 10, 1), False),  # National Day 2027
        (date(2027, 10, 4), False),
    ],
)
def test_is_working_day(day, working):
    assert is_working_day(day) is working


def test_add_working_days_over_national_day_2026():
    assert add_working_days(date(2026, 9, 30), 1) == date(2026, 10, 8)
    # 8 Oct (Thu), 9 Oct (Fri), 10 Oct (make-up Saturday), 12 Oct (Mon)
    assert add_working_days(date(2026, 9, 30), 4) == date(2026, 10, 12)
    assert add_working_days(date(2026, 9, 30), 0) == date(2026, 9, 30)


def test_add_working_days_over_spring_festival_2026():
    # Fri 13 Feb → Sat 14 Feb is a make-up working day.
    assert add_working_days(date(2026, 2, 13), 1) == date(2026, 2, 14)
    # From the make-up Saturday the next working day is after the break.
    assert add_working_days(date(2026, 2, 14), 1) == date(2026, 2, 24)


def test_fifteen_working_days_after_the_october_exam_2026():
    # Exam Saturday 17 Oct 2026 (third week); results 15 working days later.
    assert add_working_days(date(2026, 10, 17), 15) == date(2026, 11, 6)


def test_working_days_between():
    assert working_days_between(date(2026, 9, 30), date(2026, 10, 8)) == 1
    assert working_days_between(date(2026, 2, 13), date(2026, 2, 28)) == 6  # 14, 24, 25, 26, 27, 28
    assert working_days_between(date(2026, 10, 8), date(2026, 10, 8)) == 0
    assert working_days_between(date(2026, 10, 9), date(2026, 10, 1)) == 0


def test_negative_n_is_refused():
    with pytest.raises(ValueError):
        add_working_days(date(2026, 1, 5), -1)


def test_override_for_a_newly_announced_adjustment_2027():
    """2027's make-up days are not published yet: an admin override decides."""
    saturday = date(2027, 2, 20)
    assert not is_working_day(saturday)
    WorkingDayOverride.objects.create(date=saturday, is_working_day=True, note="2027 春节调休")
    assert is_working_day(saturday)
    # Friday 19 Feb 2027 + 1 working day → the make-up Saturday.
    assert add_working_days(date(2027, 2, 19), 1) == saturday
    WorkingDayOverride.objects.create(date=date(2027, 2, 22), is_working_day=False, note="新增假日")
    assert add_working_days(date(2027, 2, 20), 1) == date(2027, 2, 23)
    assert working_days_between(date(2027, 2, 19), date(2027, 2, 23)) == 2


def test_override_admin_viewset_is_registered(client, django_user_model):
    from django.urls import reverse

    admin = django_user_model.objects.create_superuser(username="root", password="x-Very-Long-2026")
    client.force_login(admin)
    response = client.post(
        reverse("working_day_overrides:add"), {"date": "2027-02-20", "is_working_day": "on", "note": "调休"}
    )
    assert response.status_code == 302
    assert WorkingDayOverride.objects.get(date=date(2027, 2, 20)).is_working_day
    assert client.get(reverse("working_day_overrides:index")).status_code == 200
