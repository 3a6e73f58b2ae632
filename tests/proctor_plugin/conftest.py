"""Real photos shipped with scikit-image and matplotlib, as the face tests' inputs."""

import io

import numpy as np
import pytest
from PIL import Image


def _rgb(array):
    from proctor_plugin.services.face import load_rgb

    return load_rgb(array)


@pytest.fixture(scope="session")
def astronaut():
    from skimage import data

    return _rgb(data.astronaut())


@pytest.fixture(scope="session")
def cameraman():
    from skimage import data

    return _rgb(data.camera())


@pytest.fixture(scope="session")
def hopper():
    from matplotlib import cbook

    with cbook.get_sample_data("grace_hopper.jpg") as handle:
        return _rgb(Image.open(handle))


@pytest.fixture(scope="session")
def blank():
    return np.full((480, 640, 3), 128, dtype=np.uint8)


@pytest.fixture(scope="session")
def side_by_side(astronaut, hopper):
    """Two different people in one frame (astronaut left, Hopper right)."""
    height = 512
    right = np.asarray(Image.fromarray(hopper).resize((512, round(512 * hopper.shape[0] / hopper.shape[1]))))[:height]
    return np.concatenate([astronaut[:height, :512], right], axis=1)


def jpeg_bytes(rgb, quality=85) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(rgb).save(buffer, "JPEG", quality=quality)
    return buffer.getvalue()


@pytest.fixture
def exam_room(make_learner, astronaut):
    """``exam_room(program, enrol_face=True, started=True)``: a learner admitted to a
    formal sitting of ``program`` that started 5 minutes ago, with the astronaut as
    the enrolled face and (when ``started``) an open attempt. Returns the
    ProctoredSitting."""
    from datetime import timedelta

    from django.utils import timezone

    from course_content.models import Enrolment
    from exam_plugin.models import Attempt, ExamSitting
    from exam_plugin.services.sittings import admit
    from proctor_plugin.services.face_enrolment import enrol_face
    from proctor_plugin.services.preflight import for_candidate

    def factory(program, enrol=True, started=True, learner=None):
        user = learner or make_learner(program)
        enrolment = Enrolment.objects.filter(learner=user, program=program).first()
        start = timezone.now() - timedelta(minutes=5)
        sitting = ExamSitting.objects.create(program=program, starts_at=start, ends_at=start + timedelta(hours=2))
        candidate = admit(sitting, enrolment, check=False)
        if enrol:
            enrol_face(user, astronaut, origin="admin")
        if started:
            Attempt.objects.create(
                enrolment=enrolment, candidate=candidate, sitting=sitting, mode=Attempt.Mode.FORMAL, seed=1,
                started_at=start, deadline=sitting.ends_at,
            )
        return for_candidate(candidate)

    return factory


@pytest.fixture
def complete_preflight():
    """Mark every pre-flight step done (for tests about the exam itself)."""
    from django.utils import timezone

    def complete(ps):
        now = timezone.now()
        for field in ("rules_accepted_at", "camera_ok_at", "face_verified_at", "second_camera_paired_at",
                      "fullscreen_at", "preflight_completed_at"):
            setattr(ps, field, now)
        ps.save()
        return ps

    return complete


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in their English msgids."""
    from django.utils import translation

    with translation.override("en"):
        yield
