"""The learner's next step on the dashboard ("my learning"), one per state.

Core states only: an application (draft, submitted, returned), an enrolment with its
chosen sitting (approved), study (start, continue, hours met). Exam and certificate states
(signed up, result pending with its release date, certificate) come from the plugins'
dashboard panels (``plugins.signals.learner_dashboard_panels``); core never asks a plugin.
"""

from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _

from ..models import Registration

OPEN_STATES = (Registration.Status.DRAFT, Registration.Status.SUBMITTED, Registration.Status.REJECTED)


def _date(value) -> str:
    return formats.date_format(value, "Y-m-d") if value else ""


def application_step(registration) -> dict:
    """What to do about an application that is not approved yet."""
    url = reverse("registration:detail", args=[registration.pk])
    if registration.status == Registration.Status.DRAFT:
        return {"state": "draft", "text": _("Your application is a draft. Complete it and submit it for review."),
                "action": _("Complete the application"), "url": url}
    if registration.status == Registration.Status.SUBMITTED:
        if registration.review_deadline:
            text = _("Your application was submitted and is being reviewed; the review is due by %(date)s.") % {
                "date": _date(registration.review_deadline)}
        else:
            text = _("Your application was submitted and is being reviewed.")
        return {"state": "submitted", "text": text, "action": _("View the application"), "url": url}
    return {
        "state": "rejected",
        "text": _("Your application was returned for correction. Reason: %(reason)s") % {
            "reason": registration.rejection_reason},
        "action": _("Correct and resubmit"), "url": url,
    }


def open_applications(user) -> list[dict]:
    """The learner's applications that are not approved yet, newest first, with their step."""
    rows = Registration.objects.filter(candidate=user, status__in=OPEN_STATES).select_related("program", "level")
    return [{"registration": r, "step": application_step(r)} for r in rows.order_by("-updated_at")]


def approved_registration(enrolment):
    """The approved application an enrolment came from (None when enrolled otherwise)."""
    return (
        Registration.objects.filter(status=Registration.Status.APPROVED, enrolment=enrolment).first()
        or Registration.objects.filter(
            status=Registration.Status.APPROVED, candidate_id=enrolment.learner_id, level_id=enrolment.level_id
        ).order_by("-reviewed_at").first()
    )


def study_step(card: dict) -> dict:
    """Start, continue, or (hours met) go on to the exam; ``card`` is ``ledger.dashboard.dashboard_card``."""
    lesson = card.get("continue_lesson")
    if card["met"]:
        return {"state": "hours_met",
                "text": _("You have completed the required class hours. You may keep studying for free at any time."),
                "action": "", "url": ""}
    if lesson is None:
        return {"state": "no_lessons", "text": _("No lessons are published for your level yet."), "action": "", "url": ""}
    if card["seconds"] <= 0:
        return {"state": "start", "text": _("Start with the first lesson; study time counts while the lesson is open."),
                "action": _("Start studying: %(lesson)s") % {"lesson": lesson.title}, "url": lesson.url}
    return {"state": "continue", "text": "", "action": _("Continue where you left off: %(lesson)s") % {"lesson": lesson.title},
            "url": lesson.url}
