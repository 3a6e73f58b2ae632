"""Face images (reference photos, face checks, review photos, snapshots): who may fetch
them, and the access log every fetch writes (issue 12, item 5).

A property over the URL conf: every view that serves face images is found by walking
the resolver (views are marked with ``privacy.serves_face_images``), and each is
requested for each kind of image by each kind of person. A proctor-plugin view that is
neither marked nor listed as image-free fails the completeness test.
"""

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from cms_site.accounts.services import roles
from proctor_plugin.models import FaceCheck, FaceEnrolment, FaceImageAccess, Snapshot
from proctor_plugin.services import console

pytestmark = pytest.mark.django_db

JPEG = b"\xff\xd8\xff\xe0 not decoded by the photo view \xff\xd9"


def _walk(patterns, prefix="", namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}:{entry.namespace}" if namespace and entry.namespace else (entry.namespace or namespace)
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}".strip(":") if entry.name else ""
            yield prefix + str(entry.pattern), name, entry.callback


def face_image_urls():
    """(route, URL name, kinds) of every view in the URL conf that serves face images."""
    return [
        (route, name, callback.face_image_kinds)
        for route, name, callback in _walk(get_resolver().url_patterns)
        if getattr(callback, "face_image_kinds", None)
    ]


# Proctor-plugin views that never answer with a face image (pages with <img> links to
# the photo view, JSON, uploads). A new view must be added here or marked.
IMAGE_FREE = {
    "proctor_plugin:device_test", "proctor_plugin:preflight", "proctor_plugin:device_test_done",
    "proctor_plugin_global:phone",
    "proctor_plugin_admin:index", "proctor_plugin_admin:index_results", "proctor_plugin_admin:sitting", "proctor_plugin_admin:grid", "proctor_plugin_admin:assign",
    "proctor_plugin_admin:timeline", "proctor_plugin_admin:act",
}


def test_every_proctor_view_is_classified_for_face_images():
    unclassified = []
    for route, name, callback in _walk(get_resolver().url_patterns):
        module = getattr(getattr(callback, "__wrapped__", callback), "__module__", "") or ""
        if "proctor" not in route and not module.startswith("proctor_plugin"):
            continue
        if "/api/" in route or route.endswith("api/"):
            continue  # the JSON API: checked against its OpenAPI schema below
        if getattr(callback, "face_image_kinds", None) or name in IMAGE_FREE:
            continue
        if "face_image_access" in name:
            continue  # the access log viewset (text only)
        unclassified.append((route, name))
    assert not unclassified, unclassified
    assert face_image_urls(), "the photo view must be found by the walk"


def test_the_proctor_api_never_answers_with_an_image(client):
    schema = client.get("/programs/energy/proctor/api/openapi.json")
    if schema.status_code == 404:  # the gate: plugin off for this program in the test data
        pytest.fail("the proctor API schema must be reachable")
    for path, operations in schema.json()["paths"].items():
        for operation in operations.values():
            for response in operation.get("responses", {}).values():
                types = set(response.get("content", {}))
                assert types <= {"application/json"}, (path, types)


@pytest.fixture
def images(energy, exam_room, complete_preflight):
    """One face image of every kind showing one candidate, at a sitting."""
    ps = complete_preflight(exam_room(energy))
    snapshot = Snapshot(sitting=ps, source="webcam", taken_at=timezone.now(), face_count=1)
    snapshot.image.save("s.jpg", ContentFile(JPEG))
    check = FaceCheck(sitting=ps, passed=True, face_count=1)
    check.photo.save("c.jpg", ContentFile(JPEG))
    ps.review_photo.save("r.jpg", ContentFile(JPEG))
    enrolment = FaceEnrolment.objects.get(person=ps.enrolment.learner)
    return ps, {"snapshot": snapshot, "facecheck": check, "review": ps, "enrolment": enrolment}


@pytest.fixture
def people(images, make_learner, energy, site_data):
    """Every kind of person who might ask, with whether they may see the images."""
    from django.contrib.auth import get_user_model

    from exam_plugin.models import ExamSitting

    ps, _images = images
    User = get_user_model()

    def staff(name, role):
        user = User.objects.create_user(username=name, password="x", is_staff=True)
        user.groups.add(roles.group(role))
        return user

    office = staff("office", roles.PROGRAM_ADMIN)
    assigned, unassigned = staff("assigned", roles.PROCTOR), staff("unassigned", roles.PROCTOR)
    console.assign_proctor(ps.candidate.sitting, assigned, by=office)
    now = timezone.now()
    elsewhere = ExamSitting.objects.create(program=energy, starts_at=now, ends_at=now + timezone.timedelta(hours=2))
    console.assign_proctor(elsewhere, unassigned, by=office)  # a proctor, of another sitting
    return {
        "owner": (ps.enrolment.learner, True),
        "assigned proctor": (assigned, True),
        "exam office": (office, True),
        "unassigned proctor": (unassigned, False),
        "other learner": (make_learner(energy), False),
        "anonymous": (None, False),
    }


def test_face_images_only_for_owner_assigned_proctors_and_the_exam_office(images, people):
    _ps, objects = images
    urls = face_image_urls()
    checked = 0
    for route, name, kinds in urls:
        for kind in kinds:
            obj = objects[kind]
            url = reverse(name, kwargs={"kind": kind, "pk": obj.pk})
            for who, (user, allowed) in people.items():
                client = Client(REMOTE_ADDR="192.0.2.7", HTTP_USER_AGENT="probe")
                if user is not None:
                    client.force_login(user)
                before = FaceImageAccess.objects.count()
                response = client.get(url)
                assert (response.status_code == 200) is allowed, (route, kind, who, response.status_code)
                if allowed:
                    assert response["Content-Type"] == "image/jpeg" and "no-store" in response["Cache-Control"]
                    field = {"snapshot": "image", "review": "review_photo"}.get(kind, "photo")
                    with getattr(obj, field).open("rb") as stored:
                        assert b"".join(response.streaming_content) == stored.read()
                else:
                    assert response.status_code in (302, 403)
                # every fetch is logged, granted or not: who, whose, which image, when, from where
                assert FaceImageAccess.objects.count() == before + 1
                row = FaceImageAccess.objects.order_by("-pk").first()
                assert row.granted is allowed
                assert row.viewer_id == (user.pk if user else None)
                assert row.subject_id == people["owner"][0].pk
                assert (row.kind, row.image_id) == (kind, obj.pk)
                assert row.address == "192.0.2.7" and row.user_agent == "probe"
                assert (timezone.now() - row.at).total_seconds() < 60
                checked += 1
    assert checked == len(people) * 4


def test_a_proctor_assigned_to_any_sitting_of_the_learner_sees_the_reference_photo(images, people, energy):
    """…but not the snapshots of a sitting they do not proctor."""
    from exam_plugin.models import ExamSitting
    from exam_plugin.services.sittings import admit

    ps, objects = images
    unassigned, _ = people["unassigned proctor"]
    learner = people["owner"][0]
    client = Client()
    client.force_login(unassigned)
    enrolment_url = reverse("proctor_plugin_global:photo", kwargs={"kind": "enrolment", "pk": objects["enrolment"].pk})
    snapshot_url = reverse("proctor_plugin_global:photo", kwargs={"kind": "snapshot", "pk": objects["snapshot"].pk})
    assert client.get(enrolment_url).status_code == 403
    # The learner is admitted to the sitting this proctor is assigned to.
    from proctor_plugin.models import SittingProctor

    their_sitting = ExamSitting.objects.get(pk=SittingProctor.objects.get(proctor=unassigned).sitting_id)
    admit(their_sitting, ps.enrolment, check=False)
    assert client.get(enrolment_url).status_code == 200
    assert client.get(snapshot_url).status_code == 403  # taken at a sitting they do not proctor
    assert learner.pk == ps.enrolment.learner_id


def test_missing_images_are_404_and_not_logged(images, people):
    client = Client()
    client.force_login(people["exam office"][0])
    assert client.get(reverse("proctor_plugin_global:photo", kwargs={"kind": "snapshot", "pk": 10**9})).status_code == 404
    assert client.get(reverse("proctor_plugin_global:photo", kwargs={"kind": "passport", "pk": 1})).status_code == 404
    assert not FaceImageAccess.objects.exists()


def test_the_access_log_is_for_the_exam_office_in_the_admin(images, people):
    _ps, objects = images
    viewer = Client()
    viewer.force_login(people["assigned proctor"][0])
    viewer.get(reverse("proctor_plugin_global:photo", kwargs={"kind": "enrolment", "pk": objects["enrolment"].pk}))
    index = reverse("face_image_access:index")
    office = Client()
    office.force_login(people["exam office"][0])
    page = office.get(index)
    assert page.status_code == 200
    assert "assigned" in page.content.decode()
    row = FaceImageAccess.objects.get()
    assert office.get(reverse("face_image_access:inspect", args=[row.pk])).status_code == 200
    for who in ("assigned proctor", "unassigned proctor", "other learner"):
        client = Client()
        client.force_login(people[who][0])
        response = client.get(index)
        assert response.status_code in (302, 403), who
    # Read-only: no add, edit or delete screens exist.
    from django.urls import NoReverseMatch

    for name in ("add", "edit", "delete"):
        with pytest.raises(NoReverseMatch):
            reverse(f"face_image_access:{name}", args=[row.pk] if name != "add" else [])
