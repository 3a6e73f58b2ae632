"""The exam plugin's receivers, connected from ``ExamPluginConfig.ready``: answers to core
signals (registration, dashboard, program page, curriculum archives, training-room packs)
and push notices on its own ``result_released``."""

from django.dispatch import receiver
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from course_content.registration.signals import (
    exam_sittings_for_registration,
    registration_approved,
)
from course_content.signals import (
    curriculum_export_sections,
    curriculum_import_section,
    enrolment_hours_changed,
)
from packs.signals import (
    pack_practice_bank,
    pack_practice_bank_import,
    pack_results_export,
    pack_results_merge,
)
from plugins.signals import learner_dashboard_panels, plugin_navigation, program_page_context
from plugins.urls import program_url

from .services import archive, offline_packs
from .signals import (
    attempt_contact,
    attempt_hand_in_requested,
    attempt_invalidation_requested,
    attempt_time_compensation_requested,
    result_released,
)


@receiver(exam_sittings_for_registration, dispatch_uid="exam_plugin_sittings_for_registration")
def sittings_for_registration(sender, level, **kwargs):
    from .services.sittings import sign_up_closes_at, upcoming_sittings

    return [
        {"id": str(s.pk), "label": str(s), "starts_at": s.starts_at}
        for s in upcoming_sittings(sender, level)
        if sign_up_closes_at(s) > timezone.now()
    ]


@receiver(learner_dashboard_panels, dispatch_uid="exam_plugin_dashboard_panel")
def dashboard_panel(sender, request, enrolment, **kwargs):
    from .views.learner import exam_overview

    return render_to_string("exam_plugin/dashboard_panel.html", exam_overview(request, enrolment), request=request)


@receiver(program_page_context, dispatch_uid="exam_plugin_program_panel")
def program_panel(sender, request, **kwargs):
    from .services.sittings import derived_dates, upcoming_sittings

    sittings = upcoming_sittings(sender)[:3]
    return render_to_string(
        "exam_plugin/program_panel.html",
        {"sittings": [(s, derived_dates(s)) for s in sittings]},
        request=request,
    )


@receiver(plugin_navigation, dispatch_uid="exam_plugin_navigation")
def navigation(sender, request, **kwargs):
    return [{"label": _("Exams and mock tests"), "url": program_url(sender, "exam_plugin:home")}]


@receiver(registration_approved, dispatch_uid="exam_plugin_admit_on_approval")
def admit_on_approval(sender, registration, enrolment, **kwargs):
    from .services.sittings import admit_registered

    admit_registered(enrolment)


@receiver(enrolment_hours_changed, dispatch_uid="exam_plugin_admit_when_hours_met")
def admit_when_hours_met(sender, enrolment, newly_met=False, **kwargs):
    if newly_met:
        from .services.sittings import admit_registered

        admit_registered(enrolment)


@receiver(result_released, dispatch_uid="exam_plugin_push_result")
def push_result(sender, attempt, **kwargs):
    from .services.notices import announce_result

    announce_result(attempt)


# Requests of plugins that depend on the exam plugin (the proctor plugin): the attempt
# services answer them, so those plugins never import them.


@receiver(attempt_hand_in_requested, dispatch_uid="exam_plugin_hand_in_requested")
def hand_in_on_request(sender, attempt, reason, by=None, **kwargs):
    from .services.attempts import hand_in

    return hand_in(attempt, reason=reason, forced=True, by=by)


@receiver(attempt_time_compensation_requested, dispatch_uid="exam_plugin_time_compensation_requested")
def compensate_on_request(sender, attempt, minutes, reason, by=None, **kwargs):
    from .services.attempts import AttemptError, compensate_time

    try:
        compensate_time(attempt, int(minutes), reason=reason, by=by)
    except AttemptError as err:
        return str(err)
    return None


@receiver(attempt_invalidation_requested, dispatch_uid="exam_plugin_invalidation_requested")
def invalidate_on_request(sender, attempt, reason, by=None, **kwargs):
    from .services.attempts import invalidate

    return invalidate(attempt, reason=reason, by=by)


@receiver(attempt_contact, dispatch_uid="exam_plugin_attempt_contact")
def record_contact(sender, attempt_id, at=None, **kwargs):
    from .services.offline import touch

    touch(attempt_id, at)


# The bank section of curriculum archives and the training-room pack answers: the
# functions live beside their data shapes (``archive``, ``offline_packs``).
curriculum_export_sections.connect(archive.export_section, dispatch_uid="exam_plugin_curriculum_export")
curriculum_import_section.connect(archive.import_section, dispatch_uid="exam_plugin_curriculum_import")
pack_practice_bank.connect(offline_packs.bank_for_pack, dispatch_uid="exam_plugin_pack_practice_bank")
pack_practice_bank_import.connect(offline_packs.import_bank, dispatch_uid="exam_plugin_pack_practice_bank_import")
pack_results_export.connect(offline_packs.export_results, dispatch_uid="exam_plugin_pack_results_export")
pack_results_merge.connect(offline_packs.merge_results, dispatch_uid="exam_plugin_pack_results_merge")
