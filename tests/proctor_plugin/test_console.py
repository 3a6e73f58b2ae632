"""The proctor console, photo privacy, the purge command and the candidate endpoints'
permission checks (over HTTP with Django's test client)."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from cms_site.accounts.services import roles
from plugins.urls import program_url
from proctor_plugin.models import ProctorAction, ProctoredSitting, Snapshot
from proctor_plugin.services import access, console, monitoring

pytestmark = pytest.mark.django_db


def denied(response) -> bool:
    """Wagtail's admin answers PermissionDenied with a redirect to the dashboard."""
    return response.status_code == 403 or (response.status_code == 302 and response["Location"] == "/admin/")


@pytest.fixture
def staff(site_data):
    """``staff(role)``: a user in the Proctors or Program admins group."""
    from django.contrib.auth import get_user_model

    counter = {"n": 0}

    def make(role=roles.PROCTOR):
        counter["n"] += 1
        user = get_user_model().objects.create_user(username=f"staff{counter['n']}", password="x", is_staff=True)
        user.groups.add(roles.group(role))
        return user

    return make


def test_only_assigned_proctors_and_chiefs_see_a_sitting(energy, exam_room, complete_preflight, staff, client):
    ps = complete_preflight(exam_room(energy))
    sitting = ps.candidate.sitting
    assigned, other, chief = staff(), staff(), staff(roles.PROGRAM_ADMIN)
    console.assign_proctor(sitting, assigned, by=chief)
    url = reverse("proctor_plugin_admin:sitting", args=[sitting.pk])
    client.force_login(other)
    assert denied(client.get(url))
    assert denied(client.get(reverse("proctor_plugin_admin:timeline", args=[ps.pk])))
    assert denied(client.post(reverse("proctor_plugin_admin:act", args=[ps.pk, "force"]), {"reason": "x"}))
    assert ps.attempt.is_open
    assert sitting not in access.sittings_for(other)
    client.force_login(assigned)
    response = client.get(url)
    assert response.status_code == 200
    assert ps.candidate.admission_number in response.content.decode()
    grid = client.get(reverse("proctor_plugin_admin:grid", args=[sitting.pk]))
    assert grid["Content-Type"].startswith("text/html") and ps.candidate.admission_number in grid.content.decode()
    client.force_login(chief)
    assert client.get(url).status_code == 200
    with pytest.raises(Exception):  # noqa: B017 - PermissionDenied
        console.assign_proctor(sitting, other, by=assigned)


def test_the_sitting_list_shows_each_proctor_only_their_own_sittings(energy, exam_room, staff, client):
    """The console's list (a Wagtail viewset over ConsoleSitting): assigned sittings for a
    proctor, every sitting for a chief proctor, nothing for a learner."""
    mine, theirs = exam_room(energy).candidate.sitting, exam_room(energy).candidate.sitting
    proctor, colleague, chief = staff(), staff(), staff(roles.PROGRAM_ADMIN)
    console.assign_proctor(mine, proctor, by=chief)
    console.assign_proctor(theirs, colleague, by=chief)
    link = lambda sitting: reverse("proctor_plugin_admin:sitting", args=[sitting.pk])  # noqa: E731
    index, results = reverse("proctor_plugin_admin:index"), reverse("proctor_plugin_admin:index_results")
    assert index == "/admin/proctor/"

    client.force_login(proctor)
    for url in (index, results):
        page = client.get(url)
        assert page.status_code == 200
        html = page.content.decode()
        assert link(mine) in html and link(theirs) not in html
    assert '"/admin/proctor/"' in client.get("/admin/").content.decode()  # the menu entry

    client.force_login(chief)
    html = client.get(index).content.decode()
    assert link(mine) in html and link(theirs) in html

    client.force_login(staff(roles.PROCTOR))  # a proctor with no sitting yet
    page = client.get(index)
    assert page.status_code == 200 and link(mine) not in page.content.decode()

    client.force_login(mine.candidates.first().enrolment.learner)
    for url in (index, results):
        response = client.get(url)
        assert response.status_code in (302, 403) and link(mine) not in response.content.decode()


def test_console_actions_are_audit_logged_and_reach_the_exam(energy, exam_room, complete_preflight, staff, client):
    ps = complete_preflight(exam_room(energy))
    chief = staff(roles.PROGRAM_ADMIN)
    client.force_login(chief)
    act = lambda action, **data: client.post(reverse("proctor_plugin_admin:act", args=[ps.pk, action]), data)  # noqa: E731
    deadline = ps.attempt.deadline
    act("add_time", minutes="10", reason="network failure")
    assert ps.attempt.deadline == deadline + timedelta(minutes=10)
    act("warn", message="Face the camera")
    assert monitoring.candidate_state(ps)["warnings"][0]["message"] == "Face the camera"
    act("force", reason="")  # refused: a reason is required
    assert ps.attempt.is_open
    act("force", reason="phone in hand")
    attempt = ps.attempt
    assert attempt.forced and attempt.hand_in_reason == "phone in hand" and attempt.handed_in_by == chief
    act("decide", decision="invalid", reason="confirmed on video")
    assert ps.attempt.invalidated
    act("decide", decision="valid", reason="")
    ps.refresh_from_db()
    assert ps.decision == ProctoredSitting.Decision.INVALID  # an invalid result stays invalid
    actions = list(ProctorAction.objects.filter(sitting=ps).values_list("action", "actor"))
    assert ("time_added", chief.pk) in actions and ("forced_hand_in", chief.pk) in actions
    assert ("decided", chief.pk) in actions and ("warned", chief.pk) in actions


def test_break_approval_from_the_console(asset, exam_room, complete_preflight, staff, client):
    ps = complete_preflight(exam_room(asset))
    request = monitoring.request_break(ps)
    client.force_login(staff(roles.PROGRAM_ADMIN))
    client.post(reverse("proctor_plugin_admin:act", args=[ps.pk, "approve_break"]), {"break": request.pk})
    request.refresh_from_db()
    assert request.status == "approved"
    assert monitoring.candidate_state(ps)["break"]["until"]


def test_timeline_shows_incidents_with_photos(energy, exam_room, complete_preflight, staff, client, hopper):
    ps = complete_preflight(exam_room(energy))
    monitoring.record_snapshot(ps, "webcam", hopper)
    client.force_login(staff(roles.PROGRAM_ADMIN))
    page = client.get(reverse("proctor_plugin_admin:timeline", args=[ps.pk])).content.decode()
    snapshot = Snapshot.objects.get(sitting=ps)
    assert reverse("proctor_plugin_global:photo", kwargs={"kind": "snapshot", "pk": snapshot.pk}) in page


def test_photos_only_for_the_candidate_and_the_sittings_proctors(energy, exam_room, complete_preflight, staff, client, make_learner, astronaut):
    ps = complete_preflight(exam_room(energy))
    snap = monitoring.record_snapshot(ps, "webcam", astronaut)
    url = reverse("proctor_plugin_global:photo", kwargs={"kind": "snapshot", "pk": snap.pk})
    assert client.get(url).status_code in (302, 403)  # anonymous
    client.force_login(make_learner(energy))
    assert client.get(url).status_code == 403
    client.force_login(staff())  # a proctor of another sitting
    assert client.get(url).status_code == 403
    client.force_login(ps.enrolment.learner)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert "no-store" in response["Cache-Control"]
    assert not str(snap.image.path).startswith(str(__import__("django.conf").conf.settings.MEDIA_ROOT))


def test_candidate_endpoints_are_scoped_to_the_owner(energy, exam_room, complete_preflight, make_learner, client):
    ps = complete_preflight(exam_room(energy))
    url = program_url(energy, "proctor_plugin:proctor_api:heartbeat", sitting_id=ps.pk)
    client.force_login(make_learner(energy))
    assert client.post(url).status_code == 404
    client.force_login(ps.enrolment.learner)
    state = client.post(url).json()
    assert state["ended"] is False and state["leave_limit"] == 10
    assert "correct" not in str(state)


def test_plugin_off_means_404(energy, exam_room, complete_preflight, client):
    from plugins.models import ProgramPlugin

    ps = complete_preflight(exam_room(energy))
    client.force_login(ps.enrolment.learner)
    url = program_url(energy, "proctor_plugin:proctor_api:heartbeat", sitting_id=ps.pk)
    # A switch goes through plugins.services (a raw queryset update would bypass the
    # program cache's invalidation); the gate must answer 404 at once.
    from plugins.services import disable

    disable(energy, "proctor_plugin")
    assert not ProgramPlugin.objects.get(program=energy, plugin="proctor_plugin").enabled
    assert client.post(url).status_code == 404


def _image(rgb) -> dict:
    import base64

    from .conftest import jpeg_bytes

    return {"image": base64.b64encode(jpeg_bytes(rgb)).decode()}


def test_phone_page_pairs_once_and_uploads(asset, energy, exam_room, complete_preflight, astronaut):
    from django.test import Client

    from proctor_plugin.services import preflight

    ps = complete_preflight(exam_room(asset))
    token = preflight.issue_camera_token(ps)
    client = Client(enforce_csrf_checks=True)
    page = client.get(reverse("proctor_plugin_global:phone", kwargs={"token": token.token}))
    assert page.status_code == 200
    api = program_url(asset, "proctor_plugin:proctor_api:phone_pair", token=token.token).removesuffix("pair/")
    assert f'data-api="{api}"' in page.content.decode()
    csrf = {"HTTP_X_CSRFTOKEN": client.cookies["csrftoken"].value}
    upload = lambda c, **h: c.post(api + "snapshot/", _image(astronaut), content_type="application/json", **h)  # noqa: E731
    not_paired = upload(client, **csrf)
    assert not_paired.status_code == 403 and not_paired.json() == {"detail": "此手机尚未配对，请重新扫描二维码。"}
    assert client.post(api + "pair/", content_type="application/json").status_code == 403  # no CSRF token
    assert client.post(api + "pair/", content_type="application/json", **csrf).json() == {"paired": True}
    assert upload(client, **csrf).json() == {"ended": False}
    assert ps.snapshots.filter(source="phone").count() == 1
    intruder = Client()
    refused = intruder.post(api + "pair/", content_type="application/json")
    assert refused.status_code == 400 and refused.json()["detail"]
    assert upload(intruder).status_code == 403
    # The token belongs to the asset program: the energy program's API does not know it.
    other = program_url(energy, "proctor_plugin:proctor_api:phone_pair", token=token.token)
    assert client.post(other, content_type="application/json", **csrf).status_code == 403


def test_purge_deletes_photos_after_retention(energy, exam_room, complete_preflight, astronaut):
    ps = complete_preflight(exam_room(energy))
    old = monitoring.record_snapshot(ps, "webcam", astronaut)
    fresh = monitoring.record_snapshot(ps, "webcam", astronaut)
    Snapshot.objects.filter(pk=old.pk).update(taken_at=timezone.now() - timedelta(days=181))
    path = old.image.path
    call_command("purge_proctor_photos", stdout=open("/dev/null", "w"))
    old.refresh_from_db()
    fresh.refresh_from_db()
    assert not old.image and fresh.image
    assert not __import__("os").path.exists(path)


def test_admin_uploads_a_reference_photo(energy, exam_room, complete_preflight, staff, client, hopper, blank):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from proctor_plugin.models import FaceEnrolment

    from .conftest import jpeg_bytes

    ps = complete_preflight(exam_room(energy, enrol=False))
    client.force_login(staff(roles.PROGRAM_ADMIN))
    url = reverse("proctor_plugin_admin:act", args=[ps.pk, "enrol_face"])
    bad = client.post(url, {"image": SimpleUploadedFile("b.jpg", jpeg_bytes(blank), "image/jpeg")}, follow=True)
    assert "No face" in bad.content.decode() or "未检测到人脸" in bad.content.decode()
    assert not FaceEnrolment.objects.filter(person=ps.enrolment.learner).exists()
    client.post(url, {"image": SimpleUploadedFile("h.jpg", jpeg_bytes(hopper), "image/jpeg")})
    face = FaceEnrolment.objects.get(person=ps.enrolment.learner)
    assert face.source == FaceEnrolment.Source.ADMIN and face.created_by is not None
    assert ProctorAction.objects.filter(sitting=ps, action="face_enrolled").exists()


def test_snapshot_uploads_are_throttled(energy, exam_room, complete_preflight, client, astronaut):
    import base64

    ps = complete_preflight(exam_room(energy))
    client.force_login(ps.enrolment.learner)
    url = program_url(energy, "proctor_plugin:proctor_api:snapshot", sitting_id=ps.pk)
    post = lambda body: client.post(url, body, content_type="application/json")  # noqa: E731
    junk = post({"image": base64.b64encode(b"junk").decode()})
    assert junk.status_code == 400 and junk.json() == {"detail": "该文件不是可读取的图片。"}  # zh-hans by default
    assert post(_image(astronaut)).status_code == 200
    too_soon = post(_image(astronaut))
    assert too_soon.status_code == 429 and too_soon.json()["detail"]
    assert ps.snapshots.count() == 1
