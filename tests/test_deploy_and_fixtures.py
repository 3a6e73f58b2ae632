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


def production_env(tmp_path, **overrides):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms_site.settings.production",
        "DJANGO_SECRET_KEY": "x" * 20 + "a-long-random-production-secret-key-0123456789",
        "ALLOWED_HOSTS": "cert.example.org",
        "SITE_BASE_URL": "https://cert.example.org",
        "CERTPLATFORM_DATA_DIR": str(tmp_path),
    }
    for name in ("DATABASE_URL", "REDIS_URL", "WEB_CONCURRENCY", "LOCAL_MEMORY_CACHE", "CLIENT_IP_HEADER"):
        env.pop(name, None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the test suite for Playwright only
    for name, value in overrides.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return env


def check_deploy(tmp_path, **overrides):
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=ROOT, env=production_env(tmp_path, **overrides), capture_output=True, text=True, timeout=120,
    )
    return result.returncode, result.stdout + result.stderr


def test_check_deploy_with_production_settings_has_no_errors(tmp_path):
    returncode, output = check_deploy(tmp_path)
    assert returncode == 0, output
    # Only the warnings the README explains may remain.
    reported = set(re.findall(r"\((\w+\.[EW]\d+)\)", output))
    assert reported <= EXPLAINED_IN_README, output
    readme = (ROOT / "README.md").read_text()
    assert all(code in readme for code in reported)


def test_check_deploy_fails_with_a_per_process_cache_and_several_workers(tmp_path):
    returncode, output = check_deploy(tmp_path, LOCAL_MEMORY_CACHE="1", WEB_CONCURRENCY="4")
    assert returncode != 0 and "cms_site.E001" in output, output


def test_check_deploy_fails_without_the_public_base_url(tmp_path):
    returncode, output = check_deploy(tmp_path, SITE_BASE_URL=None)
    assert returncode != 0 and "cms_site.E002" in output, output


def test_shared_cache_check_rules(settings):
    from cms_site.checks import shared_cache_for_several_workers as check

    locmem = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.CACHES, settings.WEB_WORKERS = locmem, 2  # serve-production.sh's default worker count
    assert [error.id for error in check(None)] == ["cms_site.E001"]
    settings.WEB_WORKERS = 1
    assert check(None) == []
    settings.WEB_WORKERS = 4
    for shared in ("django.core.cache.backends.db.DatabaseCache", "django_redis.cache.RedisCache"):
        settings.CACHES = {"default": {"BACKEND": shared}}
        assert check(None) == []
    settings.CACHES = {"default": {"BACKEND": "django_redis.cache.RedisCache"}, **{"other": locmem["default"]}}
    assert [error.id for error in check(None)] == ["cms_site.E001"]


def test_public_base_url_check_rules(settings):
    from cms_site.checks import public_base_url as check

    settings.SITE_BASE_URL_REQUIRED = True
    for bad in ("", "cert.example.org", "ftp://cert.example.org", "http://127.0.0.1:8000", "https://localhost",
                "https://[::1]", "https://cert.example.org/app/", "https://cert.example.org/?a=1"):
        settings.SITE_BASE_URL = bad
        assert [error.id for error in check(None)] == ["cms_site.E002"], bad
    for good in ("https://cert.example.org", "https://cert.example.org:8443", "http://10.0.0.5"):
        settings.SITE_BASE_URL = good
        assert check(None) == [], good
    settings.SITE_BASE_URL_REQUIRED = False  # dev and test: the local default is fine
    settings.SITE_BASE_URL = "http://127.0.0.1:8000"
    assert check(None) == []


def test_the_wsgi_application_refuses_to_start_misconfigured(tmp_path):
    env = production_env(tmp_path, LOCAL_MEMORY_CACHE="1", WEB_CONCURRENCY="3")
    wsgi = subprocess.run([sys.executable, "-c", "import cms_site.wsgi"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert wsgi.returncode != 0 and "cms_site.E001" in wsgi.stdout + wsgi.stderr


def test_production_cache_is_the_database_cache_by_default(tmp_path):
    probe = "import django; django.setup(); from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"
    result = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=production_env(tmp_path),
                            capture_output=True, text=True, timeout=120)
    assert result.stdout.strip() == "django.core.cache.backends.db.DatabaseCache", result.stderr


def test_certificate_links_use_the_public_base_url(settings):
    from cert_plugin.services.pdf import verify_url

    settings.SITE_BASE_URL = "https://cert.example.org"
    assert verify_url("ABC123") == "https://cert.example.org/certificates/verify/ABC123/"
