"""Notices that reach a user at most once (``services.push.notify(..., once_key=…)``)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PushNotice(models.Model):
    """A notice that must reach a user at most once (``services.push.notify(..., once_key=…)``),
    e.g. the exam-tomorrow reminder of one candidate: periodic jobs may offer it on every
    run, the first offer to a user with a device records it here and later ones are skipped."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("user"))
    key = models.CharField(_("notice key"), max_length=200)
    kind = models.CharField(_("message kind"), max_length=50)
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("push notice")
        verbose_name_plural = _("push notices")
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="pwa_push_notice_once")]

    def __str__(self):
        return f"{self.user} · {self.key}"
