"""Which auth group plays which role (``services/roles.py`` grants and finds them)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RoleGroup(models.Model):
    """Which group plays which role in code (``services/roles.py``): the key is stable, the
    group's name is data an administrator may rename (created in Chinese, like page titles)."""

    key = models.CharField(_("role"), max_length=32, unique=True)
    group = models.OneToOneField("auth.Group", on_delete=models.CASCADE, related_name="role", verbose_name=_("group"))

    class Meta:
        verbose_name = _("role group")
        verbose_name_plural = _("role groups")

    def __str__(self):
        return f"{self.key}: {self.group.name}"
