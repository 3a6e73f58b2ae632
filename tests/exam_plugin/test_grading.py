"""Scoring, anonymised grading with double marking, release and the core signals."""

from decimal import Decimal

import pytest

from course_content.signals import exam_passed, exam_result_invalidated
from exam_plugin.models import Attempt, AttemptItem
from exam_plugin.services import attempts, grading
from plugins.services import update_settings


def _answer_all_correctly(attempt, short_text="参考答案要点"):
    answers = []
    for item in attempt.items.select_related("question"):
        if item.question.kind == "short":
            value = short_text
        else:
            value = sorted(item.option_order.index(k) for k in item.question.correct)
        answers.append({"position": item.position, "seq": 1, "value": value})
    attempts.save_answers(attempt, answers)


@pytest.fixture
def grader(django_user_model):
    return django_user_model.objects.create_user(username="grader1", password="x", real_name="阅卷一")


@pytest.fixture
def grader2(django_user_model):
    return django_user_model.objects.create_user(username="grader2", password="x", real_name="阅卷二")


@pytest.fixture
def grader3(django_user_model):
    return django_user_model.objects.create_user(username="grader3", password="x", real_name="阅卷三")


def test_multiple_choice_all_or_nothing_and_partial_credit(candidate, energy):
    attempt = attempts.start_formal_attempt(candidate)
    item = next(i for i in attempt.items.filter(question__kind="multiple").select_related("question")
                if len(i.question.correct) < len(i.question.options))
    one_correct = [item.question.correct[0]]
    item.response = one_correct
    assert grading.objective_score(item, partial_credit=False) == 0
    n = len(item.question.correct)
    assert grading.objective_score(item, partial_credit=True) == (Decimal(2) / n).quantize(Decimal("0.1"))
    wrong = next(k for k in item.option_order if k not in item.question.correct)
    item.response = [*one_correct, wrong]
    assert grading.objective_score(item, partial_credit=True) == 0
    item.response = list(item.question.correct)
    assert grading.objective_score(item, partial_credit=False) == 2


def test_grader_queue_is_anonymised(candidate, grader):
    attempt = attempts.start_formal_attempt(candidate)
    _answer_all_correctly(attempt)
    attempts.hand_in(attempt, reason="t", forced=False)
    queue = grading.grader_queue(candidate.sitting.program, grader)
    assert len(queue) == 4
    learner = candidate.enrolment.learner
    for entry in queue:
        text = repr(entry)
        assert learner.real_name not in text and learner.document_number not in text
        assert candidate.admission_number not in text
        assert set(entry) == {"item_id", "code", "round", "stem", "reference_answer", "rubric", "points", "answer"}
        assert entry["reference_answer"] and entry["rubric"]


def test_single_marking_completes_grading_and_release_sends_exam_passed(candidate, grader):
    received = []

    def on_passed(sender, **kwargs):
        received.append(kwargs)

    exam_passed.connect(on_passed, dispatch_uid="test_on_passed")
    try:
        attempt = attempts.start_formal_attempt(candidate)
        _answer_all_correctly(attempt)
        attempts.hand_in(attempt, reason="t", forced=False)
        attempt.refresh_from_db()
        assert attempt.status == Attempt.Status.SUBMITTED  # short answers wait
        for entry in grading.grader_queue(candidate.sitting.program, grader):
            grading.record_mark(AttemptItem.objects.get(pk=entry["item_id"]), grader, 4)
        attempt.refresh_from_db()
        assert attempt.status == Attempt.Status.GRADED and attempt.score == Decimal("96.0") and attempt.passed
        assert received == []  # not before release
        grading.release_sitting(candidate.sitting)
        attempt.refresh_from_db()
        assert attempt.status == Attempt.Status.RELEASED
        [kwargs] = received
        assert kwargs["enrolment"] == candidate.enrolment and kwargs["result_id"] == attempt.result_id
        assert kwargs["score"] == Decimal("96.0")
    finally:
        exam_passed.disconnect(dispatch_uid="test_on_passed")


def test_double_marking_with_third_mark(candidate, energy, grader, grader2, grader3):
    update_settings(energy, "exam_plugin", double_marking=True, double_marking_margin=1)
    attempt = attempts.start_formal_attempt(candidate)
    _answer_all_correctly(attempt)
    attempts.hand_in(attempt, reason="t", forced=False)
    items = [AttemptItem.objects.get(pk=e["item_id"]) for e in grading.grader_queue(energy, grader)]
    assert len(items) == 4
    close, far = items[0], items[1]
    grading.record_mark(close, grader, 4)
    with pytest.raises(grading.GradingError):
        grading.record_mark(close, grader, 3)  # the same grader cannot give the second mark
    grading.record_mark(close, grader2, 3)
    close.refresh_from_db()
    assert close.final_score == Decimal("3.5")
    grading.record_mark(far, grader, 5)
    grading.record_mark(far, grader2, 1)
    far.refresh_from_db()
    assert far.final_score is None
    third = [e for e in grading.grader_queue(energy, grader3) if e["item_id"] == far.pk]
    assert third and third[0]["round"] == 3
    grading.record_mark(far, grader3, 2)
    far.refresh_from_db()
    assert far.final_score == Decimal("2")


def test_mark_out_of_range_is_refused(candidate, grader):
    attempt = attempts.start_formal_attempt(candidate)
    attempts.hand_in(attempt, reason="t", forced=False)
    attempt.refresh_from_db()
    # unanswered short answers need no mark: the paper is graded at once
    assert attempt.status == Attempt.Status.GRADED and attempt.score == 0 and attempt.passed is False


def test_invalidating_a_released_pass_sends_the_core_signal(candidate, grader, admin_user):
    from exam_plugin.services import invalidate

    got = []
    exam_result_invalidated.connect(lambda sender, **kw: got.append(kw), dispatch_uid="test_invalidated", weak=False)
    try:
        attempt = attempts.start_formal_attempt(candidate)
        _answer_all_correctly(attempt)
        attempts.hand_in(attempt, reason="t", forced=False)
        for entry in grading.grader_queue(candidate.sitting.program, grader):
            grading.record_mark(AttemptItem.objects.get(pk=entry["item_id"]), grader, 5)
        grading.release_sitting(candidate.sitting)
        invalidate(attempt, reason="proctor decision", by=admin_user)
        assert attempt.invalidated and attempt.passed is False
        [kw] = got
        assert kw["result_id"] == attempt.result_id and kw["reason"] == "proctor decision"
    finally:
        exam_result_invalidated.disconnect(dispatch_uid="test_invalidated")


def test_mock_paper_is_scored_and_released_at_once(eligible):
    enrolment = eligible()
    attempt = attempts.start_mock_attempt(enrolment)
    item = attempt.items.filter(question__kind="single").select_related("question").first()
    attempts.save_answers(attempt, [{"position": item.position, "seq": 1,
                                     "value": [item.option_order.index(item.question.correct[0])]}])
    attempts.candidate_hand_in(attempt)
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.RELEASED and attempt.score == Decimal("1.0")
