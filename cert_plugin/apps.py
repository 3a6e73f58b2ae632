from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertPluginConfig(AppConfig):
    name = "cert_plugin"
    label = "cert_plugin"
    verbose_name = _("Certificates")
    default_auto_field = "django.db.models.BigAutoField"

    class PluginMeta:
        name = _("Certificates")
        version = "1.0"
        description = _("Certificate issue and numbering, signed PDF, public verification and lookup.")
        depends_on = ()
        restricted = False
        settings_form = "cert_plugin.forms.CertSettingsForm"
        url_segment = "certificates"

    def ready(self):
        from . import signals  # noqa: F401
