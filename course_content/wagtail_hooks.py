"""Admin screens of the learning core: enrolments, the per-learner interval audit, the
hours CSV export and the per-program hours report. Program admins (and superusers) only."""

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.generic import CreateView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.log_actions import log

from . import ledger, reports
from .admin_forms import EnrolmentCreateForm, ProgramChoiceForm
from .editorial import can_view_hours
from .ledger.progress import format_duration
from .models import Enrolment, ProgramPage, StudyInterval


class EnrolmentCreateView(CreateView):
    def save_instance(self):
        enrolment = self.form.enrol()
        log(instance=enrolment, action="wagtail.create", user=self.request.user)
        return enrolment


def _learner_label(enrolment):
    learner = enrolment.learner
    return f"{learner.real_name or learner.username} ({learner.document_number or '-'})"


class EnrolmentViewSet(ModelViewSet):
    model = Enrolment
    icon = "group"
    menu_label = _("Enrolments")
    menu_order = 250
    add_to_admin_menu = True
    url_prefix = "enrolments"
    search_backend_name = None
    search_fields = ["learner__real_name", "learner__document_number", "learner__phone"]
    list_filter = ["program", "source"]
    form_fields = ["source"]
    add_view_class = EnrolmentCreateView
    list_display = [
        TitleColumn("learner", label=_("Learner"), accessor=_learner_label,
                    get_url=lambda e: reverse("course_content_hours:audit", args=[e.pk])),
        Column("program", label=_("Program"), accessor=lambda e: e.program.display_name),
        Column("level", label=_("Level"), accessor=lambda e: e.level.name),
        Column("class_hours", label=_("Class hours"), accessor=lambda e: f"{ledger.class_hours(e)} / {e.level.required_hours}"),
        Column("source", label=_("Source"), accessor="get_source_display"),
        Column("created_at", label=_("Enrolled at"), accessor=lambda e: timezone.localtime(e.created_at).strftime("%Y-%m-%d %H:%M")),
    ]

    def get_queryset(self, request):
        return Enrolment.objects.select_related("learner", "program", "level").order_by("-created_at")

    def get_form_class(self, for_update=False):
        if not for_update:
            return EnrolmentCreateForm
        return super().get_form_class(for_update=True)


enrolment_viewset = EnrolmentViewSet("enrolments")


@hooks.register("register_admin_viewset")
def register_enrolment_viewset():
    return enrolment_viewset


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
            "export_url": reverse("course_content_hours:export") + f"?enrolment={enrolment.pk}",
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
            export_url=reverse("course_content_hours:export") + f"?program={program.pk}",
        )
    return TemplateResponse(request, "course_content/admin/hours_report.html", context)


@hooks.register("register_admin_urls")
def register_hours_urls():
    return [
        path(
            "study-hours/",
            include_hours_urls(),
        )
    ]


def include_hours_urls():
    from django.urls import include

    return include(
        (
            [
                path("report/", hours_report, name="report"),
                path("export.csv", hours_export, name="export"),
                path("enrolment/<int:pk>/", interval_audit, name="audit"),
            ],
            "course_content_hours",
        ),
        namespace="course_content_hours",
    )


class HoursMenuItem(MenuItem):
    def is_shown(self, request):
        return can_view_hours(request.user)


@hooks.register("register_admin_menu_item")
def register_hours_menu_item():
    return HoursMenuItem(_("Study hours"), reverse("course_content_hours:report"), icon_name="time", order=260)


# -- curriculum import/export (course_content.curriculum) ---------------------------------


@hooks.register("register_admin_urls")
def register_curriculum_urls():
    from django.urls import include

    from .curriculum import admin_views

    return [
        path("curriculum/", include(([
            path("export/<int:program_id>/", admin_views.export_view, name="export"),
            path("import/", admin_views.import_view, name="import"),
        ], "course_content_curriculum"), namespace="course_content_curriculum")),
    ]


@hooks.register("register_page_header_buttons")
def curriculum_export_button(page, user, view_name=None, next_url=None):
    from wagtail.admin.widgets import Button

    from .curriculum.admin_views import can_export

    if page.specific_class is ProgramPage and can_export(user, page):
        yield Button(_("Export curriculum"), reverse("course_content_curriculum:export", args=[page.pk]),
                     icon_name="download", priority=80)


class CurriculumImportMenuItem(MenuItem):
    def is_shown(self, request):
        from .curriculum.admin_views import can_import

        return can_import(request.user)


@hooks.register("register_settings_menu_item")
def register_curriculum_menu_item():
    return CurriculumImportMenuItem(_("Curriculum import"), reverse("course_content_curriculum:import"),
                                    icon_name="download", order=900)
