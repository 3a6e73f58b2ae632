"""Enrolment admin, interval audit, CSV export and the hours report (Django test client)."""

import csv
import io
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from cms_site.accounts.services import roles
from course_content.models import Enrolment
from course_content.services.ledger import record_heartbeat
from tests.helpers import mainland_id

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("site_data")]


@pytest.fixture
def staff(db):
    def make(username, role):
        user = get_user_model().objects.create_user(username=username, password="Staff-Pass-2026", is_staff=True)
        user.groups.add(roles.group(role))
        return user

    return make


@pytest.fixture
def program_admin(staff):
    return staff("padmin", roles.PROGRAM_ADMIN)


@pytest.fixture
def editor(staff):
    return staff("editor1", roles.CONTENT_EDITOR)


def test_program_admin_enrols_a_new_learner_with_an_account(client, program_admin, energy):
    client.force_login(program_admin)
    level = energy.levels.get(code="intermediate")
    number = mainland_id(701)
    response = client.post(
        reverse("enrolments:add"),
        {"level": level.pk, "document_type": "mainland_id", "document_number": number, "real_name": "王小华", "phone": "13700137000"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    learner = get_user_model().objects.get(document_number=number)
    assert learner.real_name == "王小华" and learner.must_change_password
    assert learner.check_password(number[-4:])  # energy: last four characters
    assert Enrolment.objects.filter(learner=learner, level=level, source="admin").exists()


def test_enrolling_an_existing_learner_and_clear_errors(client, program_admin, energy, make_learner):
    client.force_login(program_admin)
    learner = make_learner(energy, level="junior")
    senior = energy.levels.get(code="senior")
    response = client.post(
        reverse("enrolments:add"),
        {"level": senior.pk, "document_type": "mainland_id", "document_number": learner.document_number},
    )
    assert response.status_code == 302
    assert Enrolment.objects.filter(learner=learner).count() == 2
    # The same again is refused with a message, and a bad number is refused too.
    response = client.post(
        reverse("enrolments:add"),
        {"level": senior.pk, "document_type": "mainland_id", "document_number": learner.document_number},
    )
    assert response.status_code == 200 and "已" in response.content.decode()
    response = client.post(reverse("enrolments:add"), {"level": senior.pk, "document_type": "mainland_id", "document_number": "110105199003071230"})
    assert response.status_code == 200
    assert Enrolment.objects.filter(learner=learner).count() == 2


def test_enrolment_list_and_search(client, program_admin, energy, make_learner):
    make_learner(energy, level="junior", real_name="赵一")
    client.force_login(program_admin)
    response = client.get(reverse("enrolments:index"), {"q": "赵一"})
    assert response.status_code == 200 and "赵一" in response.content.decode()


def _study(learner, lesson, seconds, start):
    end = start
    for seq in range(1, seconds // 30 + 1):
        end = start + timedelta(seconds=30 * seq)
        record_heartbeat(learner, _beat(lesson, seq, end), received_at=end)


def _beat(lesson, seq, end):
    from course_content.services.ledger import Heartbeat

    return Heartbeat(lesson_id=lesson.pk, device_id="admin-test", seq=seq, started_at=end - timedelta(seconds=30), ended_at=end)


def test_audit_view_lists_every_interval_of_the_total(client, program_admin, learner, enrolment, lesson_a, t0):
    _study(learner, lesson_a, 120, t0)
    client.force_login(program_admin)
    html = client.get(reverse("course_content_admin:hours_audit", args=[enrolment.pk])).content.decode()
    assert 'data-seconds="120"' in html
    assert lesson_a.title in html


def test_csv_export(client, program_admin, learner, enrolment, lesson_a, t0, energy, grant_hours):
    grant_hours(enrolment, 36)
    client.force_login(program_admin)
    response = client.get(reverse("course_content_admin:hours_export"), {"program": energy.pk})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["program", "level", "real_name"]
    row = next(r for r in rows[1:] if r[3] == learner.document_number)
    assert row[5] == str(36 * 45 * 60) and row[6] == "36.0" and row[8] == "yes"


def test_report_shows_chart_and_who_met_the_requirement(client, program_admin, energy, make_learner, grant_hours):
    done = make_learner(energy, level="junior", real_name="钱达标")
    halfway = make_learner(energy, level="junior", real_name="孙一半")
    grant_hours(Enrolment.objects.get(learner=done), 36)
    grant_hours(Enrolment.objects.get(learner=halfway), 18)
    client.force_login(program_admin)
    html = client.get(reverse("course_content_admin:hours_report"), {"program": energy.pk}).content.decode()
    assert 'id="hours-chart"' in html
    met_table = html.split('id="hours-met"')[1]
    assert "钱达标" in met_table and "孙一半" not in met_table
    assert html.count('class="bar" data-count="1"') == 2


def test_hours_screens_need_permission(client, editor, enrolment, make_learner, energy):
    for url in (
        reverse("course_content_admin:hours_report"),
        reverse("course_content_admin:hours_export"),
        reverse("course_content_admin:hours_audit", args=[enrolment.pk]),
        reverse("enrolments:index"),
    ):
        client.force_login(editor)
        assert client.get(url).status_code in (302, 403), url
    learner = make_learner(energy)
    client.force_login(learner)
    assert client.get(reverse("course_content_admin:hours_export")).status_code in (302, 403)


def test_editors_cannot_reach_plugin_settings(client, editor, program_admin):
    client.force_login(editor)
    response = client.get("/admin/program-plugins/")
    assert response.status_code in (302, 403)
    client.force_login(program_admin)
    assert client.get("/admin/program-plugins/").status_code == 200


def test_enrol_form_renders_for_program_admins(client, program_admin):
    client.force_login(program_admin)
    html = client.get(reverse("enrolments:add")).content.decode()
    assert 'name="document_number"' in html and 'name="level"' in html
