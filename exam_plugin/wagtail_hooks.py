"""Exam plugin admin: question bank, knowledge points, blueprints and sittings as Wagtail
model viewsets, plus the exam office screens (views/admin.py)."""

from django import forms
from django.urls import include, path, reverse
from django.utils.functional import lazy
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, HelpPanel
from wagtail.admin.views.generic import EditView
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from .forms import OptionLinesWidget
from .models import Blueprint, ExamSitting, KnowledgePoint, Question
from .services.bank import save_question
from .views import admin as office
from .views import exam_day


class QuestionEditView(EditView):
    """Edits go through ``bank.save_question``: a question already shown in an attempt
    gets a new version instead of being changed under that attempt."""

    def save_instance(self):
        instance = self.form.save(commit=False)
        saved = save_question(instance, self.request.user)
        if saved.status == Question.Status.REVIEWED and saved.reviewed_by_id is None:
            saved.reviewed_by = self.request.user
            saved.reviewed_at = saved.updated_at
            saved.save(update_fields=["reviewed_by", "reviewed_at"])
        return saved


POOL_HELP = lazy(format_html, str)(
    "<p>{}</p><ul><li>{}</li><li>{}</li><li>{}</li></ul><p>{}</p>",
    _("The answer (correct options, reference answer, right/wrong feedback) of a question that can be on a "
      "formal paper must not reach candidates before their results are released."),
    _("Practice: online practice, mock papers, offline practice sets and training-room packs, always with "
      "the answer. Never on a formal paper."),
    _("Formal: formal and make-up papers only. Learners see it, with its answer, only when reviewing their "
      "own released paper, and not while they wait for another formal result."),
    _("Both: formal papers and online practice. Hidden from practice for anyone admitted to a formal sitting "
      "whose result they do not have yet; never in mock papers or downloads. Its answer is effectively "
      "public: use it only where that is acceptable."),
    _("A program needs enough practice questions for a whole mock paper and enough reviewed formal or "
      "both questions for the formal blueprint (Exams → overview names the gaps)."),
)


class QuestionViewSet(ModelViewSet):
    model = Question
    icon = "help"
    menu_label = _("Question bank")
    edit_view_class = QuestionEditView
    list_display = ["family", "version", "kind", "knowledge_point", "status", "pool", "difficulty", "is_current"]
    list_filter = ["program", "kind", "status", "pool", "is_current"]
    search_fields = ["family", "stem"]
    panels = [
        FieldPanel("program"), FieldPanel("family"), FieldPanel("kind"), FieldPanel("levels"), FieldPanel("stem"),
        FieldPanel("options", widget=OptionLinesWidget(attrs={"rows": 5}), help_text=_(
            "One option per line, starting with its letter, e.g. “A. Solar power”; empty for short answers.")),
        FieldPanel("correct"), FieldPanel("reference_answer"), FieldPanel("rubric"),
        FieldPanel("points"), FieldPanel("difficulty"), FieldPanel("knowledge_point"), FieldPanel("status"),
        HelpPanel(content=POOL_HELP, heading=_("Who may see this question and its answer")),
        FieldPanel("pool"),
    ]


class KnowledgePointViewSet(ModelViewSet):
    model = KnowledgePoint
    icon = "list-ul"
    menu_label = _("Knowledge points")
    list_display = ["code", "name", "module_title", "parent"]
    list_filter = ["program"]
    form_fields = ["program", "parent", "code", "name", "module_title", "sort_order"]


class BlueprintViewSet(ModelViewSet):
    model = Blueprint
    icon = "table"
    menu_label = _("Paper blueprints")
    list_display = ["program", "level", "total_points", "duration_minutes"]
    form_fields = ["program", "level", "sections", "shares", "duration_minutes"]


class SittingViewSet(ModelViewSet):
    model = ExamSitting
    icon = "date"
    menu_label = _("Exam sittings")
    list_display = ["__str__", "program", "kind", "scored", "ends_at", "results_released_at"]
    list_filter = ["program", "kind"]
    form_fields = ["program", "levels", "kind", "title", "starts_at", "ends_at", "scored", "repeats",
                   "fee_required", "fee_cny", "results_released_at"]

    def get_form_class(self, for_update=False):
        form_class = super().get_form_class(for_update)

        class SittingForm(form_class):
            def clean(self):
                cleaned = super().clean()
                if cleaned.get("starts_at") and cleaned.get("ends_at") and cleaned["ends_at"] <= cleaned["starts_at"]:
                    self.add_error("ends_at", forms.ValidationError(_("The end must be after the start.")))
                return cleaned

        return form_class if "starts_at" not in form_class.base_fields else SittingForm


class OfficeMenuItem(MenuItem):
    def __init__(self, label, url_name, perm, icon, order):
        self.perm = perm
        super().__init__(label, reverse(url_name), icon_name=icon, order=order)

    def is_shown(self, request):
        return office.has(request.user, self.perm)


class ExamDayMenuItem(MenuItem):
    def is_shown(self, request):
        return exam_day.may_watch(request.user)


class ExamsGroup(ViewSetGroup):
    menu_label = _("Exams")
    menu_icon = "form"
    menu_order = 710
    items = (QuestionViewSet, KnowledgePointViewSet, BlueprintViewSet, SittingViewSet)

    def get_submenu_items(self):
        return [
            OfficeMenuItem(_("Exam office"), "exam_plugin_admin:overview", office.MANAGE, "home", 0),
            OfficeMenuItem(_("Grading queue"), "exam_plugin_admin:grading", office.GRADE, "edit", 1),
            OfficeMenuItem(_("Import / export bank"), "exam_plugin_admin:bank", office.BANK, "download", 2),
            ExamDayMenuItem(_("Exam day: live"), reverse("exam_plugin_admin:exam_day"), icon_name="time", order=3),
            *super().get_submenu_items(),
        ]


@hooks.register("register_admin_viewset")
def register_viewsets():
    return ExamsGroup()


@hooks.register("register_admin_urls")
def register_admin_urls():
    urls = [
        path("", office.overview, name="overview"),
        path("sittings/<int:pk>/", office.sitting_detail, name="sitting"),
        path("sittings/<int:pk>/statistics/", office.sitting_statistics, name="statistics"),
        path("sittings/<int:pk>/admission-tickets/", office.sitting_admission_tickets, name="admission_tickets"),
        path("grading/", office.grader_queue, name="grading"),
        path("bank/", office.bank_transfer, name="bank"),
        path("exam-day/", exam_day.panel, name="exam_day"),
        path("exam-day/data/", exam_day.panel_data, name="exam_day_data"),
    ]
    return [path("exam-office/", include((urls, "exam_plugin_admin"), namespace="exam_plugin_admin"))]


@hooks.register("register_log_actions")
def register_log_actions(actions):
    actions.register_action("exam_plugin.handed_in", _("Exam handed in"), _("Exam handed in"))
    actions.register_action("exam_plugin.entry_identity_verified", _("Exam entry identity verified"),
                            _("Exam entry identity verified"))
    actions.register_action("exam_plugin.entry_identity_failed", _("Exam entry identity mismatch"),
                            _("Exam entry identity mismatch"))
    actions.register_action("exam_plugin.time_compensated", _("Exam time compensated"), _("Exam time compensated"))
    actions.register_action("exam_plugin.invalidated", _("Exam result invalidated"), _("Exam result invalidated"))
    actions.register_action(
        "exam_plugin.offline_spell", _("Exam answers replayed after an offline spell"),
        _("Exam answers replayed after an offline spell"),
    )
