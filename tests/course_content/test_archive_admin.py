"""The curriculum export button and import form in the Wagtail admin: permission-checked,
CSRF-protected, bad uploads answered with a clear 400 and nothing imported, the report
listing what was created, updated or refused."""

import io
import json
import zipfile

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from cms_site.accounts.services import roles
from course_content.models import LessonPage

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("site_data")]


@pytest.fixture
def staff(db):
    def make(username, role):
        user = get_user_model().objects.create_user(username=username, password="Staff-Pass-2026", is_staff=True)
        user.groups.add(roles.group(role))
        return user

    return make


def export(client, program):
    return client.get(reverse("course_content_admin:curriculum_export", args=[program.pk]))


def test_editors_export_and_others_may_not(client, staff, energy):
    client.force_login(staff("editor1", roles.CONTENT_EDITOR))
    response = export(client, energy)
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.content)) as zf:
        assert json.loads(zf.read("manifest.json"))["program"] == "energy"
        # content editors may not manage the question bank: it stays out of their export
        assert json.loads(zf.read("curriculum.json"))["sections"] == {}
    explore = client.get(reverse("wagtailadmin_explore", args=[energy.pk])).content.decode()
    assert reverse("course_content_admin:curriculum_export", args=[energy.pk]) in explore
    client.force_login(staff("grader1", roles.GRADER))  # admin access, no page permissions
    for response in (export(client, energy), client.get(reverse("course_content_admin:curriculum_import"))):
        # Wagtail answers PermissionDenied in the admin with a redirect to the dashboard
        assert response.status_code in (302, 403) and response.get("Content-Type") != "application/zip"
        assert response.status_code == 403 or response["Location"] == reverse("wagtailadmin_home")


def test_import_form_reports_updates_as_drafts_and_refuses_bad_files(staff, energy):
    admin = staff("padmin", roles.PROGRAM_ADMIN)
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin)
    archive = export(client, energy).content
    with zipfile.ZipFile(io.BytesIO(archive)) as zf:
        data = json.loads(zf.read("curriculum.json"))
        members = {name: zf.read(name) for name in zf.namelist()}
    lesson = data["modules"][1]["lessons"][0]
    lesson["hours"] = "9.5"
    members["curriculum.json"] = json.dumps(data, ensure_ascii=False).encode()
    edited = io.BytesIO()
    with zipfile.ZipFile(edited, "w") as zf:
        for name, content in members.items():
            zf.writestr(name, content)
    url = reverse("course_content_admin:curriculum_import")
    form = client.get(url)
    assert form.status_code == 200
    token = form.cookies["csrftoken"].value
    upload = io.BytesIO(edited.getvalue())
    upload.name = "energy.zip"
    assert client.post(url, {"archive": upload}).status_code == 403  # no CSRF token

    upload.seek(0)
    response = client.post(url, {"archive": upload, "csrfmiddlewaretoken": token})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="report-updated"' in html and lesson["slug"] in html
    assert html.count('class="report-updated"') == 1 and 'class="report-created"' not in html
    page = LessonPage.objects.get(translation_key=lesson["key"])
    assert page.declared_class_hours != 9.5 and str(page.get_latest_revision_as_object().declared_class_hours) == "9.5"

    garbage = io.BytesIO(b"PK\x03\x04 this is no zip")
    garbage.name = "energy.zip"
    before = LessonPage.objects.count()
    response = client.post(url, {"archive": garbage, "csrfmiddlewaretoken": token})
    assert response.status_code == 400 and "课程档案" in response.content.decode()
    assert LessonPage.objects.count() == before


def test_the_bank_section_needs_the_bank_permission(client, staff, energy):
    client.force_login(staff("padmin", roles.PROGRAM_ADMIN))
    archive = export(client, energy).content
    with zipfile.ZipFile(io.BytesIO(archive)) as zf:
        assert json.loads(zf.read("curriculum.json"))["sections"]["exam_plugin.bank"]["questions"]
    client.force_login(staff("editor1", roles.CONTENT_EDITOR))  # may add pages, not change the bank
    upload = io.BytesIO(archive)
    upload.name = "energy.zip"
    html = client.post(reverse("course_content_admin:curriculum_import"), {"archive": upload}).content.decode()
    assert html.count('class="report-refused"') == 1 and "您无权修改题库" in html
