from django.core.management import call_command

from cms_site.management.commands.run_periodic import declared_jobs
from tests.dummy_plugin.management.commands.dummy_tick import TICKS


def test_jobs_are_declared_by_the_apps():
    commands = {(label, command) for label, _seconds, command, _options in declared_jobs()}
    assert ("exam_plugin", "exam_auto_hand_in") in commands
    assert ("proctor_plugin", "proctor_enforce") in commands
    assert ("dummy_plugin", "dummy_tick") in commands


def test_run_once_runs_every_job_and_survives_a_failing_one(db):
    TICKS.clear()
    call_command("run_periodic", once=True)
    assert TICKS == ["fail", "tick"]
