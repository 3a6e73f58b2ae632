"""Acting on a candidate's exam attempt: the exam plugin owns attempts, so the proctor
plugin asks it through the exam plugin's request signals (``exam_plugin.signals``:
``attempt_hand_in_requested``, ``attempt_time_compensation_requested``,
``attempt_invalidation_requested``, ``attempt_contact``) instead of importing its services.
Importing those signals (and the exam models, the data contract) is allowed because the
proctor plugin lists the exam plugin in ``depends_on`` — which also guarantees that the
exam plugin is on, and answers, wherever proctoring is.
"""

from exam_plugin.signals import (
    attempt_contact,
    attempt_hand_in_requested,
    attempt_invalidation_requested,
    attempt_time_compensation_requested,
)


class AttemptRefused(ValueError):
    """The exam plugin refused the request; ``str(err)`` is its translated reason."""


def _answers(signal, ps, **kwargs) -> list:
    responses = signal.send(sender=ps.program, **kwargs)
    if not responses:
        raise RuntimeError(f"Nobody answered {signal!r} for program {ps.program.pk}: is the exam plugin on?")
    return [answer for _receiver, answer in responses]


def hand_in(ps, attempt, *, reason: str, by=None) -> None:
    """Hand ``attempt`` in now, forced, with ``reason`` (idempotent)."""
    _answers(attempt_hand_in_requested, ps, attempt=attempt, reason=reason, by=by)


def compensate(ps, attempt, minutes: int, *, reason: str, by) -> None:
    """Give ``attempt`` ``minutes`` more; raises ``AttemptRefused`` with the exam plugin's reason."""
    answers = _answers(attempt_time_compensation_requested, ps, attempt=attempt, minutes=int(minutes), reason=reason, by=by)
    refusal = next((answer for answer in answers if isinstance(answer, str)), None)
    if refusal:
        raise AttemptRefused(refusal)


def invalidate(ps, attempt, *, reason: str, by=None) -> None:
    """Void ``attempt``'s score (an open attempt is handed in first)."""
    _answers(attempt_invalidation_requested, ps, attempt=attempt, reason=reason, by=by)


def contact(ps, attempt_id: int, at) -> None:
    """The exam page is alive: tell the exam plugin where an offline spell would start."""
    attempt_contact.send_robust(sender=ps.program, attempt_id=attempt_id, at=at)
