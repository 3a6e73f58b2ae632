"""Devices that receive web push for a user."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PushSubscription(models.Model):
    """One device (browser profile) that agreed to receive web push for a user.

    ``endpoint`` is the push service's capability URL for that browser; it is unique and
    stays with the user who subscribed it (``services.push.subscribe`` never moves it to another
    user: a browser that changes hands subscribes afresh and gets a new endpoint).
    ``language`` is the UI language active when the device subscribed; messages are
    translated into it.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="push_subscriptions",
        verbose_name=_("user"),
    )
    endpoint = models.URLField(_("endpoint"), max_length=2048, unique=True)
    p256dh = models.CharField(_("public key"), max_length=128)
    auth = models.CharField(_("auth secret"), max_length=64)
    language = models.CharField(_("language"), max_length=16)
    user_agent = models.CharField(_("device"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("subscribed at"), auto_now_add=True)
    last_delivered_at = models.DateTimeField(_("last delivered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("push subscription")
        verbose_name_plural = _("push subscriptions")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.user} · {self.user_agent[:40]}"

    def subscription_info(self):
        """The dict pywebpush expects."""
        return {"endpoint": self.endpoint, "keys": {"p256dh": self.p256dh, "auth": self.auth}}
