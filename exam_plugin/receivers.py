"""The exam plugin's answers to core signals (registration, dashboard, program page)."""

from datetime import timedelta

from django.dispatch import receiver
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from course_content.registration.signals import (
    exam_sittings_for_registration,
    registration_approved,
)
from course_content.signals import enrolment_hours_changed
from plugins.signals import learner_dashboard_panels, plugin_navigation, program_page_context
from plugins.urls import program_url


@receiver(exam_sittings_for_registration, dispatch_uid="exam_plugin_sittings_for_registration")
def sittings_for_registration(sender, level, **kwargs):
    from .services.sittings import upcoming_sittings

    return [
        {"id": str(s.pk), "label": str(s), "starts_at": s.starts_at}
        for s in upcoming_sittings(sender, level)
        if s.starts_at - timedelta(days=7) > timezone.now()
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
