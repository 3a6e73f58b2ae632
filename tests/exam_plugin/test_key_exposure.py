"""Key exposure control (issue 12, ``exam_plugin.services.exposure``).

Two candidates of one formal sitting, their papers drawn: every route classified PROBED in
``test_exposure_routes`` is requested as each of them and none returns a key, a reference
answer or a right/wrong signal for a question on either paper, until the sitting's results
are released; then the review shows the keys as before. Plus the lock after release (a
make-up candidacy), the rule's table, the editors' help, the sample bank's split.
"""

import json
import uuid
from datetime import timedelta
from html import escape

import pytest
from django.urls import resolve
from django.utils import timezone

from exam_plugin.models import Attempt, Question
from exam_plugin.services import exposure, grading
from exam_plugin.services.attempts import hand_in, start_formal_attempt
from exam_plugin.services.sittings import admit
from plugins.urls import program_url

from .conftest import api_url
from .test_exposure_routes import EXPOSURE, PROBED, ninja_operations, normalise

pytestmark = pytest.mark.django_db


class Probe:
    """A logged-in client that records which (method, classified route) it requested."""

    requested: set = set()

    def __init__(self, client, user):
        self.client = client
        self.user = user

    def _record(self, method, path):
        match = resolve(path.split("?")[0])
        self.requested.add((method, normalise(match.route)))

    def get(self, path, **kwargs):
        self.client.force_login(self.user)
        self._record("GET", path)
        return self.client.get(path, **kwargs)

    def post(self, path, data=None, *, form=False):
        self.client.force_login(self.user)
        self._record("POST", path)
        if form:
            return self.client.post(path, data)
        return self.client.post(path, json.dumps(data), content_type="application/json")


def _key_positions(question, order=None):
    keys = order or [o["key"] for o in question.options]
    return sorted(keys.index(k) for k in question.correct if k in keys)


def _secrets(questions) -> list[str]:
    return [q.reference_answer for q in questions if len(q.reference_answer) >= 6]


def probe_everything(probe, energy, own_attempt, other_attempt, paper_ids, secrets) -> dict:
    """Request every PROBED route as ``probe.user``; assert no exposure; return what was seen."""
    seen = {"practice_ids": set(), "pages": []}
    exam_home = program_url(energy, "exam_plugin:home")

    def no_secret(text):
        for secret in secrets:
            assert secret not in text and escape(secret) not in text, f"reference answer leaked: {secret[:30]}"

    for page in (exam_home, "/dashboard/", exam_home + "practice/", exam_home + "practice/offline/",
                 program_url(energy, "exam_plugin:attempt", attempt_id=own_attempt.pk),
                 program_url(energy, "exam_plugin:result", attempt_id=own_attempt.pk)):
        response = probe.get(page)
        assert response.status_code in (200, 302), page
        no_secret(response.content.decode())

    # online practice: lists, questions, feedback
    points = probe.get(api_url(energy, "practice/points")).json()
    for point in points:
        questions = probe.get(api_url(energy, f"practice/questions?point={point['code']}&count=50")).json()
        seen["practice_ids"] |= {q["id"] for q in questions}
    assert points and seen["practice_ids"] and not seen["practice_ids"] & paper_ids
    for question in Question.objects.filter(pk__in=paper_ids):
        response = probe.post(api_url(energy, "practice/check"), {"question_id": question.pk,
                                                                   "value": _key_positions(question)})
        assert response.status_code == 404 and "correct" not in response.content.decode()

    # offline practice: the set and the scored sync
    data = probe.get(api_url(energy, "practice/offline/set?count=100")).json()
    assert data["questions"] and not {q["id"] for q in data["questions"]} & paper_ids
    no_secret(json.dumps(data, ensure_ascii=False))
    answers = [{"question_id": q.pk, "value": _key_positions(q)} for q in Question.objects.filter(pk__in=paper_ids)]
    [outcome] = probe.post(api_url(energy, "practice/offline/results"), {"results": [
        {"client_uuid": str(uuid.uuid4()), "answers": answers[:200]}]}).json()["results"]
    assert outcome["status"] == "stored" and (outcome["score"], outcome["max_score"]) == (0, 0)

    # a mock paper: practice questions only, reviewed at once
    response = probe.post(exam_home + "mock/start/", {"enrolment": own_attempt.enrolment_id}, form=True)
    mock = Attempt.objects.filter(enrolment=own_attempt.enrolment, mode=Attempt.Mode.MOCK, sitting=None).latest("pk")
    assert response.status_code == 302 and response["Location"].endswith(f"/attempts/{mock.pk}/")
    assert not set(mock.items.values_list("question_id", flat=True)) & paper_ids
    probe.get(program_url(energy, "exam_plugin:attempt", attempt_id=mock.pk))
    probe.get(api_url(energy, f"attempts/{mock.pk}"))
    assert probe.post(api_url(energy, f"attempts/{mock.pk}/hand-in")).status_code in (200, 409)
    hand_in(mock, reason="probe", forced=False)
    review = probe.get(api_url(energy, f"attempts/{mock.pk}/result")).json()["review"]
    assert review and all(not item["key_withheld"] for item in review)  # practice keys shown at once
    probe.get(program_url(energy, "exam_plugin:result", attempt_id=mock.pk))

    # the own formal paper: no keys in the paper, the clock, saves, the replay, the result
    for suffix in ("", "/clock"):
        body = json.dumps(probe.get(api_url(energy, f"attempts/{own_attempt.pk}{suffix}")).json(), ensure_ascii=False)
        assert '"correct' not in body and "reference_answer" not in body
        no_secret(body)
    first = own_attempt.items.order_by("position").first()
    body = probe.post(api_url(energy, f"attempts/{own_attempt.pk}/answers"), {"answers": [
        {"position": first.position, "seq": 1, "value": 0 if first.question.kind != "short" else "x"}]}).json()
    assert set(body) == {"saved", "stale", "errors", "acked", "server_now", "deadline"}
    replay = probe.post(api_url(energy, f"attempts/{own_attempt.pk}/offline-replay"), {"answers": []})
    assert replay.status_code in (200, 409) and "correct" not in replay.content.decode()
    probe.post(api_url(energy, f"attempts/{own_attempt.pk}/hand-in"))
    result = probe.get(api_url(energy, f"attempts/{own_attempt.pk}/result")).json()
    assert result["review"] is None and result["score"] is None and result["passed"] is None
    # the other candidate's paper is not reachable at all
    assert probe.get(api_url(energy, f"attempts/{other_attempt.pk}/result")).status_code == 404
    assert probe.get(api_url(energy, f"attempts/{other_attempt.pk}")).status_code == 404
    assert probe.get(api_url(energy, "openapi.json")).status_code == 200
    return seen


def test_no_key_reaches_either_candidate_before_release(without_proctoring, energy, eligible, sitting_now, client):
    # The M1 formal questions may also be practised ("both"): the lock must hide them.
    Question.objects.filter(program=energy, pool=Question.Pool.FORMAL, knowledge_point__code__startswith="M1").update(
        pool=Question.Pool.BOTH)
    both_ids = set(Question.objects.filter(program=energy, pool=Question.Pool.BOTH).values_list("pk", flat=True))
    first, second, outsider = eligible(), eligible(), eligible()
    sitting = sitting_now(minutes_since_start=5)
    attempts = [start_formal_attempt(admit(sitting, first)), start_formal_attempt(admit(sitting, second))]
    paper_ids = set(Question.objects.filter(attempt_items__attempt__in=attempts).values_list("pk", flat=True))
    assert paper_ids & both_ids, "the papers must hold questions that are also practised"
    secrets = _secrets(Question.objects.filter(pk__in=paper_ids))
    assert secrets

    # Control: a learner who is no candidate does get the "both" questions, with feedback.
    outside = Probe(client, outsider.learner)
    listed = set()
    for point in outside.get(api_url(energy, "practice/points")).json():
        listed |= {q["id"] for q in outside.get(api_url(energy, f"practice/questions?point={point['code']}&count=50")).json()}
    assert listed & both_ids
    shared = Question.objects.get(pk=next(iter(listed & both_ids)))
    feedback = outside.post(api_url(energy, "practice/check"), {"question_id": shared.pk, "value": _key_positions(shared)})
    assert feedback.json()["correct"] in (True, None)

    Probe.requested = set()
    for enrolment, own, other in ((first, attempts[0], attempts[1]), (second, attempts[1], attempts[0])):
        assert exposure.learner_locked(enrolment.learner, energy)
        probe_everything(Probe(client, enrolment.learner), energy, own, other, paper_ids, secrets)

    # every route classified as serving questions was probed, with every API method it has
    probed_routes = {route for _method, route in Probe.requested}
    assert {r for r, c in EXPOSURE.items() if c == PROBED} <= probed_routes
    api_ops = {op for op in ninja_operations() if EXPOSURE.get(op[1]) == PROBED}
    assert api_ops <= Probe.requested, sorted(api_ops - Probe.requested)

    # Release: both papers are handed in and marked; the review shows the keys as before.
    for attempt in attempts:
        hand_in(attempt, reason="test", forced=False)
        for item in attempt.items.filter(question__kind="short", final_score__isnull=True):
            grading.record_mark(item, _grader(), 1)
    grading.release_sitting(sitting)
    for enrolment, attempt in zip((first, second), attempts, strict=True):
        assert not exposure.learner_locked(enrolment.learner, energy)
        client.force_login(enrolment.learner)
        result = client.get(api_url(energy, f"attempts/{attempt.pk}/result")).json()
        assert result["released"] and result["score"] is not None
        items = {i.position: i for i in attempt.items.select_related("question")}
        for reviewed in result["review"]:
            item = items[reviewed["position"]]
            assert not reviewed["key_withheld"]
            assert reviewed["correct"] == _key_positions(item.question, item.option_order)
            assert reviewed["reference_answer"] == item.question.reference_answer
        page = client.get(program_url(energy, "exam_plugin:result", attempt_id=attempt.pk)).content.decode()
        assert all(escape(secret) in page for secret in _secrets(q.question for q in items.values()))
        # "both" questions are back in practice once the learner has the result
        check = client.post(api_url(energy, "practice/check"), {"question_id": shared.pk, "value": []},
                            content_type="application/json")
        assert check.status_code == 200


_graders = []


def _grader():
    from django.contrib.auth import get_user_model

    if not _graders or not get_user_model().objects.filter(pk=_graders[0].pk).exists():
        _graders[:] = [get_user_model().objects.create_user(username=f"grader-{uuid.uuid4().hex[:8]}", password="x")]
    return _graders[0]


def test_a_make_up_candidacy_locks_the_review_of_an_earlier_paper(without_proctoring, energy, eligible, sitting_now,
                                                                 client):
    from exam_plugin.models import ExamSitting

    enrolment = eligible()
    sitting = sitting_now(minutes_since_start=5)
    attempt = start_formal_attempt(admit(sitting, enrolment))
    hand_in(attempt, reason="test", forced=False)
    for item in attempt.items.filter(question__kind="short", final_score__isnull=True):
        grading.record_mark(item, _grader(), 0)
    grading.release_sitting(sitting)
    client.force_login(enrolment.learner)
    url = api_url(energy, f"attempts/{attempt.pk}/result")
    assert all(not item["key_withheld"] and item["correct"] for item in client.get(url).json()["review"]
               if item["kind"] != "short")

    start = timezone.now() + timedelta(days=20)
    make_up = ExamSitting.objects.create(program=energy, kind=ExamSitting.Kind.MAKE_UP, repeats=sitting,
                                         starts_at=start, ends_at=start + timedelta(hours=2))
    admit(make_up, enrolment, check=False)
    assert exposure.learner_locked(enrolment.learner, energy)
    review = client.get(url).json()["review"]
    assert review and all(i["key_withheld"] and i["correct"] == [] and i["reference_answer"] == ""
                          and i["score"] is None for i in review)
    page = client.get(program_url(energy, "exam_plugin:result", attempt_id=attempt.pk)).content.decode()
    assert "key-withheld" in page
    assert not any(escape(secret) in page or secret in page
                   for secret in _secrets(i.question for i in attempt.items.select_related("question")))

    # an absent candidate is unlocked once the make-up has ended; a released sitting unlocks too
    make_up.starts_at, make_up.ends_at = timezone.now() - timedelta(hours=3), timezone.now() - timedelta(hours=1)
    make_up.save()
    assert not exposure.learner_locked(enrolment.learner, energy)


def test_the_rule_itself():
    practice = Question(pool=Question.Pool.PRACTICE, status=Question.Status.REVIEWED)
    formal = Question(pool=Question.Pool.FORMAL, status=Question.Status.REVIEWED)
    both = Question(pool=Question.Pool.BOTH, status=Question.Status.REVIEWED)
    retired = Question(pool=Question.Pool.PRACTICE, status=Question.Status.RETIRED)
    assert [exposure.may_reveal(q, locked=False) for q in (practice, formal, both, retired)] == [True, False, True, False]
    assert [exposure.may_reveal(q, locked=True) for q in (practice, formal, both)] == [True, False, False]
    assert [exposure.may_reveal(q, locked=False, bulk=True) for q in (practice, formal, both)] == [True, False, False]
    assert [exposure.review_reveals(q, locked=True) for q in (practice, formal, both)] == [True, False, False]
    assert [exposure.review_reveals(q, locked=False) for q in (practice, formal, both)] == [True, True, True]


def test_editors_are_told_what_the_pools_mean(energy, client, admin_user):
    from django.urls import reverse

    question = Question.objects.filter(program=energy).first()
    client.force_login(admin_user)
    for url in (reverse("question:edit", args=[question.pk]), reverse("question:add")):
        page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert "Who may see this question and its answer" in page
        assert "Formal exams only (key never shown before release)" in page
    assert Question._meta.get_field("pool").default == Question.Pool.FORMAL  # unsure = secret


def test_the_sample_bank_is_split_so_both_papers_can_be_drawn(energy, eligible):
    """The energy bank: formal papers from formal questions, mock papers from practice
    questions, disjoint; practice covers every module."""
    from exam_plugin.services.papers import blueprint_for, check_blueprint, draw_paper

    bank = Question.objects.filter(program=energy, is_current=True)
    assert not bank.filter(pool=Question.Pool.BOTH).exists()
    blueprint = blueprint_for(energy, eligible().level)
    assert check_blueprint(blueprint, formal=True) == [] and check_blueprint(blueprint, formal=False) == []
    formal = {d.question.pk for d in draw_paper(blueprint, seed=1, formal=True)}
    mock = {d.question.pk for d in draw_paper(blueprint, seed=1, formal=False)}
    assert formal and mock and not formal & mock
    assert set(bank.filter(pk__in=mock).values_list("pool", flat=True)) == {Question.Pool.PRACTICE}
    modules = {code.split(".")[0] for code in bank.filter(pool=Question.Pool.PRACTICE).values_list(
        "knowledge_point__code", flat=True)}
    assert modules == {"M1", "M2", "M3", "M4", "M5", "M6"}


def test_bulk_downloads_and_mock_sittings_hold_practice_questions_only(without_proctoring, energy, eligible,
                                                                      sitting_now):
    from exam_plugin.models import ExamSitting
    from exam_plugin.services.offline_practice import practice_bank

    Question.objects.filter(program=energy, pool=Question.Pool.FORMAL, kind="single").update(pool=Question.Pool.BOTH)
    pools = dict(Question.objects.filter(program=energy).values_list("pk", "pool"))
    assert {pools[q["id"]] for q in practice_bank(energy)} == {Question.Pool.PRACTICE}
    mock_sitting = sitting_now(kind=ExamSitting.Kind.MOCK, scored=False)
    attempt = start_formal_attempt(admit(mock_sitting, eligible()))
    assert attempt.mode == Attempt.Mode.MOCK
    assert {pools[pk] for pk in attempt.items.values_list("question_id", flat=True)} == {Question.Pool.PRACTICE}


def test_the_overview_names_what_practice_lacks_for_a_mock_paper(energy, client, admin_user):
    client.force_login(admin_user)
    assert "可以用练习题组成模拟卷" in client.get("/admin/exam-office/").content.decode()
    Question.objects.filter(program=energy, pool=Question.Pool.PRACTICE, kind="multiple").update(pool=Question.Pool.BOTH)
    body = client.get("/admin/exam-office/").content.decode()
    assert "mock-gaps" in body  # "both" questions are not for mock papers
