from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "tests.plugins.check_apps.consequence"
    label = "check_consequence"

    class PluginMeta:
        name = "Consequence"
        version = "1"
        description = _("a translated description is fine")
        enable_consequence = _("Learners see the check service.")
        disable_consequence = ["not", "a", "sentence"]
