"""The admission ticket (准考证): what is printed on it and the PDF.

One A4 portrait page per candidate: the candidate's name, masked ID document number
(``cms_site.services.masking``), the registration photo (the 2-inch photo of the approved
registration; a frame to glue one in when there is none), program and level, the sitting
(title, date, time slot), the admission number, and the exam rules. The rules are read off
the program's exam settings (entry window, late entry, earliest hand-in, attempts, identity
check at entry) plus the program's own notes (setting ``admission_ticket_notes``), so a
ticket never states a rule the server does not apply. The exam office prints one PDF with
a page per candidate of a sitting.

Printed in the site's default language, like certificates: it is an official document.
"""

import logging
from datetime import timedelta
from io import BytesIO

from django.apps import apps
from django.conf import settings
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas
from reportlab.platypus import Paragraph

from cms_site.services.masking import mask_document_number
from cms_site.services.pdf_fonts import register_cjk_font

from ..models import Candidate
from .clock import exam_settings

logger = logging.getLogger(__name__)

INK = HexColor("#1d2b36")
MUTED = HexColor("#55606a")
ACCENT = HexColor("#0b6e4f")


def registration_photo(enrolment) -> bytes | None:
    """The photo of the approved registration behind ``enrolment`` (newest first), or None.

    Read through the storage (private files are never under the web root)."""
    try:
        Material = apps.get_model("registration", "Material")
    except LookupError:
        return None
    photos = Material.objects.filter(
        Q(registration__enrolment=enrolment)
        | Q(registration__candidate=enrolment.learner, registration__level=enrolment.level),
        kind="photo", registration__status="approved",
    ).order_by("-uploaded_at")
    for material in photos:
        try:
            with material.file.open("rb") as handle:
                return handle.read()
        except (OSError, ValueError):
            logger.warning("Admission ticket photo unreadable: material %s", material.pk)
    return None


def _hhmm(value) -> str:
    return timezone.localtime(value).strftime("%H:%M")


def exam_rules(sitting) -> list[str]:
    """The rules printed on the ticket, from the program's exam settings (translated)."""
    rules = exam_settings(sitting.program)
    starts, ends = sitting.starts_at, sitting.ends_at
    lines = [_("Bring the identity document you registered with; the photo on this ticket must show you.")]
    if sitting.kind == sitting.Kind.MOCK:
        lines.append(_("This is a mock test: it is not scored and gives no result or certificate. "
                       "You may enter at any time between %(start)s and %(end)s.")
                     % {"start": _hhmm(starts), "end": _hhmm(ends)})
    else:
        opens = int(rules["entry_opens_minutes"])
        late = int(rules["late_entry_minutes"])
        earliest = int(rules["earliest_hand_in_minutes"])
        lines += [
            _("Log in from %(time)s (%(minutes)s minutes before the start) to check your devices.")
            % {"time": _hhmm(starts - timedelta(minutes=opens)), "minutes": opens},
            _("Entry closes at %(time)s (%(minutes)s minutes after the start); later candidates cannot enter.")
            % {"time": _hhmm(starts + timedelta(minutes=late)), "minutes": late},
            _("You may hand in from %(time)s (%(minutes)s minutes after the start). At %(end)s the paper is handed "
              "in automatically.") % {"time": _hhmm(starts + timedelta(minutes=earliest)), "minutes": earliest,
                                      "end": _hhmm(ends)},
            _("Each candidate has %(count)s attempt(s) at this sitting; a handed-in paper cannot be reopened.")
            % {"count": int(rules["attempts_per_sitting"])},
        ]
    if rules.get("entry_identity") == "admission_and_id":
        lines.append(_("At entry you type your admission number (or the phone number you registered with) and your "
                       "ID document number."))
    notes = str(rules.get("admission_ticket_notes") or "")
    lines += [line.strip() for line in notes.splitlines() if line.strip()]
    return lines


def ticket_data(candidate: Candidate) -> dict:
    """Everything printed on ``candidate``'s ticket (strings, plus the photo bytes)."""
    sitting, enrolment = candidate.sitting, candidate.enrolment
    learner = enrolment.learner
    starts, ends = timezone.localtime(sitting.starts_at), timezone.localtime(sitting.ends_at)
    return {
        "name": learner.get_full_name(),
        "document_number": mask_document_number(learner.document_number or ""),
        "admission_number": candidate.admission_number,
        "program": sitting.program.display_name,
        "level": enrolment.level.name,
        "sitting": sitting.title or sitting.get_kind_display(),
        "date": starts.strftime("%Y-%m-%d"),
        "time": f"{starts:%H:%M}–{ends:%H:%M}",
        "rules": exam_rules(sitting),
        "photo": registration_photo(enrolment),
    }


def _draw_photo(c, photo: bytes | None, x, y, w, h, font) -> None:
    c.setStrokeColor(MUTED)
    c.setLineWidth(0.8)
    c.rect(x, y, w, h, stroke=1, fill=0)
    if photo:
        try:
            c.drawImage(ImageReader(BytesIO(photo)), x, y, width=w, height=h, preserveAspectRatio=True, anchor="c")
            return
        except Exception:  # noqa: BLE001 - a broken photo leaves the frame to glue one in
            logger.warning("Admission ticket photo could not be drawn")
    c.setFont(font, 10)
    c.setFillColor(MUTED)
    c.drawCentredString(x + w / 2, y + h / 2, _("Photo"))


def _draw_ticket(c, data: dict, font: str) -> None:
    width, height = A4
    left, right = 20 * mm, width - 20 * mm
    c.setFillColor(ACCENT)
    c.setFont(font, 26)
    c.drawCentredString(width / 2, height - 30 * mm, _("Admission ticket"))
    c.setFillColor(INK)
    c.setFont(font, 13)
    c.drawCentredString(width / 2, height - 40 * mm, data["program"])
    c.setStrokeColor(ACCENT)
    c.setLineWidth(1.2)
    c.line(left, height - 46 * mm, right, height - 46 * mm)

    photo_w, photo_h = 35 * mm, 49 * mm
    _draw_photo(c, data["photo"], right - photo_w, height - 52 * mm - photo_h, photo_w, photo_h, font)

    rows = [
        (_("Name"), data["name"]),
        (_("ID number"), data["document_number"]),
        (_("Admission number"), data["admission_number"]),
        (_("Level"), data["level"]),
        (_("Sitting"), data["sitting"]),
        (_("Exam date"), data["date"]),
        (_("Exam time"), data["time"]),
    ]
    y = height - 60 * mm
    for label, value in rows:
        c.setFont(font, 11)
        c.setFillColor(MUTED)
        c.drawString(left, y, label)
        c.setFont(font, 14)
        c.setFillColor(INK)
        c.drawString(left + 34 * mm, y, str(value))
        y -= 10 * mm

    y -= 4 * mm
    c.setFont(font, 14)
    c.setFillColor(ACCENT)
    c.drawString(left, y, _("Exam rules"))
    y -= 4 * mm
    style = ParagraphStyle("rules", fontName=font, fontSize=11, leading=16, textColor=INK, wordWrap="CJK")
    for number, line in enumerate(data["rules"], start=1):
        paragraph = Paragraph(f"{number}. {_escape(line)}", style)
        _w, h = paragraph.wrap(right - left, y)
        if y - h < 20 * mm:
            break  # a page holds the rules of every program; never print over the footer
        paragraph.drawOn(c, left, y - h)
        y -= h + 2 * mm

    c.setFont(font, 9)
    c.setFillColor(MUTED)
    c.drawString(left, 14 * mm, _("Keep this ticket until your result is released."))


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def render_tickets(tickets: list[dict], title: str) -> bytes:
    """A PDF with one page per ticket (``ticket_data``)."""
    font = register_cjk_font()
    buffer = BytesIO()
    c = canvas.Canvas(buffer, pagesize=A4, pageCompression=1)
    c.setTitle(title)
    with translation.override(settings.LANGUAGE_CODE):
        for data in tickets:
            _draw_ticket(c, data, font)
            c.showPage()
    c.save()
    return buffer.getvalue()


def candidates_of(sitting):
    return (
        Candidate.objects.filter(sitting=sitting)
        .select_related("sitting__program", "enrolment__learner", "enrolment__level")
        .order_by("admission_number")
    )


def ticket_pdf(candidate: Candidate) -> bytes:
    with translation.override(settings.LANGUAGE_CODE):
        data = ticket_data(candidate)
        title = f"{_('Admission ticket')} {candidate.admission_number}"
    return render_tickets([data], title)


def sitting_tickets_pdf(sitting) -> bytes:
    """Every candidate's ticket of ``sitting`` (the exam office's batch); an empty sitting
    gives a PDF with no pages, which views refuse before calling this."""
    with translation.override(settings.LANGUAGE_CODE):
        tickets = [ticket_data(candidate) for candidate in candidates_of(sitting)]
        title = f"{_('Admission tickets')} · {sitting}"
    return render_tickets(tickets, title)
