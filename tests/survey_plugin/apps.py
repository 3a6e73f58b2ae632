"""Step 1 of docs/plugins.md: the app config with its metadata and hooks."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveyPluginConfig(AppConfig):
    name = "tests.survey_plugin"
    label = "survey_plugin"
    default_auto_field = "django.db.models.BigAutoField"

    class PluginMeta:
        name = _("Post-exam survey")
        version = "1.0"
        description = _("A short survey for learners after they hand in a formal exam")
        depends_on = ("exam_plugin",)  # it listens to the exam plugin's attempt_submitted
        restricted = False
        settings_form = "tests.survey_plugin.forms.SurveySettingsForm"
        url_segment = "survey"
        disable_consequence = _("Learners of this program get no survey after their exams any more; "
                                "answers already given stay readable for the exam office.")

    def installed(self, program):
        """Switched on for ``program``: let program admins (the exam office) read answers."""
        from cms_site.accounts.services.roles import PROGRAM_ADMIN, grant

        grant(PROGRAM_ADMIN, "survey_plugin.view_surveyanswer")

    def ready(self):
        from . import receivers  # noqa: F401  (connects the receivers)
