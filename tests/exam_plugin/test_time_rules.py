"""The server owns the clock: entry window, late cut-off, earliest hand-in, deadline,
auto hand-in (also when the browser is gone), compensation."""

from datetime import timedelta

import pytest
from django.core.management import call_command

from exam_plugin.models import Attempt, TimeCompensation
from exam_plugin.services import attempts, clock, compensate_batch, compensate_time, hand_in
from exam_plugin.services.sittings import admit


def test_entry_opens_30_minutes_before_start(eligible, sitting_now):
    sitting = sitting_now(minutes_since_start=-40)  # starts in 40 minutes
    candidate = admit(sitting, eligible())
    with pytest.raises(clock.ClockRefusal):
        attempts.start_formal_attempt(candidate)
    attempt = attempts.start_formal_attempt(candidate, now=sitting.starts_at - timedelta(minutes=29))
    assert attempt.status == Attempt.Status.IN_PROGRESS
    assert attempt.deadline == sitting.ends_at


def test_late_entry_closes_30_minutes_after_start_for_energy(eligible, sitting_now):
    sitting = sitting_now(minutes_since_start=31)
    candidate = admit(sitting, eligible())
    with pytest.raises(clock.ClockRefusal) as err:
        attempts.start_formal_attempt(candidate)
    assert "09:" in str(err.value) or ":" in str(err.value)
    assert not Attempt.objects.filter(candidate=candidate).exists()


def test_dual_carbon_late_entry_is_15_minutes(asset):
    from exam_plugin.models import ExamSitting
    from exam_plugin.services.clock import entry_window

    sitting = ExamSitting.objects.filter(program=asset, kind="formal").first()
    opens, closes = entry_window(sitting)
    assert sitting.starts_at - opens == timedelta(minutes=30)
    assert closes - sitting.starts_at == timedelta(minutes=15)


def test_one_attempt_per_sitting_and_reentry_after_late_cutoff(candidate):
    first = attempts.start_formal_attempt(candidate)
    later = first.started_at + timedelta(minutes=50)  # past the late-entry cut-off
    again = attempts.start_formal_attempt(candidate, now=later)
    assert again.pk == first.pk
    assert Attempt.objects.filter(candidate=candidate).count() == 1


def test_no_hand_in_before_30_minutes(candidate):
    attempt = attempts.start_formal_attempt(candidate)
    with pytest.raises(clock.ClockRefusal):
        attempts.candidate_hand_in(attempt)
    assert Attempt.objects.get(pk=attempt.pk).status == Attempt.Status.IN_PROGRESS
    after = candidate.sitting.starts_at + timedelta(minutes=30, seconds=1)
    attempts.candidate_hand_in(attempt, now=after)
    assert Attempt.objects.get(pk=attempt.pk).status != Attempt.Status.IN_PROGRESS


def test_auto_hand_in_at_the_end_without_a_browser(candidate):
    attempt = attempts.start_formal_attempt(candidate)
    assert attempts.auto_hand_in_due(now=attempt.deadline) == 0  # grace for the last flush
    assert attempts.auto_hand_in_due(now=attempt.deadline + timedelta(seconds=clock.SAVE_GRACE_SECONDS + 1)) == 1
    attempt.refresh_from_db()
    assert attempt.status in (Attempt.Status.SUBMITTED, Attempt.Status.GRADED)
    assert attempt.submitted_at == attempt.deadline and not attempt.forced


def test_auto_hand_in_command(candidate):
    attempt = attempts.start_formal_attempt(candidate)
    Attempt.objects.filter(pk=attempt.pk).update(deadline=attempt.started_at - timedelta(minutes=1))
    call_command("exam_auto_hand_in", stdout=open("/dev/null", "w"))
    assert Attempt.objects.get(pk=attempt.pk).status != Attempt.Status.IN_PROGRESS


def test_lazy_hand_in_on_access(candidate):
    attempt = attempts.start_formal_attempt(candidate)
    Attempt.objects.filter(pk=attempt.pk).update(deadline=attempt.started_at - timedelta(minutes=1))
    attempt.refresh_from_db()
    assert attempts.refresh(attempt).status != Attempt.Status.IN_PROGRESS


def test_compensation_extends_the_deadline_and_is_logged(candidate, admin_user):
    attempt = attempts.start_formal_attempt(candidate)
    end = attempt.deadline
    compensate_time(attempt, 7, reason="network failure 09:40–09:47", by=admin_user)
    assert attempt.deadline == end + timedelta(minutes=7)
    assert attempt.compensation_minutes == 7
    log = TimeCompensation.objects.get(attempt=attempt)
    assert (log.minutes, log.by) == (7, admin_user) and "network" in log.reason
    # saves are accepted in the extra time, and not after it
    assert clock.accepts_saves(attempt, now=end + timedelta(minutes=5))
    assert not clock.accepts_saves(attempt, now=end + timedelta(minutes=8))
    with pytest.raises(attempts.AttemptError):
        compensate_time(attempt, 5, reason="", by=admin_user)


def test_batch_compensation_reports_refusals(eligible, sitting_now, admin_user):
    sitting = sitting_now()
    started = [attempts.start_formal_attempt(admit(sitting, eligible())) for _ in range(3)]
    hand_in(started[2], reason="test", forced=True)
    done, refused = compensate_batch(started, 10, reason="server outage", by=admin_user)
    assert done == 2 and len(refused) == 1
    assert TimeCompensation.objects.filter(reason="server outage").count() == 2


def test_forced_hand_in_by_proctor_and_invalidation(candidate, admin_user):
    from exam_plugin.services import invalidate

    attempt = attempts.start_formal_attempt(candidate)
    hand_in(attempt, reason="cheating suspected", forced=True, by=admin_user)
    assert attempt.forced and attempt.hand_in_reason == "cheating suspected" and attempt.handed_in_by == admin_user
    assert hand_in(attempt, reason="again", forced=True).hand_in_reason == "cheating suspected"  # idempotent
    invalidate(attempt, reason="two people in view", by=admin_user)
    assert attempt.invalidated and attempt.invalid_reason == "two people in view"


def test_make_up_sitting_with_fee_flag(candidate, asset):
    from exam_plugin.services.sittings import create_make_up

    sitting = candidate.sitting
    make_up = create_make_up(sitting, starts_at=sitting.starts_at + timedelta(days=30),
                             ends_at=sitting.ends_at + timedelta(days=30))
    assert make_up.kind == "make_up" and make_up.repeats == sitting
    assert make_up.fee_required is False  # energy: no fee
    second = admit(make_up, candidate.enrolment)
    assert second.fee_paid is True
