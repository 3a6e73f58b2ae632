"""The one checker for uploaded images (registration materials, reference photos,
exam-room snapshots): the pixel limit is enforced from the header, before any decoding.

Contract:

- ``max_image_pixels()`` is ``settings.MAX_IMAGE_PIXELS`` (default 40 megapixels). An image
  with ``width × height`` **at or above** it is refused (``ImageRefused("pixels")``) from
  the header alone: ``PIL.Image.open`` reads only the header; nothing is decoded.
- Pillow's own guard (``Image.MAX_IMAGE_PIXELS``) is set to the same limit at start-up
  (``configure_pillow``, called from ``CmsSiteConfig.ready``); its
  ``DecompressionBombWarning``/``Error`` end as the same refusal. Wagtail's image uploads use
  ``WAGTAILIMAGES_MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS - 1`` (Wagtail refuses *above* its value).
- ``open_image(source, max_side=…)`` then decodes within a memory bound: a JPEG is decoded at
  a reduced scale by the decoder itself (``Image.draft``: memory ~ max_side², whatever the
  upload's size); other formats (PNG) are decoded once (bounded by the pixel limit). Either
  is then box-reduced (``Image.reduce``) to at most ``max_side`` on the longer side before
  anything else happens, and EXIF orientation is applied to the small image; no full-size
  copy is ever made. ``max_side=None`` decodes at full size (still header-checked).
- Anything Pillow cannot read is ``ImageRefused("broken")``.
"""

import math
import warnings
from dataclasses import dataclass

from django.conf import settings
from PIL import Image, UnidentifiedImageError

DEFAULT_MAX_IMAGE_PIXELS = 40_000_000
EXIF_ORIENTATION = 0x0112
SWAPS_AXES = {5, 6, 7, 8}  # EXIF orientations that rotate by 90° or 270°
TRANSPOSE = {  # EXIF orientation -> what shows the image upright (as ImageOps.exif_transpose)
    2: Image.Transpose.FLIP_LEFT_RIGHT, 3: Image.Transpose.ROTATE_180, 4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE, 6: Image.Transpose.ROTATE_270, 7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


def max_image_pixels() -> int:
    return int(getattr(settings, "MAX_IMAGE_PIXELS", DEFAULT_MAX_IMAGE_PIXELS))


def configure_pillow() -> None:
    """Make Pillow's decompression-bomb guard agree with ``max_image_pixels()``."""
    Image.MAX_IMAGE_PIXELS = max_image_pixels()


class ImageRefused(ValueError):
    """``reason`` is ``"pixels"`` (at or above the limit) or ``"broken"`` (unreadable)."""

    def __init__(self, reason: str, size: tuple[int, int] | None = None):
        super().__init__(reason)
        self.reason = reason
        self.size = size


@dataclass
class CheckedImage:
    image: Image.Image  # decoded, EXIF-rotated, at most max_side on the longer side
    size: tuple[int, int]  # the upload's own size (after EXIF rotation), from the header


def _rewind(source):
    if hasattr(source, "seek"):
        source.seek(0)


def read_header(source) -> Image.Image:
    """The lazily opened image (header read, pixels not decoded) after the pixel check."""
    _rewind(source)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(source)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as err:
        raise ImageRefused("pixels") from err
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as err:
        raise ImageRefused("broken") from err
    width, height = image.size
    if width * height >= max_image_pixels():
        image.close()
        raise ImageRefused("pixels", (width, height))
    return image


def open_image(source, *, max_side: int | None = 2048) -> CheckedImage:
    """Header check, then a bounded decode (see the module docstring)."""
    image = read_header(source)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            size = image.size
            orientation = image.getexif().get(EXIF_ORIENTATION)
            if max_side and max(size) > max_side and image.format == "JPEG":
                ratio = max_side / max(size)
                box = (max(1, round(size[0] * ratio)), max(1, round(size[1] * ratio)))
                image.draft("RGB", box)  # the decoder scales by 1/2, 1/4 or 1/8 while decoding
            image.load()
            if max_side and max(image.size) > max_side:
                image = image.reduce(math.ceil(max(image.size) / max_side))  # one small allocation
            if orientation in TRANSPOSE:
                image = image.transpose(TRANSPOSE[orientation])
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as err:
        raise ImageRefused("pixels", image.size) from err
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as err:
        raise ImageRefused("broken") from err
    finally:
        _rewind(source)
    if orientation in SWAPS_AXES:
        size = (size[1], size[0])
    return CheckedImage(image=image, size=size)
