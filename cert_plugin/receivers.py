"""Receivers of the certificate plugin, connected from ``CertPluginConfig.ready``.

They are scoped by the plugin framework: they run only for programs that have the
certificate plugin switched on, so where it is off nobody answers ``certificate_dates``
and no page advertises certificate dates. The dashboard panel and the "my certificates"
link are retained receivers (``plugins.services.registry.retained_receiver``): where the plugin is
off they still show holders their issued certificates, which stay served.
"""

from django.dispatch import receiver
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from course_content.registration.signals import registration_approved
from course_content.signals import enrolment_hours_changed, exam_passed, exam_result_invalidated
from plugins.services.registry import retained_receiver
from plugins.signals import certificate_dates, learner_dashboard_panels, plugin_navigation

from .signals import certificate_issued


@receiver(exam_passed, dispatch_uid="cert_plugin_exam_passed")
def on_exam_passed(sender, enrolment, result_id, score, passed_on, **kwargs):
    from .services.triggers import record_exam_pass

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
    from .services.triggers import consider

    if ExamPass.objects.filter(enrolment=enrolment, invalidated_at__isnull=True).exists():
        consider(enrolment)


@receiver(registration_approved, dispatch_uid="cert_plugin_registration_approved")
def on_registration_approved(sender, registration, enrolment, photo_path=None, **kwargs):
    from .services import remember_photo

    remember_photo(enrolment.learner, photo_path)


@receiver(learner_dashboard_panels, dispatch_uid="cert_plugin_dashboard_panel")
@retained_receiver  # where the plugin is off, holders still see their issued certificate
def dashboard_panel(sender, request, enrolment, plugin_enabled=True, **kwargs):
    from .services.learner import enrolment_certificate_status

    status = enrolment_certificate_status(enrolment, today=timezone.localdate())
    if status is None or (not plugin_enabled and status.state != "issued"):
        return ""
    return render_to_string("cert_plugin/dashboard_panel.html", {"status": status}, request=request)


@receiver(plugin_navigation, dispatch_uid="cert_plugin_navigation")
@retained_receiver  # where the plugin is off, "my certificates" stays for those who hold one
def navigation(sender, request, plugin_enabled=True, **kwargs):
    from plugins.urls import program_url

    from .models import Certificate

    if not request.user.is_authenticated:
        return []
    if not plugin_enabled and not Certificate.objects.filter(learner=request.user, program=sender).exists():
        return []
    return [{"label": _("My certificates"), "url": program_url(sender, "cert_plugin:mine")}]


@receiver(certificate_dates, dispatch_uid="cert_plugin_certificate_dates")
def dates_after_a_pass(sender, passed_on, **kwargs):
    """Issue and search dates of a pass on ``passed_on`` under this program's lags."""
    from .services import certificate_dates as dates_for

    dates = dates_for(sender, passed_on)
    return {"issue_date": dates.issue_date, "searchable_from": dates.searchable_from}


@receiver(certificate_issued, dispatch_uid="cert_plugin_push_certificate_issued")
def push_certificate_issued(sender, certificate, **kwargs):
    """Tell the holder on their devices, once the certificate is theirs to see (issue
    date today or past; later ones are announced by ``cert_issue_notices``)."""
    from .services.notices import announce_if_issued

    announce_if_issued(certificate, today=timezone.localdate())
