"""The pixel limit is strict and decided from the header; checking decodes within a bound.

Memory is measured with Pillow's own allocator statistics (``PIL.Image.core.get_stats``):
every decoded pixel lives in blocks of its image arena, so "no block was allocated"
means "nothing was decoded" and the bytes allocated bound what a check costs.
"""

import io
import struct
import tracemalloc
import zlib

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.test import override_settings
from PIL import Image

from cms_site.services.images import open_image
from course_content.registration.models import Material
from course_content.registration.services.uploads import check_upload

from .conftest import image_bytes, upload

pytestmark = pytest.mark.django_db

BLOCK = 256 * 1024


@pytest.fixture
def pillow_memory():
    """Bytes of pixel memory Pillow allocates inside the ``with`` block (small blocks for
    precision; the arena is restored afterwards)."""
    saved = Image.core.get_block_size()
    Image.core.set_block_size(BLOCK)

    class Meter:
        def __enter__(self):
            self.start = Image.core.get_stats()
            return self

        def __exit__(self, *exc):
            end = Image.core.get_stats()
            self.images = end["new_count"] - self.start["new_count"]
            self.bytes = (end["allocated_blocks"] - self.start["allocated_blocks"]) * BLOCK

    yield Meter
    Image.core.set_block_size(saved)


def png_header_only(width, height) -> bytes:
    """A valid PNG signature and IHDR declaring ``width × height`` RGB, a few bytes of
    pixel data and IEND: tiny on the wire, ``width × height × 4`` bytes if decoded."""

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b"")


def test_an_image_of_exactly_the_limit_is_refused_without_decoding(pillow_memory):
    limit = settings.MAX_IMAGE_PIXELS
    content = png_header_only(8000, limit // 8000)
    assert 8000 * (limit // 8000) == limit and len(content) < 200
    tracemalloc.start()
    try:
        with pillow_memory() as meter, pytest.raises(ValidationError) as err:
            check_upload(upload("scan.png", content), Material.Kind.ID_FRONT)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert err.value.code == "image_pixels"
    assert meter.images == 0 and meter.bytes == 0  # not one pixel decoded
    assert peak < 1_000_000  # and nothing large on the Python side either


@pytest.mark.parametrize("size,refused", [((350, 490), True), ((349, 490), False)])
def test_the_limit_is_at_or_above(size, refused):
    with override_settings(MAX_IMAGE_PIXELS=350 * 490):
        photo = upload("photo.jpg", image_bytes(*size))
        if refused:
            with pytest.raises(ValidationError) as err:
                check_upload(photo, Material.Kind.ID_FRONT)
            assert err.value.code == "image_pixels"
        else:
            assert check_upload(photo, Material.Kind.ID_FRONT).size == size


def test_pillow_and_wagtail_use_the_same_limit():
    assert Image.MAX_IMAGE_PIXELS == settings.MAX_IMAGE_PIXELS
    assert settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS == settings.MAX_IMAGE_PIXELS - 1  # Wagtail refuses "above"


def test_checking_a_large_jpeg_decodes_at_a_reduced_scale(pillow_memory):
    width, height = 4200, 2800
    content = image_bytes(width, height, (200, 200, 200))
    with pillow_memory() as meter:
        checked = check_upload(upload("scan.jpg", content), Material.Kind.ID_FRONT)
    assert checked.size == (width, height) and max(checked.image.size) <= 2048
    assert meter.bytes < 0.6 * width * height * 4  # a full decode alone would be 47 MB


def test_exif_rotation_is_applied_and_the_size_reported_upright():
    buffer = io.BytesIO()
    exif = Image.Exif()
    exif[0x0112] = 6  # rotated 90° clockwise: stored landscape, shown portrait
    Image.new("RGB", (4900, 3500), (67, 142, 219)).save(buffer, "JPEG", exif=exif)
    checked = open_image(io.BytesIO(buffer.getvalue()), max_side=1000)
    assert checked.size == (3500, 4900)
    assert checked.image.size[0] < checked.image.size[1] <= 1000


def test_the_face_checker_uses_the_same_limit():
    from proctor_plugin.services.face import InvalidImage, load_rgb

    with pytest.raises(InvalidImage):
        load_rgb(png_header_only(8000, settings.MAX_IMAGE_PIXELS // 8000))
    assert load_rgb(image_bytes(120, 160)).shape == (160, 120, 3)
