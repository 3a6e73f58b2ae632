from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProctorPluginConfig(AppConfig):
    name = "proctor_plugin"
    label = "proctor_plugin"
    verbose_name = _("Proctoring")
    default_auto_field = "django.db.models.BigAutoField"

    class PluginMeta:
        name = _("Online proctoring")
        version = "1.0"
        description = _("Face verification, exam-room rules, snapshots, second camera and the proctor console.")
        depends_on = ("exam_plugin",)
        restricted = False
        settings_form = "proctor_plugin.forms.ProctorSettingsForm"
        url_segment = "proctor"

    def ready(self):
        from . import signals  # noqa: F401
