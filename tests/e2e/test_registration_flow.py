"""Browser: a newcomer registers, uploads, sees eligibility, submits; a program admin
approves in the Wagtail admin; the learner's dashboard shows the enrolment."""

import re

import pytest
from playwright.sync_api import expect

from cms_site.accounts.services import roles
from tests.helpers import browser_login, mainland_id
from tests.registration.conftest import PDF_BYTES, image_bytes

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# The machine running the suite may be loaded: wait for conditions, generously, never sleep.
SERVER_WAIT = 30_000  # ms


def wait_for_verdict(page):
    """Wait until the eligibility panel shows the server's answer to the latest change
    (eligibility.js drops older answers and clears ``data-eligibility-pending`` then)."""
    expect(page.locator("#registration-form:not([data-eligibility-pending])")).to_have_count(1, timeout=SERVER_WAIT)


@pytest.fixture
def reviewer_account(transactional_db, site_data):
    from django.contrib.auth import get_user_model

    from cms_site.accounts.services.roles import PROGRAM_ADMIN

    user = get_user_model().objects.create_user(username="reviewer", password="Review-2026!x", real_name="审核员")
    user.groups.add(roles.group(PROGRAM_ADMIN))
    return user


def test_register_upload_submit_approve_dashboard(transactional_db, site_data, energy, reviewer_account, page, chromium, live_server, tmp_path):
    from plugins import services as plugin_services

    # The proctor plugin adds a real face check to the photo; our photo is synthetic.
    plugin_services.disable(energy, "proctor_plugin")
    level = energy.levels.get(code="intermediate")
    files = {
        "photo": ("photo.jpg", image_bytes()),
        "id_front": ("front.jpg", image_bytes(860, 540, (200, 200, 200))),
        "id_back": ("back.jpg", image_bytes(860, 540, (200, 200, 200))),
        "diploma": ("diploma.pdf", PDF_BYTES),
        "work_proof": ("work.pdf", PDF_BYTES),
        "fake": ("fake.jpg", PDF_BYTES),
    }
    paths = {}
    for kind, (name, content) in files.items():
        path = tmp_path / name
        path.write_bytes(content)
        paths[kind] = str(path)

    number = mainland_id(901)
    page.goto("/register/")
    page.click(f"a[href='/register/level/{level.pk}/']")
    page.fill("input[name=real_name]", "赵六")
    page.fill("input[name=document_number]", number)
    page.fill("input[name=phone]", "13600001111")
    page.fill("input[name=password1]", "Learn-Energy-2026")
    page.fill("input[name=password2]", "Learn-Energy-2026")
    page.click("form button[type=submit]")
    expect(page.locator("#registration-form")).to_be_visible()

    # Not yet eligible: nothing filled in; the reasons are listed.
    expect(page.locator("#eligibility [data-eligible=no]")).to_be_visible()
    page.select_option("select[name=education]", "bachelor")
    page.fill("input[name=work_years]", "1")
    page.press("input[name=work_years]", "Tab")
    # The verdict updates live, before anything is saved (two requests were in flight:
    # the answer to the latest one is what is shown, whichever arrives first).
    wait_for_verdict(page)
    expect(page.locator("#eligibility [data-eligible=yes]")).to_contain_text(
        "本科学历，从事相关工作满1年", timeout=SERVER_WAIT)
    page.fill("input[name=work_years]", "0")
    page.press("input[name=work_years]", "Tab")
    wait_for_verdict(page)
    expect(page.locator("#eligibility [data-eligible=no]")).to_be_visible(timeout=SERVER_WAIT)
    page.fill("input[name=work_years]", "1")
    page.set_input_files("input[name=file_photo]", paths["fake"])  # a PDF named .jpg
    page.set_input_files("input[name=file_diploma]", paths["diploma"])
    page.click("button[name=action][value=save]")
    expect(page.locator(".field-file_photo .errorlist")).to_contain_text("PDF", timeout=SERVER_WAIT)
    expect(page.locator("select[name=education]")).to_have_value("bachelor")  # kept
    expect(page.locator("#uploaded-materials [data-kind=diploma]")).to_be_visible()  # kept
    expect(page.locator("#eligibility [data-eligible=yes]")).to_contain_text("本科")

    for kind in ("photo", "id_front", "id_back", "work_proof"):
        page.set_input_files(f"input[name=file_{kind}]", paths[kind])
    page.click("#submit-registration")
    expect(page.locator("#registration-status")).to_have_attribute(
        "class", re.compile("status-submitted"), timeout=SERVER_WAIT)

    admin_context = chromium.new_context(locale="zh-CN", base_url=live_server.url)
    admin = admin_context.new_page()
    try:
        browser_login(admin, "reviewer", "Review-2026!x")
        admin.goto("/admin/registrations/")
        admin.click("#review-queue a:has-text('赵六')")
        expect(admin.locator("#review-eligibility")).to_contain_text("本科")
        admin.click("#approve-registration")
        expect(admin.locator("#review-queue")).to_be_visible(timeout=SERVER_WAIT)
    finally:
        admin_context.close()

    page.goto("/dashboard/")
    card = page.locator("section.enrolment")
    expect(card).to_contain_text(energy.title)
    expect(card).to_contain_text(level.name)


def test_a_late_eligibility_answer_never_overwrites_a_newer_one(transactional_db, site_data, energy, make_learner,
                                                                page, live_server):
    """Under load the answers to two quick changes can arrive in either order: the older
    one is held back here until the newer one is shown, then released."""
    from course_content.registration.services import registrations

    learner = make_learner(password="Study-2026!")
    registration = registrations.start_registration(learner, energy.levels.get(code="intermediate"))
    browser_login(page, learner.username, "Study-2026!")
    held = []

    def hold_the_first_answer(route):
        if held:
            route.continue_()
        else:
            held.append(route)

    page.route("**/eligibility/", hold_the_first_answer)
    page.goto(f"/register/r/{registration.pk}/")
    page.select_option("select[name=education]", "bachelor")  # answer 1: 本科, 0 years → not eligible
    page.fill("input[name=work_years]", "1")
    page.press("input[name=work_years]", "Tab")  # answer 2: 本科, 1 year → eligible
    expect(page.locator("#eligibility [data-eligible=yes]")).to_contain_text("本科", timeout=SERVER_WAIT)
    assert len(held) == 1
    held[0].continue_()
    expect(page.locator("#registration-form[data-eligibility-answered='2']")).to_have_count(1, timeout=SERVER_WAIT)
    expect(page.locator("#eligibility [data-eligible=yes]")).to_be_visible()
    expect(page.locator("#eligibility [data-eligible=no]")).to_have_count(0)
    wait_for_verdict(page)
