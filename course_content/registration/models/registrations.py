"""Registrations and their materials.

A ``Registration`` is a candidate's application for one (program, level). It stays a
draft (editable, files accepted one by one) until submitted; a reviewer approves it
(the enrolment is created) or rejects it with a reason (the candidate or their training
organisation fixes and resubmits it: the same row, nothing re-entered).
"""

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.core.files.storage import storages
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from cms_site.accounts.services.identity import DocumentType

from .eligibility import CertificateLevel, Education
from .organisations import TrainingOrganisation


def private_storage():
    """``storages["private"]``: outside MEDIA_ROOT, served only by a permission-checked view."""
    return storages["private"]


def material_upload_to(instance, filename):
    """Random names in a per-registration folder: nothing guessable, nothing user-typed."""
    suffix = PurePosixPath(filename).suffix.lower()[:8]
    return f"registrations/{instance.registration_id}/{instance.kind}-{uuid.uuid4().hex}{suffix}"


class Registration(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted, waiting for review")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Returned for correction")

    program = models.ForeignKey("course_content.ProgramPage", on_delete=models.CASCADE, related_name="registrations")
    level = models.ForeignKey("course_content.ProgramLevel", on_delete=models.PROTECT, related_name="registrations")
    candidate = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="registrations", null=True, blank=True,
        help_text=_("Empty for candidates an organisation registered who have no account yet."),
    )
    organisation = models.ForeignKey(
        TrainingOrganisation, on_delete=models.PROTECT, related_name="registrations", null=True, blank=True,
        verbose_name=_("training organisation"),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)

    real_name = models.CharField(_("real name"), max_length=100, blank=True)
    document_type = models.CharField(
        _("identity document type"), max_length=20, choices=DocumentType.choices, default=DocumentType.MAINLAND_ID
    )
    document_number = models.CharField(_("document number"), max_length=32, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("email"), blank=True)

    education = models.CharField(_("education"), max_length=30, choices=Education.choices, blank=True)
    major = models.CharField(_("major"), max_length=100, blank=True)
    related_major = models.BooleanField(_("the major is related (environment, energy …)"), default=False)
    work_years = models.PositiveSmallIntegerField(
        _("years of related work"), default=0, validators=[MaxValueValidator(60)]
    )
    is_current_student = models.BooleanField(_("currently a university or vocational student"), default=False)
    lower_certificate_years = models.PositiveSmallIntegerField(
        _("years holding this program's lower-level certificate"), null=True, blank=True,
        validators=[MaxValueValidator(60)], help_text=_("Leave empty if you do not hold it."),
    )
    other_certificate_level = models.CharField(
        _("other vocational/skill certificate or title"), max_length=20, choices=CertificateLevel.choices, blank=True
    )
    other_certificate_years = models.PositiveSmallIntegerField(
        _("years holding the other certificate or title"), default=0, validators=[MaxValueValidator(60)]
    )

    exam_sitting_id = models.CharField(_("exam sitting"), max_length=64, blank=True)
    exam_sitting_label = models.CharField(_("exam sitting"), max_length=200, blank=True)
    exam_sitting_starts_at = models.DateTimeField(null=True, blank=True)

    eligibility_rule = models.CharField(_("eligibility rule met"), max_length=200, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    review_deadline = models.DateField(_("review deadline"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    rejection_reason = models.TextField(_("reason for returning"), blank=True)
    enrolment = models.ForeignKey(
        "course_content.Enrolment", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["-created_at"]
        permissions = [("review_registration", _("Can review registrations"))]
        indexes = [models.Index(fields=["status", "review_deadline"])]

    def __str__(self):
        return f"{self.real_name or self.document_number} · {self.level}"

    @property
    def is_editable(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.REJECTED)

    def material(self, kind):
        return next((m for m in self.materials.all() if m.kind == kind), None)


class Material(models.Model):
    """One uploaded file of a registration, in private storage (never under the web root)."""

    class Kind(models.TextChoices):
        APPLICATION_FORM = "application_form", _("Signed application form (报名审核表)")
        ID_FRONT = "id_front", _("ID card, front")
        ID_BACK = "id_back", _("ID card, back")
        DIPLOMA = "diploma", _("Diploma copy")
        PHOTO = "photo", _("2-inch blue-background colour photo")
        WORK_PROOF = "work_proof", _("Proof of work")
        OTHER_PROOF = "other_proof", _("Other proof (certificates, student status)")

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="materials")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    file = models.FileField(_("file"), storage=private_storage, upload_to=material_upload_to, max_length=255)
    content_type = models.CharField(max_length=100)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveIntegerField(_("size"))
    uploaded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("material")
        verbose_name_plural = _("materials")
        constraints = [models.UniqueConstraint(fields=["registration", "kind"], name="one_material_per_kind")]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.original_name}"
