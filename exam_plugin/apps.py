from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExamPluginConfig(AppConfig):
    name = "exam_plugin"
    label = "exam_plugin"
    verbose_name = _("Exams")
    default_auto_field = "django.db.models.BigAutoField"
    # Run by `manage.py run_periodic`: hand-in/release every 30 s; exam-tomorrow push
    # reminders offered every 15 min (each candidate reminded once).
    periodic_jobs = [(30, "exam_auto_hand_in", {}), (900, "exam_reminders", {})]

    class PluginMeta:
        name = _("Online exams")
        version = "1.0"
        description = _("Question bank, papers, mock tests, formal exams, grading and results.")
        enable_consequence = _(
            "Learners of this program can sign up for exam sittings, take mock tests and formal exams "
            "and see their results."
        )
        disable_consequence = _(
            "Learners of this program will no longer see online exams: they can no longer sign up, take "
            "mock tests or formal exams, or see their results. Papers, answers and results are kept and "
            "show again when exams are switched back on."
        )
        depends_on = ()
        restricted = False
        settings_form = "exam_plugin.forms.ExamSettingsForm"
        url_segment = "exam"

    def ready(self):
        from . import receivers  # noqa: F401  (connect receivers)

    def load_initial_data(self, fixtures_dir, log):
        """Knowledge points, blueprints, calendar rules, sample bank, sittings."""
        from .initial_data import load

        load(fixtures_dir, log)
