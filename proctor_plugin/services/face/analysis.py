"""Decoding uploaded images and analysing them for faces."""

import io
from dataclasses import dataclass, field

import numpy as np
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from cms_site.services.images import ImageRefused, max_image_pixels, open_image

from .engine import DetectedFace, get_engine


class InvalidImage(ValueError):
    """The upload is not a decodable image; the message is translated for the user."""


def load_rgb(source) -> np.ndarray:
    """An RGB uint8 array from bytes, a file object, a path, a PIL image or an array.

    EXIF orientation is applied (phones store portraits rotated).
    """
    if isinstance(source, np.ndarray):
        array = source
        if array.ndim == 2:
            array = np.stack([array] * 3, axis=-1)
        return np.ascontiguousarray(array[:, :, :3].astype(np.uint8))
    try:
        if isinstance(source, Image.Image):
            if source.width * source.height >= max_image_pixels():
                raise InvalidImage(_("The image is too large."))
            image = ImageOps.exif_transpose(source).convert("RGB")
        else:
            if isinstance(source, bytes | bytearray):
                source = io.BytesIO(source)
            # The site's one image checker: pixel limit from the header, before decoding.
            # Snapshots are webcam-sized (a JPEG draft cannot shrink them) and callers store
            # the decoded frame, so decode at full size.
            image = open_image(source, max_side=None).image
            if image.mode != "RGB":
                image = image.convert("RGB")
    except ImageRefused as err:
        if err.reason == "pixels":
            raise InvalidImage(_("The image is too large.")) from err
        raise InvalidImage(_("The file is not an image we can read.")) from err
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as err:
        raise InvalidImage(_("The file is not an image we can read.")) from err
    return np.asarray(image)


@dataclass
class FaceAnalysis:
    """What one image shows: every face found and the embedding of the largest one."""

    width: int
    height: int
    faces: list[DetectedFace] = field(default_factory=list)
    embedding: np.ndarray | None = None

    @property
    def face_count(self) -> int:
        return len(self.faces)

    @property
    def largest(self) -> DetectedFace | None:
        return max(self.faces, key=lambda f: f.size) if self.faces else None


def analyse_image(source, *, embed: bool = True) -> FaceAnalysis:
    """Detect faces in ``source`` and embed the largest one (when ``embed``)."""
    rgb = load_rgb(source)
    engine = get_engine()
    faces = engine.detect(rgb)
    analysis = FaceAnalysis(width=rgb.shape[1], height=rgb.shape[0], faces=faces)
    if embed and faces:
        analysis.embedding = engine.embed(rgb, analysis.largest)
    return analysis
