"""The live exam-day panel: figures per sitting, incidents from the proctor plugin through
``exam_day_status``, 5xx counted by the core middleware, permission-checked."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cms_site.accounts.services import roles
from cms_site.services.server_errors import record_server_error, server_errors
from exam_plugin.services import attempts, exam_day
from plugins import services


@pytest.fixture
def live_attempt(candidate):
    attempt = attempts.start_formal_attempt(candidate)
    item = attempt.items.filter(question__kind="single").order_by("position").first()
    attempts.save_answers(attempt, [{"position": item.position, "seq": 1, "value": [0]}])
    return attempt


def _staff(django_user_model, role):
    user = django_user_model.objects.create_user(username=f"staff-{role}", password="x", real_name=role)
    user.groups.add(roles.group(role))
    return user


def _incident(attempt, *, minutes_ago=0):
    from proctor_plugin.models import Incident, ProctoredSitting

    ps, _created = ProctoredSitting.objects.get_or_create(
        candidate=attempt.candidate, defaults={"enrolment": attempt.enrolment, "last_seen_at": timezone.now()})
    incident = Incident.objects.create(sitting=ps, kind=Incident.Kind.ABSENT)
    if minutes_ago:
        Incident.objects.filter(pk=incident.pk).update(created_at=timezone.now() - timedelta(minutes=minutes_ago))
    return incident


def test_snapshot_counts_connected_saves_and_incidents(energy, live_attempt):
    _incident(live_attempt)
    _incident(live_attempt, minutes_ago=30)
    data = exam_day.snapshot([energy])
    [row] = [r for r in data["sittings"] if r["sitting"].pk == live_attempt.sitting_id]
    assert row["candidates"] == 1 and row["started"] == 1 and row["in_progress"] == 1 and row["handed_in"] == 0
    assert row["connected"] == 1
    assert row["saves_per_second"] == round(1 / 60, 2)
    assert row["incidents"] == 2 and row["recent_incidents"] == 1


def test_incidents_come_only_from_an_enabled_proctor_plugin(energy, live_attempt):
    _incident(live_attempt)
    services.disable(energy, "proctor_plugin")
    data = exam_day.snapshot([energy])
    [row] = [r for r in data["sittings"] if r["sitting"].pk == live_attempt.sitting_id]
    assert row["incidents"] == 0 and row["connected"] == 1  # the save still shows the candidate


def test_old_saves_do_not_count_as_connected(energy, live_attempt):
    live_attempt.items.update(saved_at=timezone.now() - timedelta(minutes=5))
    [row] = [r for r in exam_day.snapshot([energy])["sittings"] if r["sitting"].pk == live_attempt.sitting_id]
    assert row["connected"] == 0 and row["saves_per_second"] == 0


def test_server_errors_are_counted_by_the_middleware(client, settings):
    before = server_errors()
    record_server_error()
    assert server_errors() == before + 1
    old = server_errors(now=0)
    assert old == 0  # other minutes are separate


def test_a_real_500_is_counted(client, settings):
    from django.urls import path

    def boom(request):
        raise RuntimeError("exam-day panel test")

    import tests.faults.urls_boom as boom_urls

    boom_urls.urlpatterns = [path("boom/", boom)]
    settings.ROOT_URLCONF = "tests.faults.urls_boom"
    client.raise_request_exception = False
    before = server_errors()
    assert client.get("/boom/").status_code == 500
    assert server_errors() == before + 1


def test_panel_page_and_data_for_program_admin_and_proctor(client, django_user_model, energy, live_attempt):
    _incident(live_attempt)
    for role in (roles.PROGRAM_ADMIN, roles.PROCTOR):
        client.force_login(_staff(django_user_model, role))
        page = client.get("/admin/exam-office/exam-day/")
        assert page.status_code == 200, role
        assert f'data-sitting="{live_attempt.sitting_id}"' in page.content.decode()
        data = client.get("/admin/exam-office/exam-day/data/").json()
        [row] = [s for s in data["sittings"] if s["id"] == live_attempt.sitting_id]
        assert row["connected"] == 1 and row["incidents"] == 1
        assert "answers" not in str(data) and live_attempt.enrolment.learner.username not in str(data)


def test_panel_refused_to_graders_and_learners(client, django_user_model, make_learner, energy):
    client.force_login(_staff(django_user_model, roles.GRADER))
    assert client.get("/admin/exam-office/exam-day/data/").status_code in (302, 403)
    client.force_login(make_learner(energy))
    response = client.get("/admin/exam-office/exam-day/data/")
    assert response.status_code in (302, 403)
    assert b"sittings" not in response.content
