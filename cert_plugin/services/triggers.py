"""What starts an issue: ``record_exam_pass`` / ``consider`` when an enrolment's last
condition arrives (a pass or its hours), ``batch_issue`` from the admin for passes whose trigger was missed.

Both enqueue ``tasks.issue_certificate_task``, which calls ``issuing.issue_certificate``;
the issue rule itself lives in ``issuing`` (this module only decides what to queue), so
the task module and the rules import in one direction only.
"""

from datetime import date

from wagtail.log_actions import log

from ..models import ExamPass
from ..tasks import issue_certificate_task
from .issuing import eligible_pass, issue_certificate


def record_exam_pass(enrolment, *, result_id, score, passed_on) -> ExamPass:
    """Remember a released pass (idempotent per result) and consider issuing."""
    exam_pass, _created = ExamPass.objects.get_or_create(
        enrolment=enrolment, result_id=str(result_id), defaults={"score": score, "passed_on": passed_on}
    )
    consider(enrolment)
    return exam_pass


def consider(enrolment):
    """Enqueue the issue task when the enrolment has just become eligible.

    Returns the task result (or None when nothing is due). With the database queue the
    task row is written in the caller's transaction, so a rolled-back trigger leaves no
    task behind.
    """
    exam_pass = eligible_pass(enrolment)
    if exam_pass is None:
        return None
    return issue_certificate_task.enqueue(exam_pass.pk)


def batch_issue(program, *, passed_on: date | None = None, user=None, background: bool = True) -> int:
    """Issue every certificate that is due in ``program`` (optionally for one sitting date).

    Catches passes whose trigger was missed (e.g. the plugin was switched on later).
    ``background`` enqueues one task per pass; otherwise issues here. Returns the count
    of passes queued (or certificates issued).
    """
    passes = ExamPass.objects.filter(
        enrolment__program=program, invalidated_at__isnull=True, certificates__isnull=True
    ).select_related("enrolment__level", "enrolment__program")
    if passed_on is not None:
        passes = passes.filter(passed_on=passed_on)
    count = 0
    for exam_pass in passes.order_by("passed_on", "pk"):
        if background:
            if eligible_pass(exam_pass.enrolment) is None:
                continue  # no task for a pass that is not due
            issue_certificate_task.enqueue(exam_pass.pk)
            count += 1
        # In-process, issue_certificate checks the same rule itself (under the row lock),
        # so checking it here first would only run the same queries twice.
        elif issue_certificate(exam_pass.pk) is not None:
            count += 1
    log(
        instance=program, action="cert_plugin.batch_issue", user=user,
        data={"passed_on": passed_on.isoformat() if passed_on else None, "count": count},
    )
    return count
