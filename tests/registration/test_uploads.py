"""Bad uploads are refused with clear messages and nothing else in the form is lost."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse

from course_content.registration.models import Material
from course_content.registration.services.uploads import check_upload

from .conftest import FORM_DATA, PDF_BYTES, complete_materials, image_bytes, upload


def post(client, registration, files, action="save", **data):
    return client.post(
        reverse("registration:detail", args=[registration.pk]), {**FORM_DATA, **data, **files, "action": action}
    )


def form_errors(response, field):
    return [str(e) for e in response.context["form"].errors.get(field, [])]


@pytest.mark.django_db
def test_pdf_renamed_jpg_is_refused_by_content():
    with pytest.raises(ValidationError) as err:
        check_upload(upload("photo.jpg", PDF_BYTES, "image/jpeg"), Material.Kind.PHOTO)
    assert "PDF" in err.value.messages[0] and "photo.jpg" in err.value.messages[0]


@pytest.mark.django_db
def test_pdf_is_fine_for_a_diploma():
    assert check_upload(upload("diploma.pdf", PDF_BYTES), Material.Kind.DIPLOMA).content_type == "application/pdf"


@pytest.mark.django_db
def test_landscape_photo_is_refused():
    with pytest.raises(ValidationError) as err:
        check_upload(upload("wide.jpg", image_bytes(490, 350)), Material.Kind.PHOTO)
    assert "35 × 49" in err.value.messages[0] and "490 × 350" in err.value.messages[0]


@pytest.mark.django_db
def test_white_background_photo_is_refused():
    with pytest.raises(ValidationError) as err:
        check_upload(upload("white.jpg", image_bytes(colour=(250, 250, 250))), Material.Kind.PHOTO)
    assert err.value.messages == ["The photo needs a blue background."] or "蓝" in err.value.messages[0]


@pytest.mark.django_db
def test_portrait_blue_photo_is_accepted():
    checked = check_upload(upload("photo.jpg", image_bytes()), Material.Kind.PHOTO)
    assert checked.content_type == "image/jpeg" and checked.image.size == (350, 490)


def bomb_png(side=20_000) -> bytes:
    """A tiny PNG that claims side × side pixels (a decompression bomb)."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("1", (side, side)).save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


@pytest.mark.django_db
def test_decompression_bomb_is_refused_before_decoding():
    content = bomb_png()
    assert len(content) < 200_000  # small on the wire, 400 megapixels when decoded
    with pytest.raises(ValidationError) as err:
        check_upload(upload("bomb.png", content), Material.Kind.ID_FRONT)
    assert err.value.code == "image_pixels"


@pytest.mark.django_db
@override_settings(MAX_IMAGE_PIXELS=10**12)
def test_pillow_bomb_guard_is_handled_too():
    """With our own cap lifted, Pillow's DecompressionBombError still ends as a clear refusal."""
    with pytest.raises(ValidationError) as err:
        check_upload(upload("bomb.png", bomb_png()), Material.Kind.ID_FRONT)
    assert err.value.code == "image_pixels"


@pytest.mark.django_db
def test_too_large_file_is_refused():
    big = upload("big.pdf", PDF_BYTES + b"0" * (6 * 1024 * 1024))
    with pytest.raises(ValidationError) as err:
        check_upload(big, Material.Kind.DIPLOMA)
    assert err.value.code == "too_large"


def test_bad_uploads_through_the_form_keep_everything_else(client, candidate, draft):
    client.force_login(candidate)
    files = {
        "file_photo": upload("photo.jpg", PDF_BYTES),  # a PDF renamed .jpg
        "file_id_front": upload("front.jpg", image_bytes(860, 540, (200, 200, 200))),  # fine
        "file_diploma": upload("diploma.pdf", PDF_BYTES),  # fine
    }
    response = post(client, draft, files, major="新能源科学与工程", work_years="1", phone="139 1234 5678")
    assert response.status_code == 200
    assert "PDF" in form_errors(response, "file_photo")[0]
    # The accepted files are stored; the other entries are kept (saved and re-rendered).
    kinds = set(draft.materials.values_list("kind", flat=True))
    assert kinds == {"id_front", "diploma"}
    draft.refresh_from_db()
    assert draft.major == "新能源科学与工程"
    assert draft.phone == "13912345678"
    assert 'value="新能源科学与工程"' in response.content.decode()


def test_fifty_megabyte_upload_is_dropped_while_streaming(client, candidate, draft):
    client.force_login(candidate)
    files = {
        "file_diploma": upload("diploma.pdf", PDF_BYTES + b"0" * (50 * 1024 * 1024)),
        "file_photo": upload("photo.jpg", image_bytes()),
    }
    response = post(client, draft, files, major="热能工程")
    assert response.status_code == 200
    message = form_errors(response, "file_diploma")[0]
    assert "diploma.pdf" in message and "5" in message
    assert set(draft.materials.values_list("kind", flat=True)) == {"photo"}
    draft.refresh_from_db()
    assert draft.major == "热能工程"


def test_bomb_and_landscape_through_the_form(client, candidate, draft):
    client.force_login(candidate)
    response = post(client, draft, {
        "file_id_back": upload("back.png", bomb_png()),
        "file_photo": upload("wide.jpg", image_bytes(490, 350)),
    }, email="new@example.com")
    assert response.status_code == 200
    assert form_errors(response, "file_id_back") and form_errors(response, "file_photo")
    assert not draft.materials.exists()
    draft.refresh_from_db()
    assert draft.email == "new@example.com"


def test_invalid_field_does_not_lose_accepted_files(client, candidate, draft):
    client.force_login(candidate)
    response = post(client, draft, complete_materials(), phone="12345")
    assert response.status_code == 200
    assert form_errors(response, "phone")
    assert draft.materials.count() == 5
    # …and the candidate fixes only the phone and submits, without re-uploading.
    response = post(client, draft, {}, action="submit", phone="13912345678")
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == "submitted"


def test_replacing_a_file_keeps_one(client, candidate, draft):
    client.force_login(candidate)
    post(client, draft, {"file_photo": upload("a.jpg", image_bytes())})
    first = draft.materials.get(kind="photo")
    post(client, draft, {"file_photo": upload("b.png", image_bytes(fmt="PNG"))})
    photo = draft.materials.get(kind="photo")
    assert photo.original_name == "b.png" and photo.content_type == "image/png"
    assert not first.file.storage.exists(first.file.name)


def test_photo_check_signal_adds_plugin_objections(client, candidate, draft):
    from course_content.registration.signals import registration_photo_checks

    def no_face(sender, image, level, **kwargs):
        return ["检测不到人脸"] if image.size[0] < 400 else []

    registration_photo_checks.connect(no_face, dispatch_uid="test_no_face")
    try:
        client.force_login(candidate)
        response = post(client, draft, {"file_photo": upload("photo.jpg", image_bytes())})
        assert form_errors(response, "file_photo") == ["检测不到人脸"]
        response = post(client, draft, {"file_photo": upload("photo.jpg", image_bytes(500, 700))})
        assert response.status_code == 302
    finally:
        registration_photo_checks.disconnect(dispatch_uid="test_no_face")


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
def test_oversized_form_body_gets_a_message_not_a_400(client, candidate, draft):
    client.force_login(candidate)
    response = client.post(reverse("registration:detail", args=[draft.pk]), {**FORM_DATA, "major": "x" * 5000})
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert "too large" in page or "过大" in page
