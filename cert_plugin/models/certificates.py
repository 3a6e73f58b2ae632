"""The issued certificate record (the aggregate the verification page shows)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .passes import ExamPass


class Certificate(models.Model):
    """An issued certificate: the record the public verification page shows.

    Holder and program fields are copied at issue time, so the record stays what was
    printed even if the account or program is edited later; a correction is a re-issue
    (new number, the old certificate becomes *replaced*).

    Visibility follows the dates, not a later job: the learner sees "to be issued on
    ``issue_date``" until that day; the verify URL answers from ``issue_date``; the public
    lookup finds it from ``searchable_from``.
    """

    class Status(models.TextChoices):
        VALID = "valid", _("Valid")
        REVOKED = "revoked", _("Revoked")
        REPLACED = "replaced", _("Replaced")

    number = models.CharField(_("certificate number"), max_length=40)
    enrolment = models.ForeignKey("course_content.Enrolment", on_delete=models.PROTECT, related_name="certificates")
    learner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="certificates")
    program = models.ForeignKey("course_content.ProgramPage", on_delete=models.PROTECT, related_name="certificates")
    exam_pass = models.ForeignKey(ExamPass, on_delete=models.PROTECT, related_name="certificates")

    holder_name = models.CharField(_("holder"), max_length=100)
    document_type = models.CharField(_("identity document type"), max_length=20)
    document_number = models.CharField(_("document number"), max_length=32, db_index=True)
    program_name = models.CharField(_("program"), max_length=200)
    level_code = models.CharField(_("level code"), max_length=20)
    level_name = models.CharField(_("level"), max_length=50)
    title = models.CharField(_("certificate title"), max_length=200)
    issuer = models.CharField(_("issuer"), max_length=200)
    class_hours = models.DecimalField(_("class hours"), max_digits=7, decimal_places=1)
    passed_on = models.DateField(_("passed on"))
    issue_date = models.DateField(_("issue date"))
    searchable_from = models.DateField(_("searchable from"))

    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.VALID)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoke_reason = models.CharField(_("revocation reason"), max_length=500, blank=True)
    replaced_by = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="replaces", verbose_name=_("replaced by")
    )
    pdf_path = models.CharField(_("PDF file"), max_length=300, blank=True)
    pdf_sha256 = models.CharField(_("PDF SHA-256"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-issue_date", "-pk"]
        permissions = [("manage_certificates", _("Can revoke, re-issue and batch-issue certificates"))]
        constraints = [
            models.UniqueConstraint(fields=["number"], name="cert_unique_number"),
            models.UniqueConstraint(
                fields=["enrolment"], condition=models.Q(status="valid"), name="cert_one_valid_per_enrolment"
            ),
        ]
        indexes = [models.Index(fields=["program", "passed_on"])]

    def __str__(self):
        return self.number

    def is_issued(self, today=None) -> bool:
        return (today or timezone.localdate()) >= self.issue_date

    def is_searchable(self, today=None) -> bool:
        return (today or timezone.localdate()) >= self.searchable_from
