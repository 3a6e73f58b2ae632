import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from cms_site.accounts.services.identity import DocumentType
from course_content.models import ProgramLevel
from course_content.services.enrolment import create_learner_account, enrol


@pytest.fixture
def hk_learner(energy):
    user = create_learner_account(
        energy, real_name="陈大文", document_type=DocumentType.HONG_KONG,
        document_number="P958270(2)", phone="13800138000",
    )
    enrol(user, ProgramLevel.objects.get(program=energy, code="junior"))
    return user


def login(client, username, password):
    return client.post("/accounts/login/", {"username": username, "password": password})


def test_hk_example_logs_in_with_initial_password_and_must_change_it(client, hk_learner):
    assert hk_learner.document_number == "P9582702"
    response = login(client, "P9582702", "2702")
    assert response.status_code == 302
    # Any page now leads to the password change form first.
    dashboard = client.get("/dashboard/")
    assert dashboard.status_code == 302 and dashboard["Location"].startswith("/accounts/password/")
    change = client.post(
        "/accounts/password/",
        {"old_password": "2702", "new_password1": "Energy-Study-2026", "new_password2": "Energy-Study-2026"},
    )
    assert change.status_code == 302
    hk_learner.refresh_from_db()
    assert not hk_learner.must_change_password
    assert client.get("/dashboard/").status_code == 200


def test_new_password_must_differ(client, hk_learner):
    login(client, "P9582702", "2702")
    response = client.post("/accounts/password/", {"old_password": "2702", "new_password1": "2702", "new_password2": "2702"})
    assert response.status_code == 200
    hk_learner.refresh_from_db()
    assert hk_learner.must_change_password


def test_hk_number_typed_with_brackets_also_logs_in(client, hk_learner):
    assert login(client, "p958270(2)", "2702").status_code == 302


def test_phone_login(client, hk_learner):
    assert login(client, "138 0013 8000", "2702").status_code == 302


def test_lowercase_x_logs_in(client, energy):
    user = create_learner_account(
        energy, real_name="张三", document_type=DocumentType.MAINLAND_ID, document_number="11010519491231002X"
    )
    assert user.check_password("002X")
    assert login(client, "11010519491231002x", "002X").status_code == 302


def test_dual_carbon_uses_the_program_set_initial_password(asset):
    user = create_learner_account(
        asset, real_name="李四", document_type=DocumentType.MAINLAND_ID, document_number="11010519491231002X"
    )
    assert user.check_password("Abcd@1234") and user.must_change_password


def test_wrong_check_digit_refused_on_account_creation(energy):
    with pytest.raises(ValidationError) as err:
        create_learner_account(energy, real_name="王五", document_type=DocumentType.MAINLAND_ID, document_number="110105194912310021")
    assert err.value.code == "id_check_digit"
    assert not get_user_model().objects.filter(real_name="王五").exists()


def test_wrong_password_shows_translated_error(client, hk_learner):
    response = login(client, "P9582702", "wrong")
    assert response.status_code == 200
    assert "密码" in response.content.decode()


def test_throttling_after_repeated_failures(client, hk_learner, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "P9582702", "wrong")
    locked = login(client, "P9582702", "2702")  # even the right password is refused now
    assert locked.status_code == 429
    assert 'id="locked-out"' in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_login_page_switches_to_english(client, db):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    response = client.get("/accounts/login/")
    assert response["Content-Language"] == "en"
    assert "ID number or phone" in response.content.decode()
