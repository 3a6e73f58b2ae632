"""A training organisation resets the forgotten password of a candidate it registered:
temporary password shown once, old one invalid, change forced, audit entry; never for
candidates of another organisation."""

import re

from django.urls import reverse
from wagtail.models import ModelLogEntry

from cms_site.accounts.services import recovery
from course_content.registration.models import Registration, TrainingOrganisation

PASSWORD = "Study-2026!"


def _registered(organisation, learner, energy):
    return Registration.objects.create(
        program=energy, level=energy.levels.get(code="junior"), candidate=learner, organisation=organisation,
        status=Registration.Status.APPROVED, real_name=learner.real_name, document_number=learner.document_number,
    )


def test_organisation_resets_its_candidates_password(client, energy, make_learner):
    staff = make_learner(password="Org-2026!x")
    organisation = TrainingOrganisation.objects.create(name="北京培训中心")
    organisation.members.add(staff)
    organisation.programs.add(energy)
    learner = make_learner(energy, password=PASSWORD)
    registration = _registered(organisation, learner, energy)
    client.force_login(staff)
    listing = client.get(reverse("registration:organisation", args=[organisation.pk])).content.decode()
    url = reverse("registration:organisation_reset_password", args=[organisation.pk, registration.pk])
    assert url in listing
    assert client.get(url).status_code == 200
    learner.refresh_from_db()
    assert learner.check_password(PASSWORD)
    done = client.post(url).content.decode()
    temporary = re.search(r'id="temporary-password"[^>]*>([^<]+)<', done).group(1)
    learner.refresh_from_db()
    assert learner.check_password(temporary) and not learner.check_password(PASSWORD)
    assert learner.must_change_password
    entry = ModelLogEntry.objects.get(action=recovery.RESET_BY_STAFF, object_id=str(learner.pk))
    assert entry.user_id == staff.pk and entry.data["via"] == f"organisation:{organisation.pk}"


def test_another_organisation_cannot_reset(client, energy, make_learner):
    mine, theirs = TrainingOrganisation.objects.create(name="甲机构"), TrainingOrganisation.objects.create(name="乙机构")
    staff = make_learner(password="Org-2026!x")
    mine.members.add(staff)
    learner = make_learner(energy, password=PASSWORD)
    registration = _registered(theirs, learner, energy)
    client.force_login(staff)
    for org in (mine, theirs):
        response = client.post(reverse("registration:organisation_reset_password", args=[org.pk, registration.pk]))
        assert response.status_code == 404
    learner.refresh_from_db()
    assert learner.check_password(PASSWORD) and not learner.must_change_password
