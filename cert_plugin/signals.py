"""Signals and receivers of the certificate plugin.

Receivers here are scoped by the plugin framework: they run only for programs that have
the certificate plugin switched on.
"""

from django.dispatch import receiver
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from course_content.registration.signals import registration_approved
from course_content.signals import enrolment_hours_changed, exam_passed, exam_result_invalidated
from plugins.signals import ProgramSignal, learner_dashboard_panels, plugin_navigation

certificate_issued = ProgramSignal()
"""Sent by ``cert_plugin.services`` after a certificate record was created and its PDF
drawn (first issue and every re-issue), from the background task.

kwargs: ``certificate`` (``cert_plugin.models.Certificate``; ``issue_date`` may still be in
the future: the holder sees it from that day). Receivers return nothing; sent with
``send_robust``. The notifications plugin hooks in here.
"""


@receiver(exam_passed, dispatch_uid="cert_plugin_exam_passed")
def on_exam_passed(sender, enrolment, result_id, score, passed_on, **kwargs):
    from .services import record_exam_pass

    record_exam_pass(enrolment, result_id=result_id, score=score, passed_on=passed_on)


@receiver(exam_result_invalidated, dispatch_uid="cert_plugin_exam_result_invalidated")
def on_exam_result_invalidated(sender, enrolment, result_id, reason="", **kwargs):
    from .services import invalidate_result

    invalidate_result(enrolment, result_id=result_id, reason=reason)


@receiver(enrolment_hours_changed, dispatch_uid="cert_plugin_hours_changed")
def on_hours_changed(sender, enrolment, hours_met=False, **kwargs):
    if not hours_met:
        return
    from .models import ExamPass
    from .services import consider

    if ExamPass.objects.filter(enrolment=enrolment, invalidated_at__isnull=True).exists():
        consider(enrolment)


@receiver(registration_approved, dispatch_uid="cert_plugin_registration_approved")
def on_registration_approved(sender, registration, enrolment, photo_path=None, **kwargs):
    from .services import remember_photo

    remember_photo(enrolment.learner, photo_path)


@receiver(learner_dashboard_panels, dispatch_uid="cert_plugin_dashboard_panel")
def dashboard_panel(sender, request, enrolment, **kwargs):
    from .learner import enrolment_certificate_status

    status = enrolment_certificate_status(enrolment, today=timezone.localdate())
    if status is None:
        return ""
    return render_to_string("cert_plugin/dashboard_panel.html", {"status": status}, request=request)


@receiver(plugin_navigation, dispatch_uid="cert_plugin_navigation")
def navigation(sender, request, **kwargs):
    from plugins.urls import program_url

    if not request.user.is_authenticated:
        return []
    return [{"label": _("My certificates"), "url": program_url(sender, "cert_plugin:mine")}]
