"""What the proctor API's routers share: the image limit, the refusal, the error
schema, bounded path ids and base64 images, and the rate-limited snapshot."""

import base64
import binascii
from typing import Annotated

from django.utils.translation import gettext as _
from ninja import Field, Path, Schema

from ..services import monitoring

# Camera frames are ~100-300 KB; a chosen photo is scaled down in the browser first.
MAX_IMAGE_BYTES = 1_500_000
MAX_IMAGE_BASE64 = 4 * ((MAX_IMAGE_BYTES + 2) // 3)

RowId = Annotated[int, Path(ge=1, le=2**63 - 1)]


class Refused(Exception):
    """A refused request with a translated message and an HTTP status."""

    def __init__(self, message, status=400):
        super().__init__(message)
        self.status = status


class Message(Schema):
    detail: str


class ImageIn(Schema):
    image: str = Field(
        min_length=4, max_length=MAX_IMAGE_BASE64, pattern=r"^[A-Za-z0-9+/]*={0,2}$",
        description=f"The JPEG/PNG image, base64-encoded, at most {MAX_IMAGE_BYTES} bytes.",
    )


def decode_image(payload: ImageIn) -> bytes:
    try:
        data = base64.b64decode(payload.image, validate=True)
    except (binascii.Error, ValueError) as err:
        raise Refused(_("The image could not be read.")) from err
    if len(data) > MAX_IMAGE_BYTES:
        raise Refused(_("The image is too large."), status=413)
    return data


def record_snapshot(ps, source: str, payload: ImageIn) -> None:
    """Store one frame of ``source`` ("webcam" or "phone"); 413 when too large, 429 when
    the previous frame of that source is too recent."""
    image = decode_image(payload)
    if monitoring.snapshot_too_soon(ps, source):
        raise Refused(_("Too many snapshots; wait for the next one."), status=429)
    monitoring.record_snapshot(ps, source, image)
