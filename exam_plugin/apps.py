from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExamPluginConfig(AppConfig):
    name = "exam_plugin"
    label = "exam_plugin"
    verbose_name = _("Exams")
    default_auto_field = "django.db.models.BigAutoField"
    # Run by `manage.py run_periodic`.
    periodic_jobs = [(30, "exam_auto_hand_in", {})]

    class PluginMeta:
        name = _("Exams")
        version = "1.0"
        description = _("Question bank, papers, mock tests, formal exams, grading and results.")
        depends_on = ()
        restricted = False
        settings_form = "exam_plugin.forms.ExamSettingsForm"
        url_segment = "exam"

    def ready(self):
        from . import signals  # noqa: F401

    def load_initial_data(self, fixtures_dir, log):
        """Knowledge points, blueprints, calendar rules, sample bank, sittings."""
        from .initial_data import load

        load(fixtures_dir, log)
