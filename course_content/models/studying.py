from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class StudyDevice(models.Model):
    """A source of heartbeats for one learner: an open lesson tab or an offline client.

    It keeps the replay watermark: heartbeats carry a sequence number that must grow per
    device, so a heartbeat sent (or replayed) twice is recognised and never credited twice.
    ``last_received_at`` is the **server** time of the last accepted online heartbeat; it
    bounds the credit of the next one.
    """

    learner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="study_devices")
    device_id = models.CharField(_("device"), max_length=64)
    last_seq = models.BigIntegerField(_("last sequence number"), default=0)
    last_ended_at = models.DateTimeField(_("last heartbeat ended at"), null=True, blank=True)
    last_received_at = models.DateTimeField(_("last heartbeat received at"), null=True, blank=True)

    class Meta:
        verbose_name = _("study device")
        verbose_name_plural = _("study devices")
        constraints = [models.UniqueConstraint(fields=["learner", "device_id"], name="unique_study_device")]

    def __str__(self):
        return f"{self.learner_id}:{self.device_id}"
