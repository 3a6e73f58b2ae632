from datetime import date

from exam_plugin.services.sittings import exam_dates, nth_saturday, planned_sittings

ENERGY = {"sitting_months": "2,4,6,8,10,12", "sitting_saturday": 3, "sitting_start": "09:00", "sitting_end": "11:00",
          "mock_days_before": 0, "mock_start": "09:00", "mock_end": "18:00"}


def test_third_saturday_matches_the_handbook_example():
    assert nth_saturday(2022, 5, 3) == date(2022, 5, 21)


def test_energy_calendar_gives_2026_12_19_and_2027_02_20():
    days = exam_dates(ENERGY, date(2026, 11, 22), date(2027, 3, 31))
    assert days == [date(2026, 12, 19), date(2027, 2, 20)]


def test_energy_sittings_run_0900_to_1100_shanghai():
    [plan] = planned_sittings(ENERGY, date(2026, 12, 1), date(2026, 12, 31))
    assert plan.kind == "formal" and plan.scored
    assert (plan.starts_at.hour, plan.starts_at.minute, plan.ends_at.hour) == (9, 0, 11)
    assert str(plan.starts_at.tzinfo) == "Asia/Shanghai"


def test_dual_carbon_slot_with_unscored_mock_the_tuesday_before():
    rules = {**ENERGY, "sitting_months": "11", "sitting_saturday": 2, "sitting_start": "13:00", "sitting_end": "15:00",
             "mock_days_before": 4}
    mock, formal = planned_sittings(rules, date(2023, 11, 1), date(2023, 11, 30))
    assert formal.starts_at.date() == date(2023, 11, 11) and formal.starts_at.hour == 13
    assert mock.kind == "mock" and not mock.scored
    assert mock.starts_at.date() == date(2023, 11, 7) and mock.starts_at.weekday() == 1  # Tuesday, as in the pre-read
    assert (mock.starts_at.hour, mock.ends_at.hour) == (9, 18)


def test_loaded_fixtures_generate_sittings_once(energy):
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    from exam_plugin.models import ExamSitting

    today = timezone.localdate()
    expected = exam_dates(ENERGY, today, today + timedelta(days=300))
    keys = set(ExamSitting.objects.filter(program=energy).values_list("calendar_key", flat=True))
    assert expected and {f"formal-{d:%Y-%m-%d}" for d in expected} <= keys
    before = len(keys)
    call_command("load_initial_data", verbosity=0, stdout=open("/dev/null", "w"))
    assert ExamSitting.objects.filter(program=energy).count() == before
