"""Wagtail admin screens of the learning core: adding an enrolment, the per-learner interval
audit, the hours CSV export and the per-program hours report. Program admins (and
superusers) only; registered (URLs, menu items, the enrolment viewset) in ``wagtail_hooks``."""

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from wagtail.admin.views.generic import CreateView
from wagtail.log_actions import log

from ..forms import ProgramChoiceForm
from ..models import Enrolment, ProgramPage, StudyInterval
from ..services import ledger, reports
from ..services.editorial import can_view_hours
from ..services.ledger.progress import format_duration


class EnrolmentCreateView(CreateView):
    def save_instance(self):
        enrolment = self.form.enrol()
        log(instance=enrolment, action="wagtail.create", user=self.request.user)
        return enrolment


def _require_hours_permission(request):
    if not can_view_hours(request.user):
        raise PermissionDenied


def interval_audit(request, pk):
    """Every ledger row behind one enrolment's total, oldest first."""
    _require_hours_permission(request)
    enrolment = get_object_or_404(Enrolment.objects.select_related("learner", "program", "level"), pk=pk)
    intervals = StudyInterval.objects.filter(enrolment=enrolment).order_by("started_at")
    seconds = ledger.credited_seconds(enrolment)
    return TemplateResponse(
        request,
        "course_content/admin/interval_audit.html",
        {
            "enrolment": enrolment,
            "intervals": intervals,
            "seconds": seconds,
            "studied": format_duration(seconds),
            "class_hours": ledger.class_hours(enrolment),
            "export_url": reverse("course_content_admin:hours_export") + f"?enrolment={enrolment.pk}",
        },
    )


def hours_export(request):
    """CSV of hours per enrolment: all, one program (``?program=``) or one enrolment."""
    _require_hours_permission(request)
    enrolments = Enrolment.objects.select_related("learner", "program", "level").order_by("program__path", "pk")
    if request.GET.get("program", "").isdigit():
        enrolments = enrolments.filter(program_id=int(request.GET["program"]))
    if request.GET.get("enrolment", "").isdigit():
        enrolments = enrolments.filter(pk=int(request.GET["enrolment"]))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="study-hours-{timezone.localdate():%Y%m%d}.csv"'
    response.write("\ufeff")  # Excel opens UTF-8 Chinese text correctly with a BOM
    reports.write_hours_csv(response, enrolments)
    return response


def hours_report(request):
    """Per program: the distribution of progress as a bar chart and who has met the requirement."""
    _require_hours_permission(request)
    form = ProgramChoiceForm(request.GET or None)
    program = None
    if form.is_bound and form.is_valid():
        program = form.cleaned_data["program"]
    if program is None:
        program = ProgramPage.objects.order_by("path").first()
        form = ProgramChoiceForm(initial={"program": program})
    context = {"form": form, "program": program}
    if program is not None:
        rows = reports.enrolment_totals(reports.program_enrolments(program))
        distribution = reports.hours_distribution(rows)
        context.update(
            rows=rows,
            met_rows=[row for row in rows if row["met"]],
            chart=reports.bar_chart(distribution),
            export_url=reverse("course_content_admin:hours_export") + f"?program={program.pk}",
        )
    return TemplateResponse(request, "course_content/admin/hours_report.html", context)
