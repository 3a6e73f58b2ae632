"""Who fetched whose face image, when and from where (the face-image access log)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class FaceImageAccess(models.Model):
    """One request for a face image (reference photo, face check, review photo or
    snapshot), granted or refused. Written by ``privacy.photo_view`` only, never edited;
    the exam office reads it in the Wagtail admin. ``viewer`` is empty for anonymous
    requests; ``viewer_name`` and ``subject_name`` keep the names if an account goes."""

    class Kind(models.TextChoices):
        ENROLMENT = "enrolment", _("Reference photo")
        FACE_CHECK = "facecheck", _("Face check photo")
        REVIEW = "review", _("Photo uploaded for review")
        SNAPSHOT = "snapshot", _("Snapshot")

    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    viewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("who"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    viewer_name = models.CharField(_("who (user name)"), max_length=150, blank=True)
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("whose face"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    subject_name = models.CharField(_("whose face (user name)"), max_length=150, blank=True)
    kind = models.CharField(_("image"), max_length=12, choices=Kind.choices)
    image_id = models.PositiveBigIntegerField(_("image number"))
    granted = models.BooleanField(_("granted"))
    address = models.GenericIPAddressField(_("from address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("face image access")
        verbose_name_plural = _("face image accesses")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["subject", "-at"])]

    def __str__(self):
        return f"{self.viewer_name or '-'} → {self.subject_name} {self.get_kind_display()} #{self.image_id}"
