"""Fixtures for registration tests: real files (Pillow-made photos, a PDF), a candidate,
a reviewer in the Program admins role, and a filled-in draft."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cms_site.accounts.services import roles

BLUE = (67, 142, 219)


def image_bytes(width=350, height=490, colour=BLUE, fmt="JPEG") -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (width, height), colour)
    draw = ImageDraw.Draw(image)
    draw.ellipse((width * 0.3, height * 0.2, width * 0.7, height * 0.6), fill=(224, 190, 160))
    buffer = io.BytesIO()
    image.save(buffer, fmt)
    return buffer.getvalue()


PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def upload(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def complete_materials():
    """Form-field → file for every material a 本科 + work-years candidate needs."""
    return {
        "file_photo": upload("photo.jpg", image_bytes()),
        "file_id_front": upload("front.jpg", image_bytes(860, 540, (200, 200, 200))),
        "file_id_back": upload("back.png", image_bytes(860, 540, (210, 210, 210), fmt="PNG")),
        "file_diploma": upload("diploma.pdf", PDF_BYTES),
        "file_work_proof": upload("work.pdf", PDF_BYTES),
    }


FORM_DATA = {
    "real_name": "王小明", "phone": "13912345678", "email": "wang@example.com",
    "education": "bachelor", "major": "能源与动力工程", "related_major": "on", "work_years": "1",
    "other_certificate_years": "0", "exam_sitting": "", "organisation": "",
}


@pytest.fixture
def candidate(site_data, make_learner):
    return make_learner(real_name="王小明", phone="13912345678")


@pytest.fixture
def other_learner(site_data, make_learner):
    return make_learner(real_name="李四")


@pytest.fixture
def reviewer(site_data):
    from django.contrib.auth import get_user_model

    from cms_site.accounts.services.roles import PROGRAM_ADMIN

    user = get_user_model().objects.create_user(username="reviewer", password="Review-2026!", real_name="审核员")
    user.groups.add(roles.group(PROGRAM_ADMIN))
    return user


@pytest.fixture
def intermediate(energy):
    return energy.levels.get(code="intermediate")


@pytest.fixture
def draft(candidate, intermediate):
    """A draft for 中级 with all data (本科 + 1 year) and no files yet."""
    from course_content.registration.services import registrations

    registration = registrations.start_registration(candidate, intermediate)
    for name, value in FORM_DATA.items():
        if name in ("real_name", "phone", "email", "education", "major"):
            setattr(registration, name, value)
    registration.related_major = False
    registration.work_years = 1
    registration.save()
    return registration


@pytest.fixture
def submitted(draft):
    """The draft with every material stored and submitted."""
    from course_content.registration.services import registrations
    from course_content.registration.services.uploads import check_upload

    for field, file in complete_materials().items():
        kind = field.removeprefix("file_")
        checked = check_upload(file, kind, program=draft.program, level=draft.level)
        registrations.store_material(draft, kind, file, checked.content_type)
    return registrations.submit(draft)


@pytest.fixture(autouse=True)
def _no_face_check(request):
    """Our synthetic photos have no real face: switch the proctor plugin (which adds a
    face check to ``registration_photo_checks``) off for the energy program, so these
    tests exercise registration's own checks deterministically."""
    if "site_data" not in request.fixturenames:
        return
    request.getfixturevalue("site_data")
    from course_content.models import ProgramPage
    from plugins import services as plugin_services

    for program in ProgramPage.objects.all():
        if plugin_services.is_enabled(program, "proctor_plugin"):
            plugin_services.disable(program, "proctor_plugin")
