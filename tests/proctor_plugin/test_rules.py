"""Exam-room rules for both programs, with the settings the fixtures give them."""

from datetime import UTC, datetime, timedelta

import pytest

from proctor_plugin.services import rules
from proctor_plugin.services.rules import LeaveOutcome, WindowState

T0 = datetime(2026, 12, 19, 9, 10, tzinfo=UTC)


def _fixture_settings(section):
    """Form defaults overlaid with fixtures/programs.toml, as load_initial_data stores
    them (read without the database so these pure-rule tests stay fast; the stored
    values are checked in test_services)."""
    import tomllib

    from django.conf import settings

    from plugins.services import default_settings
    from plugins.services.registry import get_plugin

    data = tomllib.loads((settings.BASE_DIR / "fixtures" / "programs.toml").read_text())
    return {**default_settings(get_plugin("proctor_plugin")), **section(data)["plugins"]["proctor_plugin"]["settings"]}


@pytest.fixture(scope="module")
def energy_rules():
    return _fixture_settings(lambda d: next(p for p in d["programs"] if p["slug"] == "energy"))


@pytest.fixture(scope="module")
def carbon_rules():
    return _fixture_settings(lambda d: next(g for g in d["groups"] if g["slug"] == "dual-carbon")["track_defaults"])


def s(seconds):
    return T0 + timedelta(seconds=seconds)


def test_program_settings_differ_as_the_handbooks_say(energy_rules, carbon_rules):
    assert (energy_rules["leave_limit"], carbon_rules["leave_limit"]) == (10, 3)
    assert (energy_rules["leave_return_seconds"], carbon_rules["leave_return_seconds"]) == (10, 20)
    assert not energy_rules["second_camera_required"] and carbon_rules["second_camera_required"]
    assert not energy_rules["rules_acceptance_required"] and carbon_rules["rules_acceptance_required"]
    assert (energy_rules["break_minutes"], carbon_rules["break_minutes"]) == (0, 5)
    assert (energy_rules["reconnect_minutes"], carbon_rules["reconnect_minutes"]) == (0, 5)
    assert (energy_rules["warnings_to_disqualify"], carbon_rules["warnings_to_disqualify"]) == (0, 3)
    assert energy_rules["snapshot_interval_seconds"] == carbon_rules["snapshot_interval_seconds"] == 30


def _run_leaves(settings, count, away_seconds):
    """Make ``count`` leaves, each back after ``away_seconds``; return the outcomes."""
    outcomes, counted = [], 0
    for _ in range(count):
        outcome = rules.leave_outcome(
            settings, counted_before=counted, left_at=T0, returned_at=s(away_seconds), now=s(away_seconds)
        )
        outcomes.append(outcome)
        if outcome == LeaveOutcome.COUNTED:
            counted += 1
        else:
            break
    return outcomes


def test_energy_tenth_leave_forces_hand_in(energy_rules):
    outcomes = _run_leaves(energy_rules, 12, away_seconds=5)
    assert outcomes == [LeaveOutcome.COUNTED] * 9 + [LeaveOutcome.FORCED_LIMIT]
    assert rules.leaves_remaining(energy_rules, 0) == 9


def test_dual_carbon_third_leave_forces_hand_in(carbon_rules):
    outcomes = _run_leaves(carbon_rules, 5, away_seconds=15)
    assert outcomes == [LeaveOutcome.COUNTED, LeaveOutcome.COUNTED, LeaveOutcome.FORCED_LIMIT]


def test_energy_return_window_is_ten_seconds(energy_rules):
    back_in_time = rules.leave_outcome(energy_rules, counted_before=0, left_at=T0, returned_at=s(10), now=s(10))
    too_late = rules.leave_outcome(energy_rules, counted_before=0, left_at=T0, returned_at=s(11), now=s(11))
    assert back_in_time == LeaveOutcome.COUNTED
    assert too_late == LeaveOutcome.FORCED_TIMEOUT


def test_dual_carbon_away_over_twenty_seconds_forces_hand_in(carbon_rules):
    assert rules.leave_outcome(carbon_rules, counted_before=0, left_at=T0, returned_at=s(19), now=s(19)) == LeaveOutcome.COUNTED
    assert rules.leave_outcome(carbon_rules, counted_before=0, left_at=T0, returned_at=None, now=s(20)) is None
    assert rules.leave_outcome(carbon_rules, counted_before=0, left_at=T0, returned_at=None, now=s(21)) == LeaveOutcome.FORCED_TIMEOUT


def test_leave_during_approved_break_is_excused(carbon_rules):
    outcome = rules.leave_outcome(carbon_rules, counted_before=2, left_at=T0, returned_at=None, now=s(120), on_break=True)
    assert outcome == LeaveOutcome.EXCUSED


def test_zero_leave_limit_means_no_limit(energy_rules):
    unlimited = {**energy_rules, "leave_limit": 0}
    assert rules.leave_outcome(unlimited, counted_before=500, left_at=T0, returned_at=s(1), now=s(1)) == LeaveOutcome.COUNTED
    assert rules.leaves_remaining(unlimited, 500) is None


def test_breaks_only_for_dual_carbon_and_five_minutes(energy_rules, carbon_rules):
    assert not rules.breaks_allowed(energy_rules)
    assert rules.breaks_allowed(carbon_rules)
    assert rules.break_state(carbon_rules, started_at=T0, returned_at=s(300), now=s(300)) == WindowState.CLOSED_IN_TIME
    assert rules.break_state(carbon_rules, started_at=T0, returned_at=s(301), now=s(301)) == WindowState.OVERDUE
    assert rules.break_state(carbon_rules, started_at=T0, returned_at=None, now=s(299)) == WindowState.OPEN
    assert rules.break_state(carbon_rules, started_at=T0, returned_at=None, now=s(301)) == WindowState.OVERDUE


def test_reconnect_window_dual_carbon_five_minutes_energy_unlimited(energy_rules, carbon_rules):
    assert rules.reconnect_state(carbon_rules, lost_at=T0, back_at=s(299), now=s(299)) == WindowState.CLOSED_IN_TIME
    assert rules.reconnect_state(carbon_rules, lost_at=T0, back_at=s(301), now=s(301)) == WindowState.OVERDUE
    assert rules.reconnect_state(carbon_rules, lost_at=T0, back_at=None, now=s(301)) == WindowState.OVERDUE
    assert rules.reconnect_state(energy_rules, lost_at=T0, back_at=None, now=s(86400)) == WindowState.OPEN
    assert rules.reconnect_state(energy_rules, lost_at=T0, back_at=s(3600), now=s(3600)) == WindowState.CLOSED_IN_TIME


def test_three_warnings_disqualify_on_dual_carbon_only(energy_rules, carbon_rules):
    assert [rules.disqualified_by_warnings(carbon_rules, n) for n in (1, 2, 3)] == [False, False, True]
    assert not rules.disqualified_by_warnings(energy_rules, 50)


def test_face_threshold_and_photo_fallback(energy_rules):
    assert rules.face_matches(energy_rules, 0.40)
    assert not rules.face_matches(energy_rules, 0.30)
    assert not rules.face_matches({**energy_rules, "face_match_threshold": 0.5}, 0.40)
    assert not rules.face_matches(energy_rules, None)
    assert [rules.photo_fallback_allowed(energy_rules, n) for n in (1, 2, 3)] == [False, False, True]


def test_snapshot_findings(energy_rules):
    assert rules.snapshot_findings(energy_rules, face_count=0, similarity=None).absent
    two = rules.snapshot_findings(energy_rules, face_count=2, similarity=0.9)
    assert two.multiple_persons and not two.identity_mismatch
    assert rules.snapshot_findings(energy_rules, face_count=1, similarity=0.1).identity_mismatch
    assert rules.snapshot_findings(energy_rules, face_count=1, similarity=0.9).clean


def test_second_camera_loss_only_where_required(energy_rules, carbon_rules):
    assert rules.second_camera_lost(carbon_rules, last_seen=T0, paired_at=T0, now=s(91))
    assert not rules.second_camera_lost(carbon_rules, last_seen=T0, paired_at=T0, now=s(89))
    assert not rules.second_camera_lost(energy_rules, last_seen=T0, paired_at=T0, now=s(9999))


def test_preflight_sequence_per_program(energy_rules, carbon_rules):
    assert rules.preflight_steps(energy_rules) == ["camera", "face", "fullscreen"]
    assert rules.preflight_steps(carbon_rules) == ["rules", "camera", "face", "second_camera", "fullscreen"]


def test_photo_retention(energy_rules):
    days = energy_rules["photo_retention_days"]
    assert rules.photo_expired(energy_rules, taken_at=T0, now=T0 + timedelta(days=days, seconds=1))
    assert not rules.photo_expired(energy_rules, taken_at=T0, now=T0 + timedelta(days=days))


# -- leaves journaled offline ---------------------------------------------------------

def _event(id_, type_, seconds, kind="fullscreen"):
    return {"id": id_, "type": type_, "kind": kind, "at": s(seconds)}


def test_offline_window_is_five_minutes_in_both_programs(energy_rules, carbon_rules):
    for settings in (energy_rules, carbon_rules):
        assert settings["offline_window_minutes"] == 5
        assert not rules.offline_window_exceeded(settings, since=T0, back_at=s(300))
        assert rules.offline_window_exceeded(settings, since=T0, back_at=s(301))
    assert not rules.offline_window_exceeded({**energy_rules, "offline_window_minutes": 0}, since=T0, back_at=s(9999))


def test_journaled_events_pair_into_leaves_as_live():
    events = [
        _event("1", "leave", 0), _event("2", "leave", 1, "focus"),  # a second signal joins the open leave
        _event("3", "back", 5), _event("4", "back", 6),  # a return with nothing open is ignored
        _event("5", "leave", 8, "visibility"),  # still away at the replay
    ]
    leaves = rules.replayed_leaves(events)
    assert [(lv.kind, lv.left_at, lv.returned_at, lv.event_ids) for lv in leaves] == [
        ("fullscreen", s(0), s(5), ("1", "2", "3")), ("visibility", s(8), None, ("5",)),
    ]
    # a leave the server already had open when the connection dropped is closed by the first return
    continued = rules.replayed_leaves([_event("9", "back", 30)], open_leave=("focus", s(-2)))
    assert continued == [rules.ReplayedLeave("focus", s(-2), s(30), ("9",), existing=True)]


def test_replayed_leaves_are_judged_like_live_ones(energy_rules, carbon_rules):
    # energy: back within 10 s is counted; 11 s away forces the hand-in as of the 10th second
    short = rules.replayed_leaves([_event("a", "leave", 0), _event("b", "back", 9)])
    assert [o for _l, o in rules.judge_replayed_leaves(energy_rules, short, counted_before=0, now=s(60))] == [
        LeaveOutcome.COUNTED]
    long = rules.replayed_leaves([_event("a", "leave", 0), _event("b", "back", 11), _event("c", "leave", 20)])
    judged = rules.judge_replayed_leaves(energy_rules, long, counted_before=0, now=s(60))
    assert [o for _l, o in judged] == [LeaveOutcome.FORCED_TIMEOUT]  # judging stops at the forced one
    assert rules.forced_at(energy_rules, judged[0][0], judged[0][1]) == s(10)
    # dual-carbon: the third leave (two counted live before) forces the hand-in at its return
    third = rules.replayed_leaves([_event("a", "leave", 0), _event("b", "back", 5)])
    judged = rules.judge_replayed_leaves(carbon_rules, third, counted_before=2, now=s(60))
    assert judged[0][1] == LeaveOutcome.FORCED_LIMIT and rules.forced_at(carbon_rules, *judged[0]) == s(5)
    # still away at the replay: open while inside the window, forced once past it
    away = rules.replayed_leaves([_event("a", "leave", 0)])
    assert rules.judge_replayed_leaves(carbon_rules, away, counted_before=0, now=s(15))[0][1] is None
    assert rules.judge_replayed_leaves(carbon_rules, away, counted_before=0, now=s(21))[0][1] == LeaveOutcome.FORCED_TIMEOUT
    # during an approved break nothing counts
    assert rules.judge_replayed_leaves(carbon_rules, long, counted_before=0, now=s(60), on_break=True)[0][1] == \
        LeaveOutcome.EXCUSED
