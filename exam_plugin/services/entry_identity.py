"""Exam-entry identity check (the dual-carbon "考生登录信息为准考证号、身份证件号码两项").

A program whose exam setting ``entry_identity`` is ``admission_and_id`` makes each
candidate type the admission number (准考证号: the number shown on their exam home, or the
phone they registered with, which the dual-carbon platform uses as 准考证号) and their
identity-document number before an attempt of a sitting starts or resumes. Both are
normalised the way the login normalises them (``cms_site.accounts.services.identity``).

Contract:
- ``required(program)`` — whether the program asks for the pair.
- ``is_verified(request, candidate)`` — whether this session already passed for ``candidate``.
- ``verify(request, candidate, admission, document)`` — returns nothing on success (the
  success is remembered in the session for that candidate and written to the Wagtail audit
  log); raises ``EntryIdentityRefused`` with a translated message otherwise. A mismatch
  counts toward a per-learner throttle (``FAILURE_RATE``); while throttled, even the right
  pair is refused, so guessing is bounded.
"""

from django.utils.translation import gettext as _
from django_ratelimit.core import is_ratelimited
from wagtail.log_actions import log

from cms_site.accounts.services.identity import normalise_document_number, normalise_phone

from . import clock

SESSION_ONLY = "session"
ADMISSION_AND_ID = "admission_and_id"
SESSION_KEY = "exam_plugin.entry_identity"
FAILURE_RATE = "4/15m"  # ratelimit refuses once the count exceeds 4: five mismatches, then a pause
_GROUP = "exam_plugin.entry_identity"


class EntryIdentityRefused(Exception):
    """``str(err)`` is a translated message for the candidate."""


def required(program) -> bool:
    return clock.exam_settings(program).get("entry_identity") == ADMISSION_AND_ID


def is_verified(request, candidate) -> bool:
    return candidate.pk in request.session.get(SESSION_KEY, [])


def _throttled(request, *, increment: bool) -> bool:
    return is_ratelimited(request, group=_GROUP, key="user", rate=FAILURE_RATE, increment=increment)


def _admission_matches(candidate, typed: str) -> bool:
    typed = (typed or "").strip()
    if not typed:
        return False
    if typed.replace(" ", "").replace("-", "") == candidate.admission_number.replace("-", ""):
        return True
    phone = candidate.enrolment.learner.phone
    return bool(phone) and normalise_phone(typed) == phone


def verify(request, candidate, admission: str, document: str) -> None:
    if _throttled(request, increment=False):
        raise EntryIdentityRefused(_("Too many wrong entries. Please wait 15 minutes and try again, "
                                     "or contact the exam office."))
    learner = candidate.enrolment.learner
    if not (admission or "").strip() or not (document or "").strip():
        raise EntryIdentityRefused(_("Please enter your admission number and your ID document number."))
    typed_document = normalise_document_number(document)
    if not (_admission_matches(candidate, admission) and learner.document_number
            and typed_document == learner.document_number):
        _throttled(request, increment=True)
        log(instance=candidate.sitting.program, action="exam_plugin.entry_identity_failed", user=learner,
            data={"candidate": candidate.pk, "sitting": candidate.sitting_id})
        raise EntryIdentityRefused(_("The admission number and ID document number do not match this "
                                     "candidate. Please check them and try again."))
    verified = request.session.get(SESSION_KEY, [])
    if candidate.pk not in verified:
        request.session[SESSION_KEY] = [*verified, candidate.pk]
    log(instance=candidate.sitting.program, action="exam_plugin.entry_identity_verified", user=learner,
        data={"candidate": candidate.pk, "sitting": candidate.sitting_id})
