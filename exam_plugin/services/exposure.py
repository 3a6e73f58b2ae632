"""Key exposure control (issue 12): the one rule every learner-facing endpoint goes through.

THE RULE (for content editors and for every author of a question bank)
=======================================================================

A question's *key* is its correct options, its reference answer, and any right/wrong
signal about an answer to it (practice feedback, a per-question score, a practice set's
keys, the score of a synced practice result).

``Question.pool`` says where a question may be used:

``practice`` — "Practice only". Never drawn for a formal or make-up paper. Its key is
    shown freely: online practice feedback, mock papers (free mock papers and mock
    sittings, reviewed right after hand-in), offline practice sets, training-room packs.
``formal`` — "Formal exams only". Drawn for formal and make-up papers only; a learner
    never sees it anywhere else (not in practice, mock papers, offline sets or packs).
    Its key is shown only in the review of the learner's own *released* formal attempt
    (when the program allows answer review) and not while the learner is locked.
``both`` — "Formal exams and online practice". May be drawn for formal papers and is
    also offered in *online* practice, with feedback, to learners who are not locked.
    A locked learner does not get it at all (not listed, not checkable). It never goes
    into mock papers or bulk downloads (offline practice sets, training-room packs),
    because those stay on a device after a lock begins. Its key is effectively public:
    use ``both`` only where knowing the key beforehand is acceptable (published rules).

A learner is **locked** in a program while they are a candidate of a formal or make-up
sitting of that program whose result they do not have yet: the sitting's results are not
released (``results_released_at`` unset or in the future) and their own attempt is not
released. An absent candidate (no attempt) is no longer locked once the sitting has
ended. While locked, every review hides the keys of non-practice questions, including
those of an earlier released formal paper (a make-up paper may repeat them).

Mock papers (free mocks and mock sittings) are drawn from ``practice`` questions only,
so they may show their keys and scores right after hand-in.

Every learner-reachable URL is classified for key exposure in
``tests/exam_plugin/test_key_exposure.py``; a new one fails that test until classified.
"""

from django.utils import timezone

from ..models import Attempt, Candidate, ExamSitting, Question

LOCKING_KINDS = (ExamSitting.Kind.FORMAL, ExamSitting.Kind.MAKE_UP)


def learner_locked(learner, program, now=None) -> bool:
    """True while ``learner`` is a candidate of a formal/make-up sitting of ``program``
    whose result they have not received (see the module docstring)."""
    if learner is None or not getattr(learner, "is_authenticated", True):
        return True  # nobody in particular: assume the strictest view
    now = now or timezone.now()
    candidates = (
        Candidate.objects.filter(enrolment__learner=learner, sitting__program=program, sitting__kind__in=LOCKING_KINDS)
        .exclude(sitting__results_released_at__lte=now)
        .select_related("sitting")
    )
    for candidate in candidates:
        attempt = Attempt.objects.filter(candidate=candidate).only("status").first()
        if attempt is None:
            if candidate.sitting.ends_at > now:
                return True  # may still enter and draw a paper
            continue  # absent: no paper, nothing left to protect
        if attempt.status != Attempt.Status.RELEASED:
            return True
    return False


def exposable_pools(*, locked: bool, bulk: bool) -> tuple[str, ...]:
    """The pools whose keys may reach a learner: ``bulk`` = a download that outlives the
    request (offline set, pack) or a mock paper."""
    if locked or bulk:
        return (Question.Pool.PRACTICE,)
    return (Question.Pool.PRACTICE, Question.Pool.BOTH)


def practice_questions(program, level, *, locked: bool, bulk: bool) -> list[Question]:
    """Current, non-retired questions of ``program`` for ``level`` (``None`` = every
    level) whose keys may be shown under the rule."""
    qs = (
        Question.objects.filter(program=program, is_current=True, pool__in=exposable_pools(locked=locked, bulk=bulk))
        .exclude(status=Question.Status.RETIRED)
        .select_related("knowledge_point")
        .order_by("family")
    )
    if level is None:
        return list(qs)
    return [q for q in qs if not q.levels or level.code in q.levels]


def may_reveal(question: Question, *, locked: bool, bulk: bool = False) -> bool:
    """May the key of ``question`` go to a learner in a practice context?"""
    return question.status != Question.Status.RETIRED and question.pool in exposable_pools(locked=locked, bulk=bulk)


def review_reveals(question: Question, *, locked: bool) -> bool:
    """In the review of a learner's own released attempt: practice questions always;
    formal-capable ones only while the learner is not locked."""
    return question.pool == Question.Pool.PRACTICE or not locked
