"""Push notifications for events the core announces with signals.

Core events are connected here (registration reviews); what belongs to a plugin (exam
reminders and results, certificates) reaches the user through ``services.push.notify`` called by
that plugin, which alone knows when its news is news.
"""

from django.dispatch import receiver
from django.urls import reverse

from course_content.registration.signals import registration_reviewed

from .services.push import notify


def _registration_url(registration):
    get_url = getattr(registration, "get_absolute_url", None)
    return get_url() if callable(get_url) else reverse("dashboard")


@receiver(registration_reviewed, dispatch_uid="pwa_push_registration_reviewed")
def push_registration_reviewed(sender, registration, approved, reason="", **kwargs):
    """The candidate learns the review outcome on their devices (if they have an account)."""
    if registration.candidate_id is None:
        return
    program = sender.display_name
    if approved:
        notify(registration.candidate, "registration_approved", _registration_url(registration), program=program)
    else:
        notify(registration.candidate, "registration_rejected", _registration_url(registration),
               program=program, reason=reason or "-")
