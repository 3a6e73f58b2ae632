"""``ProgramPlugin``: one row per (program, plugin) with its on/off state and settings."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ProgramPlugin(models.Model):
    """Whether a plugin is on for a program, and its settings for that program.

    One row per (program, plugin) once it has ever been configured; no row means off with
    default settings. Settings are validated through the plugin's settings form before
    they are stored (``plugins.services.save_settings``).
    """

    program = models.ForeignKey(
        settings.PLUGINS_PROGRAM_MODEL, on_delete=models.CASCADE, related_name="plugin_states"
    )
    plugin = models.CharField(_("plugin"), max_length=100)
    enabled = models.BooleanField(_("enabled"), default=False)
    settings = models.JSONField(_("settings"), default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("program plugin")
        verbose_name_plural = _("program plugins")
        constraints = [
            models.UniqueConstraint(fields=["program", "plugin"], name="unique_program_plugin")
        ]
        permissions = [("manage_program_plugins", _("Can switch plugins and change their settings"))]

    def __str__(self):
        state = "on" if self.enabled else "off"
        return f"{self.program_id}:{self.plugin}={state}"
