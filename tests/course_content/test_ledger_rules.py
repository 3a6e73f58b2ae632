"""The ledger rules of course_content.services.ledger, called directly (real DB, no mocks)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import override_settings

from course_content.models import Enrolment, StudyInterval
from course_content.services import ledger
from course_content.services.ledger import record_heartbeat, record_heartbeats
from course_content.signals import enrolment_hours_changed

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("site_data")]
S = timedelta(seconds=1)


def total(enrolment):
    return ledger.credited_seconds(enrolment)


def test_consecutive_heartbeats_of_one_page_form_one_interval(learner, enrolment, lesson_a, beat, t0):
    for seq in range(1, 5):
        end = t0 + seq * 30 * S
        outcome = record_heartbeat(learner, beat(lesson_a, seq, end), received_at=end)
        assert outcome.status == "accepted" and outcome.credited_seconds == 30
    rows = list(StudyInterval.objects.filter(enrolment=enrolment))
    assert len(rows) == 1
    assert rows[0].credited_seconds == 120 == (rows[0].ended_at - rows[0].started_at).total_seconds()
    assert rows[0].heartbeats == 4 and rows[0].lesson_title == lesson_a.title


def test_credit_is_bounded_by_server_receive_times(learner, enrolment, lesson_a, beat, t0):
    record_heartbeat(learner, beat(lesson_a, 1, t0), received_at=t0)
    # The client claims 30 s but the server saw only 10 s pass since the previous heartbeat.
    outcome = record_heartbeat(learner, beat(lesson_a, 2, t0 + 30 * S), received_at=t0 + 10 * S)
    assert outcome.credited_seconds <= 10 + 5
    assert total(enrolment) <= 30 + 15


def test_a_wrong_client_clock_does_not_move_online_time(learner, enrolment, lesson_a, beat, t0):
    # Client clock 40 s behind: the span is placed on the server clock anyway.
    record_heartbeat(learner, beat(lesson_a, 1, t0 - 40 * S), received_at=t0)
    row = StudyInterval.objects.get(enrolment=enrolment)
    assert row.ended_at == t0


def test_two_tabs_on_two_lessons_never_double_count(learner, enrolment, lesson_a, lesson_b, beat, t0):
    for seq in range(1, 11):
        end = t0 + seq * 30 * S
        record_heartbeat(learner, beat(lesson_a, seq, end, device="tab-a"), received_at=end)
        # The second tab beats 10 s later and claims the same kind of 30 s span.
        record_heartbeat(learner, beat(lesson_b, seq, end + 10 * S, device="tab-b"), received_at=end + 10 * S)
    wall = (t0 + 310 * S) - (t0 + 0 * S)
    assert total(enrolment) <= wall.total_seconds()
    assert total(enrolment) >= 300
    rows = list(StudyInterval.objects.filter(enrolment=enrolment).order_by("started_at"))
    for earlier, later in zip(rows, rows[1:], strict=False):
        assert earlier.ended_at <= later.started_at, "ledger rows of one learner never overlap"


def test_a_fully_overlapping_heartbeat_is_rejected(learner, enrolment, lesson_a, lesson_b, beat, t0):
    record_heartbeat(learner, beat(lesson_a, 1, t0, device="laptop"), received_at=t0)
    outcome = record_heartbeat(learner, beat(lesson_b, 1, t0, device="phone"), received_at=t0)
    assert outcome.status == "rejected" and outcome.code == "overlap"
    assert "一次只计一门课" in outcome.message or "only one lesson" in outcome.message
    assert total(enrolment) == 30


def test_hidden_or_idle_time_is_not_credited(learner, enrolment, lesson_a, beat, t0):
    outcome = record_heartbeat(learner, beat(lesson_a, 1, t0, activity="hidden"), received_at=t0)
    assert outcome.code == "inactive"
    outcome = record_heartbeat(learner, beat(lesson_a, 2, t0 + 30 * S, activity="idle"), received_at=t0 + 30 * S)
    assert outcome.code == "inactive"
    assert total(enrolment) == 0
    # After ten idle minutes without heartbeats, the next one credits one interval at most.
    record_heartbeat(learner, beat(lesson_a, 3, t0 + 60 * S), received_at=t0 + 60 * S)
    record_heartbeat(learner, beat(lesson_a, 4, t0 + 660 * S), received_at=t0 + 660 * S)
    assert total(enrolment) == 60


def test_video_time_skipped_by_seeking_ahead_is_not_credited(learner, enrolment, lesson_a, beat, t0):
    outcome = record_heartbeat(
        learner, beat(lesson_a, 1, t0, activity="video", video_played_seconds=8, video_skipped_seconds=300), received_at=t0
    )
    assert outcome.credited_seconds == 8
    row = StudyInterval.objects.get(enrolment=enrolment)
    assert row.video_skipped_seconds == 300 and row.credited_seconds == 8


def test_a_lesson_is_credited_at_most_its_declared_hours(learner, enrolment, lesson_a, beat, t0):
    lesson_a.declared_class_hours = Decimal("0.1")  # 4.5 minutes at 45 min per class hour
    lesson_a.save()
    cap = 270
    seq, end = 0, t0
    while seq < 12:
        seq += 1
        end = t0 + seq * 30 * S
        outcome = record_heartbeat(learner, beat(lesson_a, seq, end), received_at=end)
    assert total(enrolment) == cap
    assert outcome.status == "capped" and outcome.credited_seconds == 0
    # Re-studying the lesson later adds nothing either.
    later = end + timedelta(days=3)
    assert record_heartbeat(learner, beat(lesson_a, seq + 1, later), received_at=later).status == "capped"
    assert total(enrolment) == cap


def test_a_capped_lesson_does_not_block_another_tab(learner, enrolment, lesson_a, lesson_b, beat, t0):
    lesson_a.declared_class_hours = Decimal("0.1")
    lesson_a.save()
    for seq in range(1, 10):
        record_heartbeat(learner, beat(lesson_a, seq, t0 + seq * 30 * S, device="a"), received_at=t0 + seq * 30 * S)
    later = t0 + 600 * S
    record_heartbeat(learner, beat(lesson_a, 10, later, device="a"), received_at=later)
    outcome = record_heartbeat(learner, beat(lesson_b, 1, later, device="b"), received_at=later)
    assert outcome.status == "accepted" and outcome.credited_seconds == 30


def test_malformed_heartbeats_are_rejected_and_valid_ones_kept(learner, enrolment, lesson_a, t0):
    end_ms = int(t0.timestamp() * 1000)
    good = {"lesson": lesson_a.pk, "device": "tab", "seq": 1, "started_at": end_ms - 30_000, "ended_at": end_ms}
    bad = [
        "not an object",
        {"device": "tab", "seq": 2, "started_at": end_ms, "ended_at": end_ms + 1000},
        {"lesson": lesson_a.pk, "device": "tab", "seq": "3", "started_at": end_ms, "ended_at": end_ms + 1000},
        {"lesson": lesson_a.pk, "device": "", "seq": 4, "started_at": end_ms, "ended_at": end_ms + 1000},
        {"lesson": lesson_a.pk, "device": "tab", "seq": 5, "started_at": "yesterday", "ended_at": end_ms},
        {"lesson": lesson_a.pk, "device": "tab", "seq": 6, "started_at": end_ms, "ended_at": end_ms - 5000},
        {"lesson": lesson_a.pk, "device": "tab", "seq": 7, "started_at": end_ms - 3_600_000, "ended_at": end_ms},
        {**good, "seq": 8, "activity": "dancing"},
    ]
    outcomes = record_heartbeats(learner, [*bad, good], received_at=t0)
    by_status = [o.status for o in outcomes]
    assert by_status.count("rejected") == len(bad)
    assert all(o.code == "malformed" and o.message for o in outcomes if o.status == "rejected")
    assert by_status.count("accepted") == 1
    assert total(enrolment) == 30


def test_duplicate_and_replayed_heartbeats(learner, enrolment, lesson_a, beat, t0):
    first, second = beat(lesson_a, 1, t0), beat(lesson_a, 2, t0 + 30 * S)
    record_heartbeat(learner, first, received_at=t0)
    record_heartbeat(learner, second, received_at=t0 + 30 * S)
    assert record_heartbeat(learner, second, received_at=t0 + 31 * S).code == "duplicate"
    assert record_heartbeat(learner, first, received_at=t0 + 32 * S).code == "replayed"
    assert total(enrolment) == 60


def test_offline_replay_is_idempotent_and_keeps_client_times(learner, enrolment, lesson_a, beat, t0):
    batch = [beat(lesson_a, seq, t0 + seq * 30 * S, device="offline-pad") for seq in range(1, 7)]
    replay_time = t0 + timedelta(hours=5)
    first = record_heartbeats(learner, batch, source="offline", received_at=replay_time)
    assert [o.status for o in first] == ["accepted"] * 6
    again = record_heartbeats(learner, batch, source="offline", received_at=replay_time + S)
    assert all(o.status == "rejected" for o in again)
    assert total(enrolment) == 180
    row = StudyInterval.objects.get(enrolment=enrolment)
    assert row.source == "offline" and row.started_at == t0 and row.ended_at == t0 + 180 * S


def test_out_of_order_heartbeat_is_rejected(learner, enrolment, lesson_a, beat, t0):
    record_heartbeat(learner, beat(lesson_a, 5, t0 + 60 * S), source="offline", received_at=t0 + 3600 * S)
    # A higher sequence number that claims time before the previous heartbeat ended.
    outcome = record_heartbeat(learner, beat(lesson_a, 6, t0 + 45 * S), source="offline", received_at=t0 + 3600 * S)
    assert outcome.code == "out_of_order"
    assert total(enrolment) == 30


def test_offline_replay_cannot_double_online_time(learner, enrolment, lesson_a, lesson_b, beat, t0):
    for seq in range(1, 5):
        record_heartbeat(learner, beat(lesson_a, seq, t0 + seq * 30 * S), received_at=t0 + seq * 30 * S)
    offline = [beat(lesson_b, seq, t0 + seq * 30 * S, device="pad") for seq in range(1, 5)]
    outcomes = record_heartbeats(learner, offline, source="offline", received_at=t0 + 3600 * S)
    assert all(o.code == "overlap" for o in outcomes)
    assert total(enrolment) == 120


def test_future_dated_heartbeats_are_rejected(learner, enrolment, lesson_a, beat, t0):
    outcome = record_heartbeat(learner, beat(lesson_a, 1, t0 + 600 * S), source="offline", received_at=t0)
    assert outcome.code == "future"
    assert total(enrolment) == 0


def test_lessons_count_only_for_their_levels(learner, senior_only_lesson, beat, t0):
    outcome = record_heartbeat(learner, beat(senior_only_lesson, 1, t0), received_at=t0)
    assert outcome.code == "not_enrolled"


def test_unknown_lesson(learner, beat, t0, lesson_a):
    lesson_a.unpublish()
    assert record_heartbeat(learner, beat(lesson_a, 1, t0), received_at=t0).code == "unknown_lesson"


@override_settings(STUDY_HEARTBEAT_SECONDS=2, STUDY_HEARTBEAT_TOLERANCE_SECONDS=1)
def test_heartbeat_interval_is_a_setting(learner, enrolment, lesson_a, beat, t0):
    assert record_heartbeat(learner, beat(lesson_a, 1, t0, seconds=30), received_at=t0).code == "malformed"
    assert record_heartbeat(learner, beat(lesson_a, 2, t0, seconds=2), received_at=t0).credited_seconds == 2


def test_minutes_are_converted_with_the_programs_minutes_per_hour(learner, enrolment, lesson_b, beat, t0, energy):
    for seq in range(1, 91):  # 45 minutes
        end = t0 + seq * 30 * S
        record_heartbeat(learner, beat(lesson_b, seq, end), received_at=end)
    assert ledger.class_hours(enrolment) == Decimal("1.0")
    energy.minutes_per_class_hour = 60
    energy.save()
    assert ledger.class_hours(Enrolment.objects.get(pk=enrolment.pk)) == Decimal("0.7")


def test_hours_changed_signal_fires_with_the_new_total(learner, enrolment, lesson_b, beat, t0):
    received = []

    def listener(sender, enrolment, class_hours, hours_met, newly_met, **kwargs):
        received.append((sender.pk, enrolment.pk, class_hours, hours_met))

    enrolment_hours_changed.connect(listener)
    try:
        record_heartbeat(learner, beat(lesson_b, 1, t0), received_at=t0)
        record_heartbeat(learner, beat(lesson_b, 1, t0), received_at=t0)  # duplicate: no signal
    finally:
        enrolment_hours_changed.disconnect(listener)
    assert received == [(enrolment.program_id, enrolment.pk, Decimal("0.0"), False)]


def test_two_levels_of_one_program_are_both_credited(energy, make_learner, lesson_a, beat, t0):
    from course_content.models import ProgramLevel
    from course_content.services.enrolment import enrol

    learner = make_learner(energy, level="junior")
    enrol(learner, ProgramLevel.objects.get(program=energy, code="intermediate"))
    record_heartbeat(learner, beat(lesson_a, 1, t0), received_at=t0)
    assert [total(e) for e in Enrolment.objects.filter(learner=learner)] == [30, 30]


def test_a_pure_seek_is_noted_in_the_audit_but_credits_nothing(learner, enrolment, lesson_a, beat, t0):
    record_heartbeat(learner, beat(lesson_a, 1, t0), received_at=t0)
    end = t0 + 30 * S
    outcome = record_heartbeat(
        learner, beat(lesson_a, 2, end, activity="video", video_played_seconds=0, video_skipped_seconds=100), received_at=end
    )
    assert outcome.status == "accepted" and outcome.credited_seconds == 0
    row = StudyInterval.objects.get(enrolment=enrolment)
    assert row.credited_seconds == 30 and row.video_skipped_seconds == 100
