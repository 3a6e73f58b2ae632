"""Browser: a newcomer registers, uploads, sees eligibility, submits; a program admin
approves in the Wagtail admin; the learner's dashboard shows the enrolment."""

import re

import pytest
from playwright.sync_api import expect

from tests.helpers import browser_login, mainland_id
from tests.registration.conftest import PDF_BYTES, image_bytes

pytestmark = pytest.mark.e2e


@pytest.fixture
def reviewer_account(transactional_db, site_data):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from cms_site.accounts.roles import PROGRAM_ADMIN

    user = get_user_model().objects.create_user(username="reviewer", password="Review-2026!x", real_name="审核员")
    user.groups.add(Group.objects.get(name=PROGRAM_ADMIN))
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
    # The verdict updates live, before anything is saved.
    expect(page.locator("#eligibility [data-eligible=yes]")).to_contain_text("本科学历，从事相关工作满1年")
    page.fill("input[name=work_years]", "0")
    page.press("input[name=work_years]", "Tab")
    expect(page.locator("#eligibility [data-eligible=no]")).to_be_visible()
    page.fill("input[name=work_years]", "1")
    page.set_input_files("input[name=file_photo]", paths["fake"])  # a PDF named .jpg
    page.set_input_files("input[name=file_diploma]", paths["diploma"])
    page.click("button[name=action][value=save]")
    expect(page.locator(".field-file_photo .errorlist")).to_contain_text("PDF")
    expect(page.locator("select[name=education]")).to_have_value("bachelor")  # kept
    expect(page.locator("#uploaded-materials [data-kind=diploma]")).to_be_visible()  # kept
    expect(page.locator("#eligibility [data-eligible=yes]")).to_contain_text("本科")

    for kind in ("photo", "id_front", "id_back", "work_proof"):
        page.set_input_files(f"input[name=file_{kind}]", paths[kind])
    page.click("#submit-registration")
    expect(page.locator("#registration-status")).to_have_attribute("class", re.compile("status-submitted"))

    admin_context = chromium.new_context(locale="zh-CN", base_url=live_server.url)
    admin = admin_context.new_page()
    try:
        browser_login(admin, "reviewer", "Review-2026!x")
        admin.goto("/admin/registrations/")
        admin.click("#review-queue a:has-text('赵六')")
        expect(admin.locator("#review-eligibility")).to_contain_text("本科")
        admin.click("#approve-registration")
        expect(admin.locator("#review-queue")).to_be_visible()
    finally:
        admin_context.close()

    page.goto("/dashboard/")
    card = page.locator("section.enrolment")
    expect(card).to_contain_text(energy.title)
    expect(card).to_contain_text(level.name)
