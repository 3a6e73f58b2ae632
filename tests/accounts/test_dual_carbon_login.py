"""Dual-carbon candidates log in as the pre-read says: the account is the registered phone
(准考证号即报名提交的手机号), the first password the program-set one, changed at first login;
the ID number identifies the same account."""

import pytest

from cms_site.accounts.services.identity import DocumentType
from course_content.models import ProgramGroupPage, ProgramLevel, ProgramPage
from course_content.services.enrolment import create_learner_account, enrol
from tests.helpers import mainland_id

pytestmark = pytest.mark.django_db


def _login(client, username, password):
    return client.post("/accounts/login/", {"username": username, "password": password})


@pytest.mark.parametrize("track", ["asset", "emission", "trading", "monitoring"])
def test_phone_and_program_password_then_forced_change(client, site_data, track):
    program = ProgramPage.objects.child_of(ProgramGroupPage.objects.get(slug="dual-carbon")).get(slug=track)
    assert program.initial_password == "Abcd@1234"  # from the pre-read, an admin-editable program field
    number = mainland_id(700 + len(track))
    user = create_learner_account(program, real_name="碳考生", document_type=DocumentType.MAINLAND_ID,
                                  document_number=number, phone="13512345678")
    enrol(user, ProgramLevel.objects.get(program=program, code="junior"))
    assert _login(client, "135 1234 5678", "Abcd@1234").status_code == 302  # spaces as people type them
    page = client.get("/dashboard/")
    assert page.status_code == 302 and page["Location"].startswith("/accounts/password/")
    changed = client.post(page["Location"], {
        "old_password": "Abcd@1234", "new_password1": "Carbon-New-2026", "new_password2": "Carbon-New-2026",
    })
    assert changed.status_code == 302
    user.refresh_from_db()
    assert not user.must_change_password
    client.logout()
    assert _login(client, "13512345678", "Abcd@1234").status_code == 200  # the initial password is gone
    assert _login(client, number, "Carbon-New-2026").status_code == 302  # the ID number, same account
    assert client.get("/dashboard/").status_code == 200
