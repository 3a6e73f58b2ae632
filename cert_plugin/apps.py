from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertPluginConfig(AppConfig):
    name = "cert_plugin"
    label = "cert_plugin"
    verbose_name = _("Certificates")
    default_auto_field = "django.db.models.BigAutoField"
    # Run by `manage.py run_periodic`: "certificate issued" push on the issue date.
    periodic_jobs = [(3600, "cert_issue_notices", {})]

    class PluginMeta:
        name = _("Certificates")
        version = "1.0"
        description = _("Certificate issue and numbering, signed PDF, public verification and lookup.")
        enable_consequence = _(
            "Learners of this program who pass the exam and complete the class hours receive a certificate "
            "on the dates set below; anyone can verify it online."
        )
        disable_consequence = _(
            "This program will issue no new certificates, and learners will no longer see the certificate "
            "service on their dashboard. Certificates already issued stay valid: their holders can still "
            "open and download them, and anyone can still verify them."
        )
        depends_on = ()
        restricted = False
        settings_form = "cert_plugin.forms.CertSettingsForm"
        url_segment = "certificates"

    def ready(self):
        from . import receivers  # noqa: F401

    def load_initial_data(self, fixtures_dir, log):
        """Give program admins the certificate permissions (idempotent)."""
        from cms_site.accounts.services.roles import PROGRAM_ADMIN, grant

        grant(PROGRAM_ADMIN, "cert_plugin.manage_certificates", "cert_plugin.view_certificate")
