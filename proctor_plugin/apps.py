"""Proctoring: face checks, exam-room rules, snapshots, second camera, console."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProctorPluginConfig(AppConfig):
    name = "proctor_plugin"
    label = "proctor_plugin"
    verbose_name = _("Proctoring")
    default_auto_field = "django.db.models.BigAutoField"
    # Run by `manage.py run_periodic`.
    periodic_jobs = [(15, "proctor_enforce", {}), (86400, "purge_proctor_photos", {})]

    class PluginMeta:
        name = _("Online proctoring")
        version = "1.0"
        description = _("Face verification, exam-room rules, snapshots, second camera and the proctor console.")
        enable_consequence = _(
            "Candidates of this program's formal exams must pass the face check and follow the exam-room "
            "rules set below (leaves, full screen, second camera); proctors watch them in the console."
        )
        disable_consequence = _(
            "This program's formal exams will run without proctoring: no face check, no exam-room rules, "
            "no snapshots and no second camera. Proctoring records already taken are kept."
        )
        depends_on = ("exam_plugin",)
        restricted = False
        settings_form = "proctor_plugin.forms.ProctorSettingsForm"
        url_segment = "proctor"

    def ready(self):
        from . import receivers  # noqa: F401

    def load_initial_data(self, fixtures_dir, log):
        """Give the roles their proctoring permissions (idempotent): proctors watch the
        sittings assigned to them, program admins (chief proctors) every sitting."""
        from cms_site.accounts.services import roles

        roles.grant(roles.PROCTOR, "proctor_plugin.invigilate")
        roles.grant(roles.PROGRAM_ADMIN, "proctor_plugin.invigilate", "proctor_plugin.supervise_all_sittings")
        log("  proctor permissions granted to Proctors and Program admins")
