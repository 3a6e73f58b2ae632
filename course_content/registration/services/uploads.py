"""Checking uploaded registration materials before anything is stored.

- The type is sniffed from the content (``filetype``), never trusted from the name.
- Size is capped per file (``REGISTRATION_MAX_UPLOAD_BYTES``); a streaming upload handler
  (``SizeCapUploadHandler``) drops an oversized file while the request is still being read,
  so a 50 MB upload never lands on disk and the other fields of the form survive.
- Images go through the site's one image checker (``cms_site.services.images``): the pixel count
  is read from the header and refused at or above ``settings.MAX_IMAGE_PIXELS`` before
  anything is decoded (Pillow's own bomb guard ends as the same refusal); the decode is
  bounded (at most ``IMAGE_CHECK_SIDE`` pixels on the longer side) since only checks
  follow. ``CheckedUpload.image`` is that reduced image; ``size`` is the upload's own.
- The photo must be a portrait about 35 × 49 mm (width:height ≈ 5:7) on a blue
  background; installed plugins add checks through ``registration_photo_checks``.
"""

from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image

from cms_site.services.images import ImageRefused
from cms_site.services.images import open_image as open_checked_image

from ..models import Material

IMAGE_TYPES = {"image/jpeg": "JPEG", "image/png": "PNG"}
DOCUMENT_TYPES = {**IMAGE_TYPES, "application/pdf": "PDF"}
IMAGE_ONLY_KINDS = {Material.Kind.PHOTO, Material.Kind.ID_FRONT, Material.Kind.ID_BACK}

PHOTO_ASPECT = 35 / 49
PHOTO_ASPECT_TOLERANCE = 0.06
PHOTO_MIN_WIDTH = 200
IMAGE_CHECK_SIDE = 2048  # the checks (shape, background, faces) need no more


def max_upload_bytes() -> int:
    return getattr(settings, "REGISTRATION_MAX_UPLOAD_BYTES", 5 * 1024 * 1024)


@dataclass
class CheckedUpload:
    content_type: str
    image: Image.Image | None  # decoded (EXIF-rotated, reduced to IMAGE_CHECK_SIDE) for images, else None
    size: tuple[int, int] | None = None  # the image's own size (EXIF-rotated), else None


def too_large_message(name: str, size: int | None = None, limit_bytes: int | None = None) -> str:
    limit = filesizeformat(limit_bytes or max_upload_bytes())
    if size:
        return _("“%(name)s” is %(size)s; files may be at most %(limit)s.") % {
            "name": name, "size": filesizeformat(size), "limit": limit,
        }
    return _("“%(name)s” is larger than %(limit)s and was not accepted.") % {"name": name, "limit": limit}


def sniff(upload) -> str | None:
    """The MIME type read from the file's first bytes (None if unknown)."""
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    return kind.mime if kind else None


def open_image(upload, name: str):
    """The checked, bounded image of ``upload`` (``cms_site.services.images.CheckedImage``);
    ``ValidationError`` for too many pixels (decided from the header) or a damaged file."""
    try:
        return open_checked_image(upload, max_side=IMAGE_CHECK_SIDE)
    except ImageRefused as err:
        if err.reason == "pixels":
            raise ValidationError(
                _("“%(name)s” has too many pixels to be a photo or scan and was refused.") % {"name": name},
                code="image_pixels",
            ) from err
        raise ValidationError(
            _("“%(name)s” could not be read as an image; it may be damaged.") % {"name": name}, code="image_broken"
        ) from err


def check_photo_shape(image: Image.Image, size: tuple[int, int] | None = None) -> list[str]:
    """A 2-inch ID photo: portrait 35 × 49 mm, big enough, blue background. ``size`` is
    the photo's own size when ``image`` is a reduced copy (defaults to ``image.size``)."""
    errors = []
    width, height = size or image.size
    aspect = width / height if height else 0
    if abs(aspect - PHOTO_ASPECT) > PHOTO_ASPECT_TOLERANCE:
        errors.append(
            _(
                "The photo must be a portrait 2-inch photo (35 × 49 mm, width to height about 5:7); "
                "this one is %(width)s × %(height)s pixels."
            ) % {"width": width, "height": height}
        )
    elif width < PHOTO_MIN_WIDTH:
        errors.append(
            _("The photo is too small (%(width)s pixels wide); it needs at least %(min)s.")
            % {"width": width, "min": PHOTO_MIN_WIDTH}
        )
    else:
        rgb = image.convert("RGB")
        shown_width = rgb.width
        corner = max(2, shown_width // 12)
        samples = [
            rgb.crop((0, 0, corner, corner)).resize((1, 1)).getpixel((0, 0)),
            rgb.crop((shown_width - corner, 0, shown_width, corner)).resize((1, 1)).getpixel((0, 0)),
        ]
        if not all(b > r + 30 and b > g + 10 for r, g, b in samples):
            errors.append(_("The photo needs a blue background."))
    return errors


def check_upload(upload, kind: str, *, program=None, level=None) -> CheckedUpload:
    """Validate one uploaded material; raises ``ValidationError`` with translated messages."""
    name = upload.name
    if upload.size > max_upload_bytes():
        raise ValidationError(too_large_message(name, upload.size), code="too_large")
    if upload.size == 0:
        raise ValidationError(_("“%(name)s” is empty.") % {"name": name}, code="empty")
    allowed = IMAGE_TYPES if kind in IMAGE_ONLY_KINDS else DOCUMENT_TYPES
    mime = sniff(upload)
    if mime not in allowed:
        found = DOCUMENT_TYPES.get(mime) or (mime or _("unknown"))
        raise ValidationError(
            _("“%(name)s” is not a %(allowed)s file (its content is %(found)s), whatever its name says.")
            % {"name": name, "allowed": " / ".join(allowed.values()), "found": found},
            code="file_type",
        )
    checked = open_image(upload, name) if mime in IMAGE_TYPES else None
    image, size = (checked.image, checked.size) if checked else (None, None)
    if kind == Material.Kind.PHOTO:
        errors = check_photo_shape(image, size)
        if not errors and program is not None:
            from ..signals import registration_photo_checks

            for _receiver, answer in registration_photo_checks.send_robust(sender=program, image=image, level=level):
                if isinstance(answer, list | tuple):
                    errors.extend(str(message) for message in answer)
        if errors:
            raise ValidationError(errors, code="photo")
    return CheckedUpload(content_type=mime, image=image, size=size)


class SizeCapUploadHandler(FileUploadHandler):
    """Skips (does not store) any single file larger than the cap while it streams in.

    Skipped field names and file names are recorded on ``request.skipped_uploads`` so the
    form can say which file was too large; the rest of the request is parsed normally.
    """

    def __init__(self, request=None):
        super().__init__(request)
        self.received = 0
        if request is not None and not hasattr(request, "skipped_uploads"):
            request.skipped_uploads = {}

    def new_file(self, field_name, file_name, *args, **kwargs):
        self.received = 0
        return super().new_file(field_name, file_name, *args, **kwargs)

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > max_upload_bytes():
            self.request.skipped_uploads[self.field_name] = self.file_name
            raise SkipFile
        return raw_data

    def file_complete(self, file_size):
        return None
