"""Exam sittings come from a program-scoped signal; registration closes one week before."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from course_content.registration.services import registrations
from course_content.registration.signals import exam_sittings_for_registration


@pytest.fixture
def no_exam_plugin(energy):
    """The energy program with the exam plugin (and what needs it) switched off."""
    from plugins import services as plugin_services
    from plugins.services.registry import all_plugins

    for plugin in all_plugins():
        if "exam_plugin" in plugin.depends_on:
            plugin_services.disable(energy, plugin.label)
    plugin_services.disable(energy, "exam_plugin")
    return energy


@pytest.fixture
def sittings(no_exam_plugin):
    now = timezone.now()
    offered = [
        {"id": "near", "label": "5 天后", "starts_at": now + timedelta(days=5)},
        {"id": "soon", "label": "8 天后", "starts_at": now + timedelta(days=8)},
        {"id": "later", "label": "30 天后", "starts_at": now + timedelta(days=30)},
    ]

    def answer(sender, level, **kwargs):
        return offered

    exam_sittings_for_registration.connect(answer, dispatch_uid="test_sittings")
    yield offered
    exam_sittings_for_registration.disconnect(dispatch_uid="test_sittings")


def test_without_answers_registration_is_for_study_only(client, candidate, draft, no_exam_plugin):
    assert registrations.exam_sittings(draft.program, draft.level) == []
    client.force_login(candidate)
    html = client.get(reverse("registration:detail", args=[draft.pk])).content.decode()
    assert "study only" in html.lower() or "仅学习" in html


def test_closed_sittings_are_not_offered(draft, sittings):
    assert [s["id"] for s in registrations.exam_sittings(draft.program, draft.level)] == ["soon", "later"]


def test_choosing_a_sitting_and_closing(client, candidate, submitted, sittings):
    draft = submitted
    draft.status = "draft"
    draft.save()
    client.force_login(candidate)
    data = {"real_name": "王小明", "phone": "13912345678", "education": "bachelor", "work_years": "1",
            "other_certificate_years": "0", "exam_sitting": "soon", "action": "save"}
    assert client.post(reverse("registration:detail", args=[draft.pk]), data).status_code == 302
    draft.refresh_from_db()
    assert draft.exam_sitting_id == "soon" and draft.exam_sitting_label == "8 天后"
    # Two days later the sitting is 6 days away: registration for it has closed.
    problems = registrations.submission_problems(draft, now=timezone.now() + timedelta(days=2))
    assert any("8 天后" in p for p in problems)
    assert not registrations.submission_problems(draft)
    response = client.post(reverse("registration:detail", args=[draft.pk]), {**data, "exam_sitting": "near"})
    assert response.status_code == 200 and response.context["form"].errors["exam_sitting"]


def test_exam_plugin_sittings_are_offered_when_on(draft):
    """Whatever the installed exam plugin answers is offered, minus closed sittings."""
    offered = registrations.exam_sittings(draft.program, draft.level)
    assert all(s["closes_at"] > timezone.now() for s in offered)
