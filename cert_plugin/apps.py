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

    def load_initial_data(self, fixtures_dir, log):
        """Give program admins the certificate permissions (idempotent)."""
        from cms_site.accounts.roles import PROGRAM_ADMIN, grant

        grant(PROGRAM_ADMIN, "cert_plugin.manage_certificates", "cert_plugin.view_certificate")
