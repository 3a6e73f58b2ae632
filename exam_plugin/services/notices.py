"""Web-push notices of the exam plugin, sent through the site's push API
(``cms_site.pwa.services.push.notify``: one message per device, in the device's language).

- **Exam tomorrow**: on the day before a scored sitting (formal or make-up; not the
  unscored mock test), from ``REMIND_FROM`` local time, every candidate of it is reminded
  once. The periodic job ``exam_reminders`` (``ExamPluginConfig.periodic_jobs``) offers
  the reminders on every run; ``notify(once_key=…)`` makes each reach a candidate at most
  once, and a candidate admitted or subscribed later that day is still reminded.
- **Result released**: when a formal result becomes visible (``signals.result_released``):
  a valid pass says so with the score (``exam_passed``), any other result (not passed,
  void) says the result is out (``results_released``). Mock papers and the unscored mock
  sitting send nothing.

Only programs with the exam plugin on are reminded (results are released only there).
"""

from datetime import datetime, time, timedelta

from django.utils import timezone

from cms_site.pwa.services.push import notify
from plugins.services import is_enabled
from plugins.urls import program_url

from ..models import Attempt, Candidate, ExamSitting

LABEL = "exam_plugin"
#: Reminders go out from this local time on the day before the exam (nobody is woken at midnight).
REMIND_FROM = time(9, 0)


def remind_exam_tomorrow(now=None) -> int:
    """Offer the exam-tomorrow reminder to the candidates of tomorrow's scored sittings;
    returns how many were queued now (already reminded and device-less learners excluded)."""
    now = timezone.localtime(now or timezone.now())
    if now.time() < REMIND_FROM:
        return 0
    tomorrow = now.date() + timedelta(days=1)
    start = timezone.make_aware(datetime.combine(tomorrow, time.min), now.tzinfo)
    candidates = (
        Candidate.objects.filter(
            sitting__starts_at__gte=start, sitting__starts_at__lt=start + timedelta(days=1),
            sitting__scored=True, sitting__kind__in=(ExamSitting.Kind.FORMAL, ExamSitting.Kind.MAKE_UP),
        )
        .select_related("sitting__program", "enrolment__learner")
        .order_by("sitting__starts_at", "pk")
    )
    queued = 0
    for candidate in candidates:
        program = candidate.sitting.program
        if not is_enabled(program, LABEL):
            continue
        queued += notify(
            candidate.enrolment.learner, "exam_tomorrow", program_url(program, "exam_plugin:home"),
            once_key=f"exam_tomorrow:{candidate.pk}",
            program=program.display_name, time=f"{timezone.localtime(candidate.sitting.starts_at):%H:%M}",
        )
    return queued


def announce_result(attempt: Attempt) -> bool:
    """Tell the learner that their formal result is out (see the module docstring)."""
    if attempt.mode != Attempt.Mode.FORMAL or not attempt.scored or attempt.sitting_id is None:
        return False
    program = attempt.enrolment.program
    url = program_url(program, "exam_plugin:result", attempt_id=attempt.pk)
    key = f"result_released:{attempt.pk}"
    if attempt.passed and not attempt.invalidated:
        return notify(attempt.enrolment.learner, "exam_passed", url, once_key=key,
                      program=program.display_name, score=f"{attempt.score.normalize():f}")
    return notify(attempt.enrolment.learner, "results_released", url, once_key=key, program=program.display_name)
