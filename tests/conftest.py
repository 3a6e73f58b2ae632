"""Shared fixtures. Feature tests live in folders mirroring the apps; e2e/ drives
Debian's Chromium; bench/ holds benchmarks (not collected by default)."""

import os

import pytest
from django.core.management import call_command

# Playwright's sync API runs an event loop in the test thread; the ORM calls we make
# between browser steps are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

collect_ignore_glob = ["bench/*"]

from tests.helpers import CHROMIUM_ARGS, mainland_id  # noqa: E402


def _one_request_at_a_time():
    """The live server's request threads share one connection to the in-memory SQLite test
    database: two requests in ``atomic`` blocks at once interleave their savepoints on it
    ("no such savepoint") and break every later test. Handle one request at a time (the
    threads still accept connections, so browsers' keep-alive connections never block)."""
    import threading

    from django.core.servers.basehttp import ThreadedWSGIServer

    lock = threading.Lock()
    set_app = ThreadedWSGIServer.set_app

    def serialised_set_app(self, app):
        def application(environ, start_response):
            with lock:
                return app(environ, start_response)

        set_app(self, application)

    ThreadedWSGIServer.set_app = serialised_set_app


_one_request_at_a_time()


def _load_site_data():
    with open(os.devnull, "w") as devnull:
        call_command("load_initial_data", verbosity=0, stdout=devnull)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load fixtures/ once into the fresh test database.

    pytest-django runs transaction-rolled-back tests before transactional ones, so all
    ``db`` tests share this data; a transactional test's flush removes it and
    ``site_data`` loads it again for the (fewer, slower) transactional tests.
    """
    from django.db import connection

    with django_db_blocker.unblock():
        _load_site_data()
        # Tests marked serialized_rollback=True restore this state after their flush.
        connection._test_serialized_contents = connection.creation.serialize_db_to_string()


@pytest.fixture(autouse=True)
def _live_server_idle_before_flush():
    """Torn down after the test's browser context (set up later) and before pytest-django's
    database teardown (set up earlier): a request the closed page left running in the live
    server must finish before the flush (tests/inflight.py)."""
    yield
    from tests.inflight import wait_until_idle

    wait_until_idle()


@pytest.fixture(autouse=True)
def _fresh_program_cache():
    """Rolled-back test transactions send no signals: start each test with an empty
    program/plugin-state cache (plugins.services.programs.gate_cache)."""
    from plugins.services.programs import gate_cache

    gate_cache.clear()
    yield
    gate_cache.clear()


@pytest.fixture
def site_data(db):
    """Programs, levels, plugin states, roles and content from fixtures/ (load_initial_data)."""
    from course_content.models import HomePage

    if not HomePage.objects.exists():
        _load_site_data()


@pytest.fixture
def energy(site_data):
    from course_content.models import ProgramPage

    return ProgramPage.objects.get(slug="energy")


@pytest.fixture
def asset(site_data):
    """The first dual-carbon track (碳资产管理应用)."""
    from course_content.models import ProgramPage

    return ProgramPage.objects.get(slug="asset")


@pytest.fixture
def make_learner(db):
    """``make_learner(program=None, level="junior", password="Study-2026!", **fields)``:
    a learner with a valid mainland ID, enrolled at ``level`` when a program is given."""
    from django.contrib.auth import get_user_model

    from course_content.models import ProgramLevel
    from course_content.services.enrolment import enrol

    counter = {"n": 100}

    def factory(program=None, level="junior", password="Study-2026!", **fields):
        counter["n"] += 1
        number = fields.pop("document_number", None) or mainland_id(counter["n"])
        user = get_user_model().objects.create_learner(
            real_name=fields.pop("real_name", f"学员{counter['n']}"),
            document_type=fields.pop("document_type", "mainland_id"),
            document_number=number,
            password=password,
            **fields,
        )
        if program is not None:
            enrol(user, ProgramLevel.objects.get(program=program, code=level))
        return user

    return factory


@pytest.fixture
def grant_hours():
    """``grant_hours(enrolment, class_hours)``: ledger rows worth that many class hours
    (one per call) and the hours-changed signal, as if studied."""
    from datetime import timedelta

    from django.utils import timezone

    from course_content.models import StudyInterval
    from course_content.services.ledger import class_hours as total
    from course_content.services.ledger import notify_hours_changed

    def grant(enrolment, hours):
        before = total(enrolment)
        seconds = int(hours * enrolment.program.minutes_per_class_hour * 60)
        end = timezone.now() - timedelta(minutes=1)
        StudyInterval.objects.create(
            enrolment=enrolment, started_at=end - timedelta(seconds=seconds), ended_at=end,
            credited_seconds=seconds, lesson_title="test",
        )
        return notify_hours_changed(enrolment, previous_hours=before)

    return grant


@pytest.fixture(scope="session")
def playwright_instance():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def chromium(playwright_instance):
    """Debian's Chromium (/usr/bin/chromium), headless. For extra flags (fake camera),
    launch your own with ``CHROMIUM_ARGS``."""
    browser = playwright_instance.chromium.launch(
        executable_path=os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"), headless=True, args=CHROMIUM_ARGS
    )
    yield browser
    browser.close()


@pytest.fixture
def page(chromium, live_server):
    """A fresh browser context and page, zh-hans, with ``page.base_url`` = live server."""
    context = chromium.new_context(locale="zh-CN", base_url=live_server.url)
    context.set_default_timeout(15_000)
    pg = context.new_page()
    yield pg
    context.close()
