from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistrationConfig(AppConfig):
    name = "course_content.registration"
    label = "registration"
    verbose_name = _("Registration")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import receivers  # noqa: F401 - connects the program-page panel

    def load_initial_data(self, fixtures_dir, log):
        """Eligibility rules from ``fixtures/registration/`` and the reviewers' permissions."""
        from .initial_data import grant_reviewer_permissions, load_eligibility_rules

        load_eligibility_rules(fixtures_dir / "registration" / "eligibility.toml", log)
        grant_reviewer_permissions()
