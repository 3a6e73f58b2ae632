"""The web push messages: each kind's title and body, translated into a device's language.

``services.push.notify`` refuses a kind or a context that does not fit these at once;
``services.delivery`` renders them for each device.
"""

from django.utils import translation
from django.utils.translation import gettext_lazy as _

# kind -> (title, body with %(name)s placeholders filled from the notify() context)
MESSAGES = {
    "test": (
        _("Notifications are on"),
        _("This device will now receive notices about your registration, exams and certificates."),
    ),
    "registration_approved": (
        _("Registration approved"),
        _("Your registration for %(program)s has been approved."),
    ),
    "registration_rejected": (
        _("Registration not approved"),
        _("Your registration for %(program)s was not approved: %(reason)s"),
    ),
    "exam_tomorrow": (
        _("Your exam is tomorrow"),
        _("Your %(program)s exam starts tomorrow at %(time)s."),
    ),
    "exam_passed": (
        _("Exam result released"),
        _("You passed the %(program)s exam with %(score)s points."),
    ),
    "results_released": (
        _("Exam result released"),
        _("Your %(program)s exam result has been released."),
    ),
    "certificate_issued": (
        _("Certificate issued"),
        _("Your %(program)s certificate %(number)s has been issued."),
    ),
}


def render_message(kind, context, language):
    """``(title, body)`` of ``kind`` in ``language``; KeyError when context lacks a field."""
    title, body = MESSAGES[kind]
    with translation.override(language):
        return str(title), str(body) % context
