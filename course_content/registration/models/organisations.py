"""Authorised training organisations and their member accounts."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TrainingOrganisation(models.Model):
    """An authorised local training organisation (合作机构). Its member accounts
    register candidates (singly or in batch) and follow their review status."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    region = models.CharField(_("region"), max_length=100, blank=True)
    contact = models.CharField(_("contact"), max_length=200, blank=True)
    is_active = models.BooleanField(_("authorised"), default=True)
    programs = models.ManyToManyField(
        "course_content.ProgramPage", related_name="training_organisations", blank=True,
        verbose_name=_("authorised programs"),
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="training_organisations", blank=True,
        verbose_name=_("organisation accounts"),
    )

    class Meta:
        verbose_name = _("training organisation")
        verbose_name_plural = _("training organisations")
        ordering = ["name"]

    def __str__(self):
        return self.name
