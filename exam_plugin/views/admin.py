"""Exam office screens in the Wagtail admin: overview, sittings (candidates, time
compensation, make-up sittings, release, statistics), the grader queue and bank
import/export. Each view checks its permission; graders never see learners."""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from course_content.models import ProgramPage
from plugins.services import is_enabled

from ..forms import BankImportForm, CompensationForm, MakeUpForm, MarkForm, ProgramChoiceForm
from ..models import Attempt, AttemptItem, Blueprint, ExamSitting, OfflineSpell
from ..services import admission, grading, sittings, statistics
from ..services import attempts as attempt_services
from ..services.bank import ImportFailed, export_bank, import_bank
from ..services.papers import check_blueprint

MANAGE = "exam_plugin.manage_exams"
GRADE = "exam_plugin.grade_answers"
BANK = "exam_plugin.manage_question_bank"


def has(user, perm) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.has_perm(perm))


def _require(request, perm):
    if not has(request.user, perm):
        raise PermissionDenied


def _exam_programs():
    return [p for p in ProgramPage.objects.live().order_by("path") if is_enabled(p, "exam_plugin")]


def overview(request):
    """Upcoming sittings per program and what the bank lacks for each blueprint."""
    _require(request, MANAGE)
    now = timezone.now()
    rows = []
    for program in _exam_programs():
        blueprints = Blueprint.objects.filter(program=program).select_related("level", "program")
        rows.append({
            "program": program,
            "sittings": ExamSitting.objects.filter(program=program, ends_at__gte=now - timedelta(days=60))
            .order_by("starts_at")[:8],
            "bank_gaps": [(bp.level, check_blueprint(bp)) for bp in blueprints],
            # mock papers hold practice questions only (services.exposure)
            "mock_gaps": [(bp.level, check_blueprint(bp, formal=False)) for bp in blueprints],
        })
    return TemplateResponse(request, "exam_plugin/admin/overview.html", {"rows": rows})


def sitting_detail(request, pk):
    _require(request, MANAGE)
    sitting = get_object_or_404(ExamSitting.objects.select_related("program"), pk=pk)
    compensation_form = CompensationForm(sitting=sitting)
    make_up_form = MakeUpForm()
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "admit":
            admitted, skipped = sittings.admit_eligible(sitting)
            messages.success(request, _("%(n)s candidates admitted, %(s)s enrolments not eligible.") % {"n": admitted, "s": skipped})
            return redirect("exam_plugin_admin:sitting", pk=pk)
        if action == "compensate":
            compensation_form = CompensationForm(request.POST, sitting=sitting)
            if compensation_form.is_valid():
                done, refused = attempt_services.compensate_batch(
                    compensation_form.cleaned_data["attempts"], compensation_form.cleaned_data["minutes"],
                    reason=compensation_form.cleaned_data["reason"], by=request.user,
                )
                messages.success(request, _("Time compensated for %(n)s candidates.") % {"n": done})
                for message in refused:
                    messages.error(request, message)
                return redirect("exam_plugin_admin:sitting", pk=pk)
        elif action == "make_up":
            make_up_form = MakeUpForm(request.POST)
            if make_up_form.is_valid():
                make_up = sittings.create_make_up(
                    sitting, starts_at=make_up_form.cleaned_data["starts_at"], ends_at=make_up_form.cleaned_data["ends_at"],
                    fee_required=make_up_form.cleaned_data["fee_required"], by=request.user,
                )
                messages.success(request, _("Make-up sitting created."))
                return redirect("exam_plugin_admin:sitting", pk=make_up.pk)
        elif action == "fee_paid":
            sitting.candidates.filter(pk=request.POST.get("candidate")).update(fee_paid=True)
            return redirect("exam_plugin_admin:sitting", pk=pk)
        elif action == "release":
            count = grading.release_sitting(sitting)
            messages.success(request, _("%(n)s results released.") % {"n": count})
            return redirect("exam_plugin_admin:sitting", pk=pk)
        else:
            messages.error(request, _("Please correct the errors below."))
    attempts = {a.candidate_id: a for a in Attempt.objects.filter(sitting=sitting)}
    candidates = [
        {"candidate": c, "attempt": attempts.get(c.pk)}
        for c in sitting.candidates.select_related("enrolment__learner", "enrolment__level")
    ]
    return TemplateResponse(request, "exam_plugin/admin/sitting.html", {
        "sitting": sitting, "candidates": candidates, "counts": grading.waiting_counts(sitting),
        "compensation_form": compensation_form, "make_up_form": make_up_form,
        "dates": sittings.derived_dates(sitting),
        "offline_spells": OfflineSpell.objects.filter(attempt__sitting=sitting).select_related("attempt__candidate"),
    })


def sitting_admission_tickets(request, pk):
    """Every candidate's admission ticket of a sitting, one PDF (a page each)."""
    _require(request, MANAGE)
    sitting = get_object_or_404(ExamSitting.objects.select_related("program"), pk=pk)
    if not sitting.candidates.exists():
        messages.error(request, _("This sitting has no candidates yet: there is no admission ticket to print."))
        return redirect("exam_plugin_admin:sitting", pk=pk)
    response = HttpResponse(admission.sitting_tickets_pdf(sitting), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="admission-tickets-sitting-{sitting.pk}.pdf"'
    return response


def sitting_statistics(request, pk):
    _require(request, MANAGE)
    sitting = get_object_or_404(ExamSitting, pk=pk)
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx"):
        content = statistics.export_statistics(sitting, fmt)
        content_type = "text/csv; charset=utf-8" if fmt == "csv" else (
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="sitting-{sitting.pk}-statistics.{fmt}"'
        return response
    stats = statistics.sitting_statistics(sitting)
    return TemplateResponse(request, "exam_plugin/admin/statistics.html", {
        "sitting": sitting, "stats": stats, "chart": mark_safe(statistics.histogram_svg(stats["histogram"])),  # noqa: S308 - built from numbers
    })


def grader_queue(request):
    """Short answers waiting for the current grader, anonymised."""
    _require(request, GRADE)
    programs = _exam_programs()
    program = next((p for p in programs if str(p.pk) == request.GET.get("program")), programs[0] if programs else None)
    if request.method == "POST" and program is not None:
        form = MarkForm(request.POST)
        if form.is_valid():
            item = get_object_or_404(AttemptItem, pk=form.cleaned_data["item"], attempt__enrolment__program=program)
            try:
                grading.record_mark(item, request.user, form.cleaned_data["score"], form.cleaned_data["comment"])
                messages.success(request, _("Mark saved."))
            except grading.GradingError as err:
                messages.error(request, str(err))
        else:
            messages.error(request, _("Enter a valid score."))
        return redirect(f"{request.path}?program={program.pk}")
    queue = grading.grader_queue(program, request.user) if program else []
    return TemplateResponse(request, "exam_plugin/admin/grading.html", {
        "programs": programs, "program": program, "queue": queue,
    })


def bank_transfer(request):
    """Import (all-or-nothing, each bad row reported) and export of the question bank."""
    _require(request, BANK)
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx"):
        program = get_object_or_404(ProgramPage, pk=request.GET.get("program"))
        content_type = "text/csv; charset=utf-8" if fmt == "csv" else (
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response = HttpResponse(export_bank(program, fmt), content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="question-bank-{program.slug}.{fmt}"'
        return response
    form = BankImportForm(request.POST or None, request.FILES or None)
    row_errors = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        kind = "csv" if upload.name.lower().endswith(".csv") else "xlsx"
        try:
            counts = import_bank(form.cleaned_data["program"], upload.read(), kind, user=request.user)
        except ImportFailed as err:
            row_errors = err.errors
            messages.error(request, _("Nothing was imported: %(n)s rows have errors.") % {"n": len(row_errors)})
        else:
            messages.success(request, _("Imported: %(created)s new, %(updated)s changed, %(unchanged)s unchanged.") % counts)
            return redirect("exam_plugin_admin:bank")
    return TemplateResponse(request, "exam_plugin/admin/bank.html", {
        "form": form, "export_form": ProgramChoiceForm(), "row_errors": row_errors,
        "columns": ["code", "type", "levels", "knowledge_point", "stem", "options", "correct", "points",
                    "difficulty", "status", "pool", "reference_answer", "rubric"],
    })
