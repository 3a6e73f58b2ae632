"""Drawing a certificate as an A4 landscape PDF (reportlab) and signing it.

Chinese text uses the site's CJK font (``cms_site.services.pdf_fonts``: WenQuanYi Zen Hei from
Debian's ``fonts-wqy-zenhei``), embedded as a subset so the file shows the same glyphs on
any reader. The QR code (``qrcode``) is drawn as vector squares and points to the
certificate's public verify URL. Labels are translated in the site's default language.
"""

import logging
from io import BytesIO

import qrcode
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from cms_site.services.masking import mask_document_number
from cms_site.services.pdf_fonts import CJKFontMissing, register_cjk_font

logger = logging.getLogger(__name__)

PAGE_SIZE = landscape(A4)
INK = HexColor("#1d2b36")
ACCENT = HexColor("#0b6e4f")
GOLD = HexColor("#b08d3c")
QR_MASK_PATTERN = 0


CertificateFontMissing = CJKFontMissing  # the font lookup is the site's (cms_site.services.pdf_fonts)


def register_font() -> str:
    return register_cjk_font()



def verify_url(number: str) -> str:
    """The absolute URL printed in the QR code and under it: ``SITE_BASE_URL`` (required in
    production, see cms_site/checks.py) + the verify path."""
    from django.urls import reverse

    return settings.SITE_BASE_URL.rstrip("/") + reverse("cert_plugin_global:verify", kwargs={"number": number})


def qr_matrix(data: str) -> list[list[bool]]:
    """The QR modules for ``data`` (level M, 2-module quiet zone).

    The mask pattern is fixed: qrcode's default tries all eight and scores each in pure
    Python, which cost more than drawing the rest of the certificate. Any of the eight masks
    is valid for every reader; the score only prefers one with fewer look-alike blocks.
    """
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=2, mask_pattern=QR_MASK_PATTERN)
    qr.add_data(data)
    qr.make(fit=True)
    return qr.get_matrix()


def _draw_qr(c: canvas.Canvas, data: str, x: float, y: float, size: float) -> None:
    matrix = qr_matrix(data)
    cell = size / len(matrix)
    c.setFillColorRGB(1, 1, 1)
    c.rect(x, y, size, size, stroke=0, fill=1)
    c.setFillColorRGB(0, 0, 0)
    # One rectangle per horizontal run of dark modules (about a third of the modules), in
    # a coordinate system of one unit per module, so the page stream stays short.
    c.saveState()
    c.translate(x, y + size)
    c.scale(cell, -cell)
    path = c.beginPath()
    for row_index, row in enumerate(matrix):
        col = 0
        while col < len(row):
            if not row[col]:
                col += 1
                continue
            start = col
            while col < len(row) and row[col]:
                col += 1
            path.rect(start, row_index, col - start, 1)
    c.drawPath(path, stroke=0, fill=1)
    c.restoreState()


def _draw_photo(c: canvas.Canvas, photo_path: str | None, x: float, y: float, w: float, h: float) -> bool:
    if not photo_path:
        return False
    try:
        image = ImageReader(photo_path)
    except Exception:  # noqa: BLE001 - a missing or broken photo must not block the certificate
        logger.warning("Certificate photo unreadable: %s", photo_path)
        return False
    c.drawImage(image, x, y, width=w, height=h, preserveAspectRatio=True, anchor="c")
    c.setStrokeColor(GOLD)
    c.setLineWidth(0.8)
    c.rect(x, y, w, h, stroke=1, fill=0)
    return True


def render_certificate(data: dict) -> bytes:
    """Unsigned PDF bytes for ``data`` (see ``services.certificate_print_data``)."""
    font = register_font()
    width, height = PAGE_SIZE
    buffer = BytesIO()
    c = canvas.Canvas(buffer, pagesize=PAGE_SIZE, pageCompression=1)
    c.setTitle(f"{data['title']} · {data['number']}")
    c.setAuthor(data["issuer"])
    c.setSubject(data["number"])

    with translation.override(settings.LANGUAGE_CODE):
        # Frame
        c.setStrokeColor(GOLD)
        c.setLineWidth(3)
        c.rect(12 * mm, 12 * mm, width - 24 * mm, height - 24 * mm)
        c.setLineWidth(0.8)
        c.rect(16 * mm, 16 * mm, width - 32 * mm, height - 32 * mm)

        # Heading and title
        c.setFillColor(ACCENT)
        c.setFont(font, 30)
        c.drawCentredString(width / 2, height - 42 * mm, _("Certificate"))
        c.setFillColor(INK)
        c.setFont(font, 20)
        c.drawCentredString(width / 2, height - 56 * mm, data["title"])

        # Photo (2-inch ratio 35 × 49 mm)
        photo_w, photo_h = 35 * mm, 49 * mm
        photo_x, photo_y = 34 * mm, height - 120 * mm
        has_photo = _draw_photo(c, data.get("photo_path"), photo_x, photo_y, photo_w, photo_h)

        # Fields
        rows = [
            (_("Name"), data["holder_name"]),
            (_("ID number"), mask_document_number(data["document_number"])),
            (_("Program"), data["program_name"]),
            (_("Level"), data["level_name"]),
            (_("Class hours"), data["class_hours"]),
            (pgettext("certificate", "Issue date"), data["issue_date"]),
            (_("Certificate number"), data["number"]),
            (pgettext("certificate", "Issuer"), data["issuer"]),
        ]
        label_x = (photo_x + photo_w + 16 * mm) if has_photo else 60 * mm
        value_x = label_x + 42 * mm
        y = height - 76 * mm
        for label, value in rows:
            c.setFont(font, 12)
            c.setFillColor(HexColor("#55606a"))
            c.drawString(label_x, y, f"{label}")
            c.setFont(font, 15)
            c.setFillColor(INK)
            c.drawString(value_x, y, str(value))
            y -= 11 * mm

        # QR code to the verify page
        qr_size = 38 * mm
        qr_x, qr_y = width - 34 * mm - qr_size, 28 * mm
        _draw_qr(c, data["verify_url"], qr_x, qr_y, qr_size)
        c.setFont(font, 9)
        c.setFillColor(HexColor("#55606a"))
        c.drawCentredString(qr_x + qr_size / 2, qr_y - 5 * mm, _("Scan to verify"))

        # Issuer line
        c.setFont(font, 14)
        c.setFillColor(INK)
        c.drawRightString(qr_x - 14 * mm, 40 * mm, data["issuer"])
        c.setFont(font, 12)
        c.drawRightString(qr_x - 14 * mm, 32 * mm, data["issue_date"])
        c.setFont(font, 8)
        c.setFillColor(HexColor("#55606a"))
        c.drawString(24 * mm, 22 * mm, _("Digitally signed. Verify at %(url)s") % {"url": data["verify_url"]})

    c.showPage()
    c.save()
    return buffer.getvalue()
