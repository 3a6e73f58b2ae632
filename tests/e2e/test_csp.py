"""Chromium enforces the site's CSP (script-src 'self' + nonce, no 'unsafe-inline') on the
learner pages, a formal exam page and the Wagtail admin: no violation is reported.

Violations are collected two ways: a ``securitypolicyviolation`` listener installed before
any page script runs (``add_init_script`` is injected by the browser, not subject to the
page's CSP), and Chromium's console messages about refused content."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from tests.helpers import browser_login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "Study-2026!"
ADMIN_PASSWORD = "Admin-CSP-2026!"

COLLECT_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push({
    directive: event.violatedDirective, blocked: event.blockedURI, sample: event.sample,
    source: event.sourceFile + ":" + event.lineNumber,
  });
});
"""


@pytest.fixture
def csp_context(chromium, live_server):
    context = chromium.new_context(locale="zh-CN", base_url=live_server.url)
    context.set_default_timeout(20_000)
    context.add_init_script(COLLECT_VIOLATIONS)
    yield context
    context.close()


class ViolationLog:
    def __init__(self, page):
        self.page = page
        self.console = []
        self.seen = []
        page.on("console", self._console)

    def _console(self, message):
        text = message.text
        if "Content Security Policy" in text or "Refused to" in text:
            self.console.append((self.page.url, text))

    def visit(self, url, ready):
        """Open ``url``, wait until ``ready`` (a locator) is visible, record the violations."""
        self.page.goto(url)
        expect(ready(self.page)).to_be_visible()
        self.collect()

    def collect(self):
        self.seen.append((self.page.url, self.page.evaluate("window.__cspViolations || []")))

    def violations(self):
        return [entry for entry in self.seen if entry[1]] + self.console


@pytest.fixture
def exam_world(energy, make_learner, grant_hours, settings, tmp_path):
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from course_content.models import LessonPage
    from exam_plugin.models import ExamSitting
    from exam_plugin.services.sittings import admit
    from plugins.services import disable

    settings.CERT_PLUGIN_KEY_DIR = str(tmp_path / "keys")
    disable(energy, "proctor_plugin")  # the exam page itself; proctoring has its own browser tests
    learner = make_learner(energy, real_name="严考生", password=PASSWORD)
    enrolment = learner.enrolments.get()
    grant_hours(enrolment, 36)
    start = timezone.now() - timedelta(minutes=5)
    sitting = ExamSitting.objects.create(program=energy, starts_at=start, ends_at=start + timedelta(hours=2))
    admit(sitting, enrolment)
    admin = get_user_model().objects.create_superuser(username="csp-admin", password=ADMIN_PASSWORD)
    lesson = LessonPage.objects.live().descendant_of(energy).first()
    return {"learner": learner, "admin": admin, "lesson": lesson}


def test_learner_pages_and_the_exam_page_report_no_csp_violation(csp_context, energy, exam_world):
    page = csp_context.new_page()
    log = ViolationLog(page)

    log.visit("/accounts/login/", lambda p: p.locator("input[name=username]"))
    browser_login(page, exam_world["learner"].document_number, PASSWORD)
    log.collect()
    log.visit("/", lambda p: p.locator("header.site-header"))
    log.visit("/programs/", lambda p: p.locator("main.content"))
    log.visit(energy.url, lambda p: p.locator("main.content"))
    log.visit("/dashboard/", lambda p: p.locator("main.content"))
    log.visit(exam_world["lesson"].url, lambda p: p.locator("main.content"))

    # The language switch (a select that submits its form; formerly an inline onchange).
    page.select_option("#lang-select", "en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    log.collect()
    page.select_option("#lang-select", "zh-hans")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")

    # The formal exam page, with its questions rendered by its scripts.
    log.visit("/programs/energy/exam/", lambda p: p.locator("button.enter-exam"))
    page.click("button.enter-exam")
    expect(page.locator(".exam-question")).to_have_count(64)
    page.locator("#q-0 input").first.check()
    expect(page.locator("#exam-answered")).to_have_text("1")
    log.collect()

    assert log.violations() == [], log.violations()
    assert len(log.seen) >= 8


def test_wagtail_admin_reports_no_csp_violation(csp_context, energy, exam_world):
    page = csp_context.new_page()
    log = ViolationLog(page)
    browser_login(page, "csp-admin", ADMIN_PASSWORD)
    # The editor's collaboration pings and its release beacon on unload are Wagtail's, not under
    # test here: kept off the server, they cannot land while the test reads or flushes the data.
    page.route("**/admin/editing-sessions/**", lambda route: route.abort())

    log.visit("/admin/", lambda p: p.locator("main"))
    log.visit("/admin/pages/", lambda p: p.locator("main"))
    # A program page's editor: an inline panel (levels), date-time widgets (settings tab).
    log.visit(f"/admin/pages/{energy.pk}/edit/", lambda p: p.locator("form#page-edit-form"))
    total_forms = page.locator("#id_levels-TOTAL_FORMS")
    levels_before = int(total_forms.input_value())
    page.locator("#id_levels-ADD").click()  # inserts a child form from the panel's template
    expect(total_forms).to_have_value(str(levels_before + 1))
    log.collect()
    log.visit("/admin/snippets/", lambda p: p.locator("main"))
    log.visit("/admin/users/", lambda p: p.locator("main"))
    # A public page as an editor: Wagtail's user bar is on it.
    log.visit(energy.url, lambda p: p.locator("main.content"))
    expect(page.locator("wagtail-userbar")).to_have_count(1)
    page.wait_for_load_state("networkidle")  # the user bar's own requests are done
    log.collect()

    assert log.violations() == [], log.violations()
