"""Learner pages of the exam plugin (program-scoped: ``request.program`` is set by the
plugin gate). Thin: rules live in ``exam_plugin.services``."""

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from course_content.models import Enrolment
from plugins.urls import program_url

from ..models import Attempt, Candidate, ExamSitting
from ..services import admission, clock, entry_identity, grading, mock, payloads, sittings
from ..services import attempts as attempt_services
from ..services.papers import BankShortage
from ..signals import attempt_entry_checks, exam_page_assets

logger = logging.getLogger(__name__)


def _enrolments(request):
    return list(
        Enrolment.objects.filter(learner=request.user, program=request.program).select_related("level", "program")
    )


def exam_overview(request, enrolment) -> dict:
    """Context for the dashboard panel and the exam home: next sitting, candidacy,
    whether entry is open now, latest result."""
    now = timezone.now()
    program = enrolment.program
    upcoming = sittings.upcoming_sittings(program, enrolment.level, now=now, kinds=("formal", "make_up", "mock"))[:4]
    rows = []
    identity_required = entry_identity.required(program)
    for sitting in upcoming:
        candidate = Candidate.objects.filter(sitting=sitting, enrolment=enrolment).first()
        opens, closes = clock.entry_window(sitting)
        attempt = Attempt.objects.filter(candidate=candidate).first() if candidate else None
        rows.append({
            "sitting": sitting,
            "dates": sittings.derived_dates(sitting),
            "candidate": candidate,
            "attempt": attempt,
            "entry_open": candidate is not None and (opens <= now <= closes or (attempt is not None and attempt.is_open)),
            "entry_opens": opens,
            "sign_up_open": candidate is None and sittings.sign_up_closes_at(sitting) > now,
            "problems": sittings.eligibility_problems(enrolment, sitting) if candidate is None else [],
            "identity_needed": candidate is not None and identity_required
            and not entry_identity.is_verified(request, candidate),
        })
    results = list(
        Attempt.objects.filter(enrolment=enrolment, mode=Attempt.Mode.FORMAL, scored=True)
        .select_related("sitting").order_by("-started_at")[:3]
    )
    for result in results:
        pending = result.status in (Attempt.Status.SUBMITTED, Attempt.Status.GRADED)
        result.release_date = sittings.derived_dates(result.sitting)["results"] if pending else None
    return {
        "program": program,
        "enrolment": enrolment,
        "rows": rows,
        "next": _headline(rows, enrolment),
        "results": results,
        "home_url": program_url(program, "exam_plugin:home"),
    }


def _headline(rows, enrolment):
    """The sitting the dashboard names: a formal sitting the learner is a candidate of, else
    the one chosen in the approved registration, else the next formal one (a paired mock
    test comes earlier but is never the headline)."""
    formal = [row for row in rows if row["sitting"].kind != "mock"]
    for row in formal:
        if row["candidate"] is not None:
            return row
    approved = sittings.approved_registrations(enrolment)
    chosen = set(approved.values_list("exam_sitting_id", flat=True)) if approved is not None else set()
    for row in rows:
        if str(row["sitting"].pk) in chosen:
            return row
    return formal[0] if formal else (rows[0] if rows else None)


@login_required
def home(request):
    enrolments = _enrolments(request)
    overviews = [exam_overview(request, e) for e in enrolments]
    attempts = (
        Attempt.objects.filter(enrolment__in=enrolments).select_related("sitting", "enrolment__level").order_by("-started_at")[:30]
    )
    return render(request, "exam_plugin/home.html", {
        "program": request.program, "overviews": overviews, "attempts": attempts,
        "has_enrolment": bool(enrolments),
    })


def _own_enrolment(request, enrolment_id):
    if not str(enrolment_id).isdigit():  # a tampered form field is "not found", not a server error
        raise Http404
    return get_object_or_404(Enrolment, pk=enrolment_id, learner=request.user, program=request.program)


@login_required
@require_POST
def sign_up(request, sitting_id):
    sitting = get_object_or_404(ExamSitting, pk=sitting_id, program=request.program)
    enrolment = _own_enrolment(request, request.POST.get("enrolment"))
    if sittings.sign_up_closes_at(sitting) <= timezone.now():
        messages.error(request, _("Sign-up for this sitting closed one week before the exam."))
    else:
        try:
            candidate = sittings.admit(sitting, enrolment)
            messages.success(request, _("You are a candidate. Admission number: %(number)s") % {"number": candidate.admission_number})
        except ValueError as err:
            messages.error(request, str(err))
    return redirect(program_url(request.program, "exam_plugin:home"))


def _entry_redirect(request, candidate, attempt):
    """The first pre-flight URL a plugin asks for, or None."""
    for _receiver, answer in attempt_entry_checks.send_robust(
        sender=request.program, request=request, candidate=candidate, attempt=attempt
    ):
        if isinstance(answer, dict) and answer.get("url"):
            if answer.get("reason"):
                messages.info(request, answer["reason"])
            return answer["url"]
    return None


@login_required
@require_POST
def enter(request, sitting_id):
    candidate = get_object_or_404(
        Candidate.objects.select_related("sitting", "enrolment__level", "enrolment__program"),
        sitting_id=sitting_id, sitting__program=request.program, enrolment__learner=request.user,
    )
    home_url = program_url(request.program, "exam_plugin:home")
    if candidate.sitting.fee_required and not candidate.fee_paid:
        messages.error(request, _("The make-up exam fee has not been paid yet."))
        return redirect(home_url)
    if entry_identity.required(request.program) and not entry_identity.is_verified(request, candidate):
        try:
            entry_identity.verify(request, candidate, request.POST.get("admission_number", "")[:64],
                                  request.POST.get("document_number", "")[:64])
        except entry_identity.EntryIdentityRefused as err:
            messages.error(request, str(err))
            return redirect(home_url)
    existing = Attempt.objects.filter(candidate=candidate).first()
    preflight = _entry_redirect(request, candidate, existing)
    if preflight:
        return redirect(preflight)
    try:
        attempt = attempt_services.start_formal_attempt(candidate)
    except clock.ClockRefusal as err:
        messages.error(request, str(err))
        return redirect(home_url)
    except BankShortage:
        messages.error(request, _("The paper cannot be drawn yet. Please contact the exam office."))
        return redirect(home_url)
    return redirect(program_url(request.program, "exam_plugin:attempt", attempt_id=attempt.pk))


@login_required
def mock_instructions(request):
    """What a mock paper is (duration, questions, pass line, that it does not count),
    with the button that starts it; one card per level the learner is enrolled in (or
    the one named by ``?enrolment=``)."""
    enrolments = _enrolments(request)
    wanted = request.GET.get("enrolment")
    if wanted is not None:
        enrolments = [_own_enrolment(request, wanted)]
    if not enrolments:
        raise Http404
    return render(request, "exam_plugin/mock_instructions.html", {
        "program": request.program,
        "cards": [{"enrolment": e, "facts": mock.mock_facts(e)} for e in enrolments],
        "home_url": program_url(request.program, "exam_plugin:home"),
    })


@login_required
def admission_ticket(request, sitting_id):
    """The learner's own admission ticket (PDF) for a sitting; anyone else's is 404."""
    candidate = get_object_or_404(
        Candidate.objects.select_related("sitting__program", "enrolment__learner", "enrolment__level"),
        sitting_id=sitting_id, sitting__program=request.program, enrolment__learner=request.user,
    )
    response = HttpResponse(admission.ticket_pdf(candidate), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="admission-ticket-{candidate.admission_number}.pdf"'
    return response


@login_required
@require_POST
def start_mock(request):
    enrolment = _own_enrolment(request, request.POST.get("enrolment"))
    try:
        attempt = attempt_services.start_mock_attempt(enrolment)
    except BankShortage as err:
        # What the bank lacks is for the exam office (the admin bank page lists it), not the learner.
        logger.warning("mock paper for %s/%s cannot be drawn: %s", request.program.program_path, enrolment.level.code, err)
        messages.error(request, _("The mock test is not available yet. Please try again later; the exam office has been told."))
        return redirect(program_url(request.program, "exam_plugin:home"))
    return redirect(program_url(request.program, "exam_plugin:attempt", attempt_id=attempt.pk))


def _own_attempt(request, attempt_id) -> Attempt:
    attempt = get_object_or_404(
        Attempt.objects.select_related("sitting", "enrolment__program", "enrolment__level", "candidate"),
        pk=attempt_id, enrolment__learner=request.user, enrolment__program=request.program,
    )
    return attempt_services.refresh(attempt)


def exam_page_strings() -> dict:
    return {
        "saved": _("All answers saved"),
        "saving": _("Saving…"),
        "pending": _("Saved on this device, sending…"),
        "offline": _("Offline: answers kept on this device"),
        "error": _("Not saved to the server yet; retrying"),
        "closed": _("The exam has ended"),
        "confirm": _("You answered %(answered)s of %(total)s questions. Hand in now? You cannot change your answers afterwards."),
        "unanswered": _("Unanswered"),
        "answered": _("Answered"),
        "points": _("(%(points)s points)"),
        "single": _("Single choice"),
        "multiple": _("Multiple choice"),
        "short": _("Short answer"),
        "timeup": _("Time is up. Your paper has been handed in."),
        "loadfail": _("The paper could not be loaded. Check your connection and reload the page."),
        "auth": _("Your session has expired. Your answers are kept on this device and will be sent after you log in again."),
        "relogin": _("Log in again (opens a new tab)"),
        "login_url": resolve_url(settings.LOGIN_URL),
        "login_done": "/",  # the new tab lands on the home page; the exam tab flushes by itself
        "mark": _("Mark for review"),
        "marked": _("Marked for review"),
        "hand_in_from": _("(from %(time)s)"),
        "warn15": _("15 minutes left. Check your answers; the paper is handed in automatically when time is up."),
        "warn5": _("5 minutes left. The paper is handed in automatically when time is up."),
        "list_separator": _(", "),
        "no_language_switch": _("The language cannot be changed during an exam."),
    }


@login_required
def attempt_page(request, attempt_id):
    attempt = _own_attempt(request, attempt_id)
    if not attempt.is_open:
        return redirect(program_url(request.program, "exam_plugin:result", attempt_id=attempt.pk))
    assets = []
    if attempt.candidate_id and attempt.mode == Attempt.Mode.FORMAL:
        preflight = _entry_redirect(request, attempt.candidate, attempt)
        if preflight:
            return redirect(preflight)
        assets = [
            html for _receiver, html in exam_page_assets.send_robust(sender=request.program, request=request, attempt=attempt)
            if isinstance(html, str) and html
        ]
    return render(request, "exam_plugin/exam_page.html", {
        "program": request.program,
        "attempt": attempt,
        "api_base": program_url(request.program, "exam_plugin:home") + "api/",
        "result_url": program_url(request.program, "exam_plugin:result", attempt_id=attempt.pk),
        "plugin_assets": assets,
        "strings": exam_page_strings(),
    })


@login_required
def result_page(request, attempt_id):
    attempt = _own_attempt(request, attempt_id)
    if attempt.is_open:
        return redirect(program_url(request.program, "exam_plugin:attempt", attempt_id=attempt.pk))
    if attempt.status == Attempt.Status.GRADED and attempt.sitting and attempt.sitting.results_released_at \
            and attempt.sitting.results_released_at <= timezone.now():
        grading.release(attempt)
        attempt.refresh_from_db()
    return render(request, "exam_plugin/result.html", {
        "program": request.program, "attempt": attempt, "result": payloads.result_payload(attempt),
        **_release_date(attempt), "pass_line": mock.pass_line(request.program),
        "home_url": program_url(request.program, "exam_plugin:home"),
        "certificate_dates": sittings.result_certificate_dates(attempt),
    })


def _release_date(attempt) -> dict:
    """When a pending result will be released: the sitting's release time when the exam
    office set one, else the date the program's rules give (working days after the exam)."""
    sitting = attempt.sitting
    if sitting is None or attempt.status == Attempt.Status.RELEASED:
        return {"release_on": None, "release_expected": None}
    if sitting.results_released_at:
        return {"release_on": timezone.localtime(sitting.results_released_at), "release_expected": None}
    return {"release_on": None, "release_expected": sittings.derived_dates(sitting)["results"]}


@login_required
def practice_page(request):
    if not _enrolments(request):
        raise Http404
    return render(request, "exam_plugin/practice.html", {
        "program": request.program, "api_base": program_url(request.program, "exam_plugin:home") + "api/",
        "strings": {
            "check": _("Check"), "right": _("Correct"), "wrong": _("Not correct"),
            "reference": _("Reference answer"), "correct_is": _("Correct answer"), "empty": _("No practice questions yet."),
        },
    })
