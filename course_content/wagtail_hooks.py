"""Admin hooks of the learning core: the enrolment viewset, the study-hours screens (the
per-learner interval audit, the hours CSV export and the per-program hours report; views in
``views.admin``) and curriculum import/export (``views.curriculum_admin``). Program admins
(and superusers) only."""

from django.urls import include, path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.viewsets.model import ModelViewSet

from .forms import EnrolmentCreateForm
from .models import Enrolment, ProgramPage
from .services import ledger
from .services.editorial import can_view_hours
from .views import curriculum_admin
from .views.admin import EnrolmentCreateView, hours_export, hours_report, interval_audit


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
                    get_url=lambda e: reverse("course_content_admin:hours_audit", args=[e.pk])),
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


@hooks.register("register_admin_urls")
def register_admin_urls():
    """The learning core's admin screens, one namespace: the study-hours screens and
    curriculum import/export."""
    urls = [
        path("study-hours/report/", hours_report, name="hours_report"),
        path("study-hours/export.csv", hours_export, name="hours_export"),
        path("study-hours/enrolment/<int:pk>/", interval_audit, name="hours_audit"),
        path("curriculum/export/<int:program_id>/", curriculum_admin.export_view, name="curriculum_export"),
        path("curriculum/import/", curriculum_admin.import_view, name="curriculum_import"),
    ]
    return [path("", include((urls, "course_content_admin"), namespace="course_content_admin"))]


class HoursMenuItem(MenuItem):
    def is_shown(self, request):
        return can_view_hours(request.user)


@hooks.register("register_admin_menu_item")
def register_hours_menu_item():
    return HoursMenuItem(_("Study hours"), reverse("course_content_admin:hours_report"), icon_name="time", order=260)


# -- curriculum import/export (course_content.services.curriculum) -------------------------


@hooks.register("register_page_header_buttons")
def curriculum_export_button(page, user, view_name=None, next_url=None):
    from wagtail.admin.widgets import Button

    if page.specific_class is ProgramPage and curriculum_admin.can_export(user, page):
        yield Button(_("Export curriculum"), reverse("course_content_admin:curriculum_export", args=[page.pk]),
                     icon_name="download", priority=80)


class CurriculumImportMenuItem(MenuItem):
    def is_shown(self, request):
        return curriculum_admin.can_import(request.user)


@hooks.register("register_settings_menu_item")
def register_curriculum_menu_item():
    return CurriculumImportMenuItem(_("Curriculum import"), reverse("course_content_admin:curriculum_import"),
                                    icon_name="download", order=900)
