"""The certificate rules: when one is issued, with which number and dates; revoke, re-issue.

Issue rule: an enrolment gets a certificate when it has a passed, valid (not invalidated)
exam result **and** its level's class hours are met. Whichever of the two arrives last
triggers the issue (``consider``), which runs as a background task so no page waits for a
PDF. ``issue_certificate`` re-checks everything under a row lock, so a duplicate task or a
race between the two triggers issues at most one certificate per exam pass (and the
``cert_one_valid_per_enrolment`` constraint backs that up).

Dates (per-program settings, Chinese working days): issued ``issue_lag_working_days`` after
the pass, searchable ``search_lag_working_days`` after it.
"""

import hashlib
import logging
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from course_content.services.calendar import add_working_days
from course_content.services.ledger import class_hours, hours_met
from plugins.services import get_settings, is_enabled

from ..models import Certificate, ExamPass, HolderPhoto
from ..signals import certificate_issued
from . import numbering

logger = logging.getLogger(__name__)

LABEL = "cert_plugin"
NUMBER_ATTEMPTS = 8


@dataclass(frozen=True)
class CertificateDates:
    issue_date: date
    searchable_from: date


def certificate_dates(program, passed_on: date, rules: dict | None = None) -> CertificateDates:
    """Issue and search dates for a pass on ``passed_on`` under the program's lags."""
    rules = rules if rules is not None else get_settings(program, LABEL)
    return CertificateDates(
        issue_date=add_working_days(passed_on, int(rules["issue_lag_working_days"])),
        searchable_from=add_working_days(passed_on, int(rules["search_lag_working_days"])),
    )


def certificate_title(program, level, rules: dict | None = None) -> str:
    rules = rules if rules is not None else get_settings(program, LABEL)
    title = rules.get(f"title_{level.code}")
    return title or f"{program.full_name or program.title}（{level.name}）"


# --- the plugin's own record of exam results -------------------------------------------


@transaction.atomic
def invalidate_result(enrolment, *, result_id, reason) -> list[Certificate]:
    """Mark the pass invalid and revoke every valid certificate issued on it."""
    exam_pass = ExamPass.objects.select_for_update().filter(enrolment=enrolment, result_id=str(result_id)).first()
    if exam_pass is None:
        # The invalidation overtook the pass: remember it, so the late pass issues nothing.
        ExamPass.objects.create(
            enrolment=enrolment, result_id=str(result_id), invalidated_at=timezone.now(),
            invalidation_reason=reason or "",
        )
        return []
    if exam_pass.invalidated_at is None:
        exam_pass.invalidated_at = timezone.now()
        exam_pass.invalidation_reason = reason or ""
        exam_pass.save(update_fields=["invalidated_at", "invalidation_reason"])
    revoked = []
    for certificate in exam_pass.certificates.filter(status=Certificate.Status.VALID):
        revoke(certificate, reason=_("Exam result invalidated: %(reason)s") % {"reason": reason or "-"})
        revoked.append(certificate)
    return revoked


def remember_photo(learner, photo_path) -> None:
    if photo_path:
        HolderPhoto.objects.update_or_create(learner=learner, defaults={"path": str(photo_path)})


# --- the issue rule ----------------------------------------------------------------------


def eligible_pass(enrolment) -> ExamPass | None:
    """The pass a certificate would be issued on now, or None.

    None when there is no valid pass without a certificate, the enrolment already holds a
    valid certificate, or the level's hours are not met.
    """
    if Certificate.objects.filter(enrolment=enrolment, status=Certificate.Status.VALID).exists():
        return None
    exam_pass = (
        ExamPass.objects.filter(enrolment=enrolment, invalidated_at__isnull=True, certificates__isnull=True)
        .order_by("-passed_on", "-pk")
        .first()
    )
    if exam_pass is None or not hours_met(enrolment):
        return None
    return exam_pass


def _holder_fields(enrolment) -> dict:
    learner = enrolment.learner
    return {
        "holder_name": learner.real_name or learner.get_full_name(),
        "document_type": learner.document_type or "",
        "document_number": learner.document_number or "",
    }


def _create_with_fresh_number(prefix: str, year: int, **fields) -> Certificate:
    for _attempt in range(NUMBER_ATTEMPTS):
        try:
            with transaction.atomic():
                return Certificate.objects.create(number=numbering.new_number(prefix, year), **fields)
        except IntegrityError:
            if Certificate.objects.filter(
                enrolment=fields["enrolment"], status=Certificate.Status.VALID
            ).exists():
                raise
            continue  # a number collision: draw again
    raise IntegrityError("could not draw a unique certificate number")


def issue_certificate(exam_pass_id: int, *, render: bool = True) -> Certificate | None:
    """Issue the certificate for one pass if the rule holds; None when it does not.

    Safe to call repeatedly (a duplicate task does nothing); issues nothing while the plugin
    is off for the program. The PDF is drawn after the
    record is committed; if drawing fails, ``ensure_pdf`` draws it on first download.
    """
    with transaction.atomic():
        exam_pass = (
            ExamPass.objects.select_for_update()
            .select_related("enrolment__learner", "enrolment__program", "enrolment__level")
            .filter(pk=exam_pass_id)
            .first()
        )
        if exam_pass is None or not exam_pass.is_valid or exam_pass.certificates.exists():
            return None
        enrolment = exam_pass.enrolment
        if Certificate.objects.filter(enrolment=enrolment, status=Certificate.Status.VALID).exists():
            return None
        hours = class_hours(enrolment)
        if hours < enrolment.level.required_hours:
            return None
        program, level = enrolment.program, enrolment.level
        if not is_enabled(program, LABEL):  # switched off after the task was queued
            return None
        rules = get_settings(program, LABEL)  # read once per certificate
        dates = certificate_dates(program, exam_pass.passed_on, rules)
        try:
            certificate = _create_with_fresh_number(
                rules["number_prefix"],
                dates.issue_date.year,
                enrolment=enrolment,
                learner=enrolment.learner,
                program=program,
                exam_pass=exam_pass,
                program_name=program.full_name or program.title,
                level_code=level.code,
                level_name=level.name,
                title=certificate_title(program, level, rules),
                issuer=rules["issuer"],
                class_hours=hours,
                passed_on=exam_pass.passed_on,
                issue_date=dates.issue_date,
                searchable_from=dates.searchable_from,
                **_holder_fields(enrolment),
            )
        except IntegrityError:
            return None  # a concurrent task issued it first
        log(instance=certificate, action="cert_plugin.issue", data={"number": certificate.number})
    if render:
        try:
            ensure_pdf(certificate)
        except Exception:  # noqa: BLE001 - the record stands; the PDF is drawn again on download
            logger.exception("Drawing the PDF of certificate %s failed", certificate.number)
    _announce(certificate)
    return certificate


def _announce(certificate: Certificate) -> None:
    certificate_issued.send_robust(sender=certificate.program, certificate=certificate)


# --- PDF -----------------------------------------------------------------------------------


def certificate_print_data(certificate: Certificate) -> dict:
    from .pdf import verify_url

    photo = HolderPhoto.objects.filter(learner_id=certificate.learner_id).values_list("path", flat=True).first()
    return {
        "number": certificate.number,
        "holder_name": certificate.holder_name,
        "document_number": certificate.document_number,
        "program_name": certificate.program_name,
        "level_name": certificate.level_name,
        "title": certificate.title,
        "issuer": certificate.issuer,
        "class_hours": f"{certificate.class_hours}",
        "issue_date": f"{certificate.issue_date:%Y-%m-%d}",
        "verify_url": verify_url(certificate.number),
        "photo_path": photo,
    }


def pdf_storage():
    return storages["private"]


def ensure_pdf(certificate: Certificate, *, force: bool = False) -> str:
    """Draw, sign and store the certificate's PDF if it is missing; returns its storage name."""
    from .pdf import render_certificate
    from .signing import sign_pdf

    storage = pdf_storage()
    if certificate.pdf_path and not force and storage.exists(certificate.pdf_path):
        return certificate.pdf_path
    unsigned = render_certificate(certificate_print_data(certificate))
    signed = sign_pdf(unsigned, reason=f"{certificate.issuer} · {certificate.number}")
    name = f"cert_plugin/{certificate.issue_date:%Y}/{certificate.number}.pdf"
    if storage.exists(name):
        storage.delete(name)
    stored = storage.save(name, ContentFile(signed))
    certificate.pdf_path = stored
    certificate.pdf_sha256 = hashlib.sha256(signed).hexdigest()
    Certificate.objects.filter(pk=certificate.pk).update(pdf_path=stored, pdf_sha256=certificate.pdf_sha256)
    return stored


def read_pdf(certificate: Certificate) -> bytes:
    name = ensure_pdf(certificate)
    with pdf_storage().open(name, "rb") as fh:
        return fh.read()


# --- admin actions --------------------------------------------------------------------------


@transaction.atomic
def revoke(certificate: Certificate, *, reason: str, user=None) -> Certificate:
    """Revoke a valid certificate; the public record then shows the date and reason."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Please give the reason for revoking the certificate."))
    locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if locked.status != Certificate.Status.VALID:
        raise ValidationError(_("Only a valid certificate can be revoked."))
    locked.status = Certificate.Status.REVOKED
    locked.revoked_at = timezone.now()
    locked.revoke_reason = reason[:500]
    locked.save(update_fields=["status", "revoked_at", "revoke_reason"])
    log(instance=locked, action="cert_plugin.revoke", user=user, data={"reason": locked.revoke_reason})
    certificate.refresh_from_db()
    return locked


def reissue(certificate: Certificate, *, user=None, today: date | None = None) -> Certificate:
    """Replace a valid certificate with a new one (new number, holder data as they are now).

    The old record shows as *replaced* and points to the new one. The new one keeps the
    pass date; it is issued and searchable no earlier than the old one, nor before today.
    """
    today = today or timezone.localdate()
    with transaction.atomic():
        old = Certificate.objects.select_for_update().select_related("enrolment__learner", "program").get(pk=certificate.pk)
        if old.status != Certificate.Status.VALID:
            raise ValidationError(_("Only a valid certificate can be re-issued."))
        old.status = Certificate.Status.REPLACED
        old.save(update_fields=["status"])
        rules = get_settings(old.program, LABEL)
        issue_date = max(old.issue_date, today)
        new = _create_with_fresh_number(
            rules["number_prefix"],
            issue_date.year,
            enrolment=old.enrolment,
            learner=old.learner,
            program=old.program,
            exam_pass=old.exam_pass,
            program_name=old.program_name,
            level_code=old.level_code,
            level_name=old.level_name,
            title=certificate_title(old.program, old.enrolment.level),
            issuer=rules["issuer"],
            class_hours=class_hours(old.enrolment),
            passed_on=old.passed_on,
            issue_date=issue_date,
            searchable_from=max(old.searchable_from, issue_date),
            **_holder_fields(old.enrolment),
        )
        old.replaced_by = new
        old.save(update_fields=["replaced_by"])
        log(instance=old, action="cert_plugin.reissue", user=user, data={"new_number": new.number})
    ensure_pdf(new)
    _announce(new)
    certificate.refresh_from_db()
    return new
