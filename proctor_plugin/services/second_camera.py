"""Pairing the phone (second camera) with a proctored sitting through a QR-code token.

The token in the QR code is short-lived and single-use: the first phone that opens it
before it expires is paired and receives a device key (kept in its session); uploads
need both, so a leaked URL cannot feed a second device once paired.
"""

import secrets

from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import SecondCameraToken
from . import audit


class PairingRefused(ValueError):
    """``str(err)`` is a translated message for the phone's screen."""


def pair(token: str, now=None) -> tuple[SecondCameraToken, str]:
    """Pair a phone; returns the token row and the device key to keep."""
    now = now or timezone.now()
    row = SecondCameraToken.objects.select_related("sitting").filter(token=token).first()
    if row is None or row.revoked:
        raise PairingRefused(_("This QR code is not valid. Show a new one on the exam computer."))
    if row.paired_at is not None:
        raise PairingRefused(_("This QR code was already used by another device."))
    if row.expires_at < now:
        raise PairingRefused(_("This QR code has expired. Show a new one on the exam computer."))
    key = secrets.token_urlsafe(24)
    updated = SecondCameraToken.objects.filter(pk=row.pk, paired_at__isnull=True).update(paired_at=now, device_key=key)
    if not updated:
        raise PairingRefused(_("This QR code was already used by another device."))
    # A new phone replaces any earlier one.
    row.sitting.camera_tokens.exclude(pk=row.pk).update(revoked=True)
    sitting = row.sitting
    sitting.second_camera_paired_at = sitting.second_camera_paired_at or now
    sitting.phone_last_seen_at = now
    sitting.phone_lost = False
    sitting.save(update_fields=["second_camera_paired_at", "phone_last_seen_at", "phone_lost"])
    audit.record(sitting, "second_camera_paired")
    row.refresh_from_db()
    return row, key


def paired_token(token: str, device_key: str) -> SecondCameraToken | None:
    """The paired, unrevoked token matching both secrets, or None."""
    if not token or not device_key:
        return None
    row = SecondCameraToken.objects.select_related("sitting").filter(token=token, revoked=False).first()
    if row is None or not row.paired_at or not secrets.compare_digest(row.device_key, device_key):
        return None
    return row


def qr_svg(url: str) -> str:
    """The pairing URL as an inline SVG QR code."""
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    return image.to_string(encoding="unicode")
