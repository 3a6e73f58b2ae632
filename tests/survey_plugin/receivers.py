"""Step 5: receivers, connected from ``ready()``. The exam plugin sends
``attempt_submitted`` with ``sender=program``; the framework calls this receiver only
where the survey plugin is on for that program."""

from django.dispatch import receiver

from exam_plugin.signals import attempt_submitted  # allowed: depends_on = ("exam_plugin",)

from .services import surveys


@receiver(attempt_submitted, dispatch_uid="survey_plugin_attempt_submitted")
def invite_after_hand_in(sender, attempt, **kwargs):
    surveys.invite(attempt)
