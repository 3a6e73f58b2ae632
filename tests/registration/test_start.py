"""A newcomer creates an account on the way in; identity data is validated."""

from django.contrib.auth import get_user_model
from django.urls import reverse

from course_content.registration.models import Registration
from tests.helpers import mainland_id


def signup(client, level, **overrides):
    data = {"real_name": "孙七", "document_type": "mainland_id", "document_number": mainland_id(321),
            "phone": "13500000321", "email": "", "password1": "Energy-Learner-26", "password2": "Energy-Learner-26"}
    data.update(overrides)
    return client.post(reverse("registration:start", args=[level.pk]), data)


def test_newcomer_gets_an_account_and_a_draft(client, intermediate):
    response = signup(client, intermediate, document_number=mainland_id(321).lower())
    user = get_user_model().objects.get(document_number=mainland_id(321))
    registration = Registration.objects.get(candidate=user)
    assert response.url == reverse("registration:detail", args=[registration.pk])
    assert registration.real_name == "孙七" and registration.phone == "13500000321"
    assert not user.must_change_password
    assert client.get(response.url).status_code == 200  # logged in


def test_bad_identity_and_phone_are_explained(client, intermediate):
    bad = mainland_id(321)[:-1] + ("0" if mainland_id(321)[-1] != "0" else "1")
    response = signup(client, intermediate, document_number=bad, phone="12345")
    errors = response.context["form"].errors
    assert "document_number" in errors and "phone" in errors
    assert not get_user_model().objects.filter(real_name="孙七").exists()
    assert 'value="孙七"' in response.content.decode()


def test_existing_account_is_told_to_log_in(client, intermediate, candidate):
    response = signup(client, intermediate, document_number=candidate.document_number, phone="13500000999")
    assert response.status_code == 200 and response.context["form"].errors["document_number"]


def test_one_registration_per_level(client, candidate, intermediate):
    client.force_login(candidate)
    first = client.get(reverse("registration:start", args=[intermediate.pk])).url
    second = client.get(reverse("registration:start", args=[intermediate.pk])).url
    assert first == second and Registration.objects.filter(candidate=candidate).count() == 1
