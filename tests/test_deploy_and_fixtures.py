import os
import re
import subprocess
import sys
from pathlib import Path

from django.core.management import call_command
from wagtail.models import Page

from course_content.models import ProgramLevel, ProgramPage
from plugins.models import ProgramPlugin

ROOT = Path(__file__).resolve().parent.parent
EXPLAINED_IN_README = {"security.W019", "security.W021"}


def test_load_initial_data_is_idempotent(site_data, capsys):
    def snapshot():
        return (
            list(Page.objects.order_by("path").values_list("url_path", "live", "latest_revision_id")),
            list(ProgramLevel.objects.order_by("pk").values_list("program__slug", "code", "required_hours")),
            list(ProgramPlugin.objects.order_by("pk").values_list("program__slug", "plugin", "enabled", "settings")),
        )

    before = snapshot()
    call_command("load_initial_data")
    assert snapshot() == before
    assert "created" not in capsys.readouterr().out


def test_fixture_programs_levels_and_hours(site_data):
    paths = sorted(p.program_path for p in ProgramPage.objects.all())
    assert paths == ["dual-carbon/asset", "dual-carbon/emission", "dual-carbon/monitoring", "dual-carbon/trading", "energy"]
    for program in ProgramPage.objects.all():
        hours = {lvl.code: int(lvl.required_hours) for lvl in program.levels.all()}
        assert hours == {"junior": 36, "intermediate": 40, "senior": 48}
        assert program.minutes_per_class_hour == 45


def test_edits_survive_a_reload(site_data):
    level = ProgramLevel.objects.get(program__slug="energy", code="senior")
    level.required_hours = 50
    level.save()
    call_command("load_initial_data")
    level.refresh_from_db()
    assert level.required_hours == 50


def test_demo_accounts_refused_outside_dev(site_data, settings):
    import pytest
    from django.core.management.base import CommandError

    settings.DEMO_ACCOUNTS_ALLOWED = False
    with pytest.raises(CommandError):
        call_command("load_initial_data", demo_accounts=True)


def test_check_deploy_with_production_settings_has_no_errors(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms_site.settings.production",
        "DJANGO_SECRET_KEY": "x" * 20 + "a-long-random-production-secret-key-0123456789",
        "ALLOWED_HOSTS": "cert.example.org",
        "CERTPLATFORM_DATA_DIR": str(tmp_path),
    }
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the test suite for Playwright only
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    # Only the warnings the README explains may remain.
    reported = set(re.findall(r"\((\w+\.[EW]\d+)\)", output))
    assert reported <= EXPLAINED_IN_README, output
    readme = (ROOT / "README.md").read_text()
    assert all(code in readme for code in reported)
