"""What a certificate is issued on: the exam passes the exam plugin announced and the
holder's approved photo (written by the receivers of core signals)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ExamPass(models.Model):
    """A released, passed exam result of an enrolment, as the exam plugin announced it.

    ``result_id`` is the exam plugin's opaque reference. An invalidated pass never leads
    to a certificate (and revokes one already issued on it).
    """

    enrolment = models.ForeignKey("course_content.Enrolment", on_delete=models.CASCADE, related_name="cert_exam_passes")
    result_id = models.CharField(_("exam result"), max_length=64)
    # Empty only for an invalidation that arrived before its pass (kept so the late pass is ignored).
    score = models.DecimalField(_("score"), max_digits=6, decimal_places=2, null=True, blank=True)
    passed_on = models.DateField(_("passed on"), null=True, blank=True)
    invalidated_at = models.DateTimeField(_("invalidated at"), null=True, blank=True)
    invalidation_reason = models.CharField(_("invalidation reason"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("exam pass")
        verbose_name_plural = _("exam passes")
        ordering = ["-passed_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "result_id"], name="cert_unique_exam_pass"),
        ]

    def __str__(self):
        return f"{self.enrolment} · {self.result_id}"

    @property
    def is_valid(self) -> bool:
        return self.invalidated_at is None


class HolderPhoto(models.Model):
    """The approved registration photo of a learner, printed on their certificates.

    ``path`` is an absolute path in private storage (``registration_approved``'s
    ``photo_path``); the file is read when a PDF is drawn and skipped if it is gone.
    """

    learner = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cert_photo")
    path = models.CharField(_("photo file"), max_length=500)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("holder photo")
        verbose_name_plural = _("holder photos")

    def __str__(self):
        return self.path
