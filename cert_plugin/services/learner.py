"""What a learner sees of their certificates (dashboard card, "my certificates")."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Case, Value, When

from course_content.services.ledger import class_hours

from ..models import Certificate, ExamPass


@dataclass(frozen=True)
class CertificateStatus:
    """One line of a learner's certificate status for an enrolment.

    ``state``: ``issued`` (downloadable), ``scheduled`` (to be issued on ``issue_date``),
    ``processing`` (due; the background task has not finished), ``hours_missing`` (passed,
    class hours not yet met), ``revoked``.
    """

    state: str
    certificate: Certificate | None = None
    issue_date: date | None = None
    earned_hours: object = None
    required_hours: object = None


def enrolment_certificate_status(enrolment, *, today: date) -> CertificateStatus | None:
    certificate = (
        Certificate.objects.filter(enrolment=enrolment, status=Certificate.Status.VALID).first()
        or Certificate.objects.filter(enrolment=enrolment).order_by("-created_at").first()
    )
    if certificate is not None and certificate.status == Certificate.Status.VALID:
        if certificate.is_issued(today):
            return CertificateStatus("issued", certificate, certificate.issue_date)
        return CertificateStatus("scheduled", certificate, certificate.issue_date)
    has_pass = ExamPass.objects.filter(enrolment=enrolment, invalidated_at__isnull=True, certificates__isnull=True).exists()
    if has_pass:
        earned, required = class_hours(enrolment), enrolment.level.required_hours
        if earned < required:
            return CertificateStatus("hours_missing", earned_hours=earned, required_hours=required)
        return CertificateStatus("processing")
    if certificate is not None and certificate.status == Certificate.Status.REVOKED:
        return CertificateStatus("revoked", certificate)
    return None


def learner_certificates(learner, program) -> list[Certificate]:
    """The learner's certificates in ``program``, valid first, then the history."""
    valid_first = Case(When(status=Certificate.Status.VALID, then=Value(0)), default=Value(1))
    return list(
        Certificate.objects.filter(learner=learner, program=program).order_by(valid_first, "-issue_date", "-pk")
    )
