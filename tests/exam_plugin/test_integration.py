"""Signals and pages: entry checks of other plugins, registration sittings, dashboard,
program page, admin screens' permissions, statistics export."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cms_site.accounts.services import roles
from exam_plugin.models import Attempt, AttemptItem, ExamSitting
from exam_plugin.services import attempts, grading
from plugins.urls import program_url


def test_entry_checks_of_another_plugin_send_the_candidate_to_a_preflight(candidate, logged_in, energy):
    # The proctor plugin is on for energy: it asks for its pre-flight (face check).
    client = logged_in(candidate.enrolment.learner)
    response = client.post(program_url(energy, "exam_plugin:enter", sitting_id=candidate.sitting_id))
    assert response.status_code == 302
    assert "/exam/" not in response["Location"]
    assert not Attempt.objects.filter(candidate=candidate).exists()


def test_entry_with_no_objection_starts_the_attempt(without_proctoring, candidate, logged_in, energy):
    client = logged_in(candidate.enrolment.learner)
    response = client.post(program_url(energy, "exam_plugin:enter", sitting_id=candidate.sitting_id))
    attempt = Attempt.objects.get(candidate=candidate)
    assert response["Location"] == program_url(energy, "exam_plugin:attempt", attempt_id=attempt.pk)
    page = client.get(response["Location"])
    assert page.status_code == 200 and b"exam_journal.js" in page.content


def test_late_entry_refused_on_the_page(without_proctoring, eligible, sitting_now, logged_in, energy):
    from exam_plugin.services.sittings import admit

    candidate = admit(sitting_now(minutes_since_start=45), eligible())
    client = logged_in(candidate.enrolment.learner)
    response = client.post(program_url(energy, "exam_plugin:enter", sitting_id=candidate.sitting_id), follow=True)
    assert not Attempt.objects.filter(candidate=candidate).exists()
    assert "message error" in response.content.decode() or "error" in response.content.decode()


def test_registration_asks_for_sittings(energy):
    from course_content.registration.signals import exam_sittings_for_registration

    level = energy.levels.get(code="junior")
    answers = [r for _recv, r in exam_sittings_for_registration.send_robust(sender=energy, level=level) if r]
    [sittings] = answers
    assert sittings and all(s["starts_at"] > timezone.now() + timedelta(days=7) for s in sittings)
    assert {"id", "label", "starts_at"} == set(sittings[0])


def test_eligibility_needs_hours(energy, make_learner, sitting_now):
    from course_content.models import Enrolment
    from exam_plugin.services.sittings import admit, eligibility_problems

    learner = make_learner(energy)
    enrolment = Enrolment.objects.get(learner=learner)
    sitting = sitting_now()
    assert eligibility_problems(enrolment, sitting)
    with pytest.raises(ValueError):
        admit(sitting, enrolment)


def test_sign_up_gives_an_admission_number(eligible, energy, logged_in):
    enrolment = eligible()
    sitting = ExamSitting.objects.filter(program=energy, starts_at__gt=timezone.now() + timedelta(days=8)).first()
    client = logged_in(enrolment.learner)
    client.post(program_url(energy, "exam_plugin:sign_up", sitting_id=sitting.pk), {"enrolment": enrolment.pk})
    candidate = sitting.candidates.get(enrolment=enrolment)
    assert candidate.admission_number.startswith(timezone.localtime(sitting.starts_at).strftime("%Y%m%d"))
    home = client.get(program_url(energy, "exam_plugin:home")).content.decode()
    assert candidate.admission_number in home
    dashboard = client.get("/dashboard/").content.decode()
    assert candidate.admission_number in dashboard


def test_program_page_lists_exam_dates_in_working_days(energy, client):
    from course_content.services.calendar import add_working_days

    response = client.get(energy.url)
    body = response.content.decode()
    sitting = ExamSitting.objects.filter(program=energy, starts_at__gt=timezone.now()).order_by("starts_at").first()
    results = add_working_days(timezone.localdate(sitting.starts_at), 15)
    assert f"{results:%Y-%m-%d}" in body
    assert program_url(energy, "exam_plugin:home") in body


@pytest.fixture
def staff(django_user_model):
    def make(role):
        user = django_user_model.objects.create_user(username=f"u-{role}", password="x", real_name=role)
        user.groups.add(roles.group(role))
        return user

    return make


def test_admin_screens_check_permissions(site_data, client, staff):
    grader = staff(roles.GRADER)
    client.force_login(grader)
    assert client.get("/admin/exam-office/grading/").status_code == 200
    for url in ("/admin/exam-office/", "/admin/exam-office/bank/"):
        response = client.get(url)  # Wagtail turns PermissionDenied into a redirect home
        assert response.status_code in (302, 403) and response.get("Location", "/admin/") == "/admin/"
    client.force_login(staff(roles.PROGRAM_ADMIN))
    assert client.get("/admin/exam-office/").status_code == 200
    assert client.get("/admin/exam-office/bank/").status_code == 200


def test_overview_names_bank_gaps(energy, client, admin_user):
    from exam_plugin.models import Question

    Question.objects.filter(program=energy, kind="short").update(status="draft")
    client.force_login(admin_user)
    body = client.get("/admin/exam-office/").content.decode()
    assert "bank-gaps" in body


def test_sitting_admin_compensates_a_batch_and_statistics_export(without_proctoring, eligible, sitting_now, client,
                                                                 admin_user, energy):
    from exam_plugin.services.sittings import admit

    sitting = sitting_now()
    started = [attempts.start_formal_attempt(admit(sitting, eligible())) for _ in range(3)]
    client.force_login(admin_user)
    page = client.get(f"/admin/exam-office/sittings/{sitting.pk}/")
    assert page.status_code == 200
    client.post(f"/admin/exam-office/sittings/{sitting.pk}/", {
        "action": "compensate", "attempts": [started[0].pk, started[1].pk], "minutes": 10, "reason": "停电",
    })
    deadlines = [Attempt.objects.get(pk=a.pk).deadline for a in started]
    assert deadlines[0] == deadlines[1] == sitting.ends_at + timedelta(minutes=10) and deadlines[2] == sitting.ends_at
    missing_reason = client.post(f"/admin/exam-office/sittings/{sitting.pk}/", {
        "action": "compensate", "attempts": [started[2].pk], "minutes": 10, "reason": ""})
    assert missing_reason.status_code == 200 and Attempt.objects.get(pk=started[2].pk).compensation_minutes == 0
    # the same paper for all three (as with one seed), answered differently, handed in
    reference = {i.position: i for i in started[0].items.all()}
    for attempt in started[1:]:
        for item in attempt.items.all():
            item.question_id, item.option_order = reference[item.position].question_id, reference[item.position].option_order
            item.save(update_fields=["question", "option_order"])
    for n, attempt in enumerate(started):
        answers = []
        for item in attempt.items.select_related("question").filter(question__kind="single"):
            right = item.option_order.index(item.question.correct[0])
            answers.append({"position": item.position, "seq": 1, "value": [right if item.position < 10 * (n + 1) else (right + 1) % 4]})
        attempts.save_answers(attempt, answers)
        attempts.hand_in(attempt, reason="t", forced=True)
    stats_page = client.get(f"/admin/exam-office/sittings/{sitting.pk}/statistics/")
    body = stats_page.content.decode()
    assert "<svg" in body and 'id="stats-n">3<' in body
    from exam_plugin.services.statistics import sitting_statistics

    stats = sitting_statistics(sitting)
    assert sum(b["count"] for b in stats["histogram"]) == 3 and stats["pass_rate"] == 0.0
    # everyone got the first ten single choices right, only the best also got 11–30
    assert {q["n"] for q in stats["questions"]} == {3}
    assert any(q["difficulty"] == 1.0 for q in stats["questions"])
    assert any(q["discrimination"] and q["discrimination"] > 0 for q in stats["questions"])
    assert all("*" in q["options"] for q in stats["questions"] if q["options"])
    csv = client.get(f"/admin/exam-office/sittings/{sitting.pk}/statistics/?format=csv")
    assert csv["Content-Type"].startswith("text/csv") and "difficulty" in csv.content.decode("utf-8-sig")
    xlsx = client.get(f"/admin/exam-office/sittings/{sitting.pk}/statistics/?format=xlsx")
    assert xlsx.content[:2] == b"PK"


def test_grading_page_is_anonymous_and_records_marks(without_proctoring, candidate, client, staff):
    attempt = attempts.start_formal_attempt(candidate)
    short = attempt.items.filter(question__kind="short").first()
    attempts.save_answers(attempt, [{"position": short.position, "seq": 1, "value": "我的回答"}])
    attempts.hand_in(attempt, reason="t", forced=True)
    grader = staff(roles.GRADER)
    client.force_login(grader)
    body = client.get(f"/admin/exam-office/grading/?program={candidate.sitting.program_id}").content.decode()
    learner = candidate.enrolment.learner
    assert "我的回答" in body and learner.real_name not in body and candidate.admission_number not in body
    client.post(f"/admin/exam-office/grading/?program={candidate.sitting.program_id}", {"item": short.pk, "score": "99"})
    assert AttemptItem.objects.get(pk=short.pk).final_score is None  # out of range: refused
    client.post(f"/admin/exam-office/grading/?program={candidate.sitting.program_id}", {"item": short.pk, "score": "3"})
    assert AttemptItem.objects.get(pk=short.pk).final_score == 3
    assert Attempt.objects.get(pk=attempt.pk).status == Attempt.Status.GRADED
    assert grading.grader_queue(candidate.sitting.program, grader) == []


def test_bank_import_page_reports_rows(energy, client, admin_user):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(admin_user)
    bad = "code,type,levels,knowledge_point,stem,options,correct,points,difficulty,status,pool,reference_answer,rubric\nX,single,,M9,s,\"A. a\nB. b\",A,1,2,draft,both,,\n"
    response = client.post("/admin/exam-office/bank/", {
        "program": energy.pk, "file": SimpleUploadedFile("bank.csv", bad.encode(), "text/csv")})
    assert "import-errors" in response.content.decode() and "M9" in response.content.decode()
    export = client.get(f"/admin/exam-office/bank/?program={energy.pk}&format=xlsx")
    assert export.content[:2] == b"PK"


def test_model_admin_screens_render(energy, client, admin_user):
    from django.urls import reverse

    from exam_plugin.models import Question

    question = Question.objects.filter(program=energy).first()
    sitting = ExamSitting.objects.filter(program=energy).first()
    client.force_login(admin_user)
    for url in (reverse("question:index"), reverse("question:edit", args=[question.pk]), reverse("examsitting:index"),
                reverse("examsitting:edit", args=[sitting.pk]), reverse("blueprint:index"), reverse("knowledgepoint:index"),
                f"/admin/exam-office/sittings/{sitting.pk}/"):
        assert client.get(url).status_code == 200, url


def test_registration_decision_and_chosen_sitting(energy, make_learner, grant_hours):
    from course_content.models import Enrolment
    from course_content.registration.models import Registration
    from exam_plugin.services.sittings import eligibility_problems, registration_approved

    learner = make_learner(energy)
    enrolment = Enrolment.objects.get(learner=learner)
    Enrolment.objects.filter(pk=enrolment.pk).update(source=Enrolment.Source.REGISTRATION)
    enrolment.refresh_from_db()
    sitting = ExamSitting.objects.filter(program=energy, kind="formal", starts_at__gt=timezone.now()).first()
    registration = Registration.objects.create(
        program=energy, level=enrolment.level, candidate=learner, enrolment=enrolment, status="submitted",
        exam_sitting_id=str(sitting.pk),
    )
    assert registration_approved(enrolment) is False
    assert any("registration" in p.lower() or "报名" in p for p in eligibility_problems(enrolment, sitting))
    Registration.objects.filter(pk=registration.pk).update(status="approved")
    assert registration_approved(enrolment) is True
    assert not sitting.candidates.filter(enrolment=enrolment).exists()  # hours not met yet
    grant_hours(enrolment, 36)  # newly met: admitted to the sitting chosen at registration
    assert sitting.candidates.filter(enrolment=enrolment).exists()


def test_make_up_fee_must_be_paid_before_entry(without_proctoring, candidate, logged_in, energy):
    from exam_plugin.services.sittings import admit, create_make_up

    sitting = candidate.sitting
    make_up = create_make_up(sitting, starts_at=timezone.now() - timedelta(minutes=1),
                             ends_at=timezone.now() + timedelta(hours=2), fee_required=True)
    second = admit(make_up, candidate.enrolment)
    assert second.fee_paid is False
    client = logged_in(candidate.enrolment.learner)
    client.post(program_url(energy, "exam_plugin:enter", sitting_id=make_up.pk))
    assert not Attempt.objects.filter(candidate=second).exists()
    second.fee_paid = True
    second.save()
    client.post(program_url(energy, "exam_plugin:enter", sitting_id=make_up.pk))
    assert Attempt.objects.get(candidate=second).mode == "formal"
