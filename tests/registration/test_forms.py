"""The registration form never stores a value it rejects, and its numbers fit the columns."""

import pytest
from django.db import connection
from django.urls import reverse

from course_content.registration.forms import RegistrationForm, column_bounds
from course_content.registration.models import Registration

from .conftest import FORM_DATA

pytestmark = pytest.mark.django_db

INTEGER_COLUMNS = [
    f.name for f in Registration._meta.get_fields()
    if getattr(f, "get_internal_type", None) and "IntegerField" in f.get_internal_type() and not f.primary_key
]


def post(client, registration, **data):
    return client.post(reverse("registration:detail", args=[registration.pk]),
                       {**FORM_DATA, **data, "action": "save"}, HTTP_ACCEPT_LANGUAGE="en")


REJECTED = {
    "work-years-10^20": {"work_years": str(10**20)},
    "work-years-2^63": {"work_years": str(2**63)},
    "work-years-above-the-rule": {"work_years": "61"},
    "work-years-negative": {"work_years": "-1"},
    "work-years-not-a-number": {"work_years": "ten"},
    "other-certificate-years-huge": {"other_certificate_years": str(10**30)},
    "lower-certificate-years-huge": {"lower_certificate_years": "99999"},
    "education-unknown": {"education": "doctorate-of-everything"},
}


@pytest.mark.parametrize("bad", REJECTED.values(), ids=REJECTED.keys())
def test_rejected_values_are_not_stored_and_valid_ones_are(client, candidate, draft, bad):
    before = Registration.objects.values().get(pk=draft.pk)
    client.force_login(candidate)
    response = post(client, draft, major="新能源科学与工程", **bad)
    assert response.status_code == 200
    [field] = bad
    assert response.context["form"].errors[field]  # shown to the candidate
    stored = Registration.objects.values().get(pk=draft.pk)
    assert stored[field] == before[field]  # the rejected value never reached the row
    assert stored["major"] == "新能源科学与工程"  # the valid entry was kept
    changed = {name for name in stored if stored[name] != before[name]}
    assert changed <= {"major", "related_major", "updated_at"}


def test_every_integer_column_is_bounded_in_the_form(candidate, intermediate, draft):
    """A property over the model: every integer column the form edits has form bounds
    within the column's range, so a new integer field cannot slip through unbounded."""
    form = RegistrationForm(instance=draft)
    low_db, high_db = connection.ops.integer_field_range("PositiveSmallIntegerField")
    edited = [name for name in INTEGER_COLUMNS if name in form.fields]
    assert {"work_years", "other_certificate_years", "lower_certificate_years"} <= set(edited)
    for name in edited:
        field = form.fields[name]
        low, high = column_bounds(Registration._meta.get_field(name))
        assert field.min_value is not None and field.max_value is not None, name
        assert low <= field.min_value and field.max_value <= high, name
        assert (low_db is None or low_db <= field.min_value) and (high_db is None or field.max_value <= high_db)
        data = {**FORM_DATA, name: str(field.max_value)}
        assert name not in RegistrationForm(data, instance=Registration.objects.get(pk=draft.pk)).errors
        data = {**FORM_DATA, name: str(field.max_value + 1)}
        assert name in RegistrationForm(data, instance=Registration.objects.get(pk=draft.pk)).errors


def test_eligibility_preview_ignores_rejected_values(client, candidate, draft):
    """10**20 years would meet every work-years rule if it were believed; it is not."""
    client.force_login(candidate)
    url = reverse("registration:eligibility", args=[draft.pk])
    response = client.post(url, {"education": "high_school", "work_years": str(10**20), "other_certificate_years": "0"})
    assert response.status_code == 200
    assert 'data-eligible="no"' in response.content.decode()
    draft.refresh_from_db()
    assert draft.work_years == 1 and draft.education == "bachelor"
