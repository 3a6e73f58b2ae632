"""Course modules and lessons: the page tree a learner studies under each program.

``ProgramPage → CourseModulePage → LessonPage``. Order is the page-tree order editors
set in the admin. A lesson declares its class hours (the most the ledger will ever
credit for it) and the levels it counts for (none selected = every level).
"""

from decimal import Decimal

from django import forms
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from ..blocks import LessonBodyBlock
from .programs import ProgramLevel, ProgramPage
from .searching import CJK_SEARCH_FIELDS, ChineseSearchable


def program_of(page) -> ProgramPage | None:
    """The program a content page belongs to (its nearest ProgramPage ancestor)."""
    return ProgramPage.objects.ancestor_of(page).order_by("-depth").first()


class CourseModulePage(ChineseSearchable, Page):
    """One module of a program's course outline (课程大纲), e.g. 模块一."""

    label = models.CharField(_("module label"), max_length=40, blank=True, help_text=_("e.g. 模块一"))
    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("label"), FieldPanel("intro")]
    parent_page_types = ["course_content.ProgramPage"]
    subpage_types = ["course_content.LessonPage"]
    template = "course_content/course_module_page.html"
    search_fields = [*Page.search_fields, index.SearchField("intro"), *CJK_SEARCH_FIELDS]

    class Meta:
        verbose_name = _("course module")
        verbose_name_plural = _("course modules")

    def lessons(self):
        return LessonPage.objects.live().child_of(self).order_by("path")

    def get_context(self, request, *args, **kwargs):
        from ..services.ledger.progress import lesson_progress_for

        context = super().get_context(request, *args, **kwargs)
        lessons = list(self.lessons())
        context["lessons"] = lessons
        context["progress"] = lesson_progress_for(request.user, lessons)
        context["program"] = program_of(self)
        return context


class LessonPageForm(WagtailAdminPageForm):
    """Offer only the levels of the lesson's own program."""

    def __init__(self, *args, parent_page=None, **kwargs):
        super().__init__(*args, parent_page=parent_page, **kwargs)
        anchor = self.instance if self.instance.pk else parent_page
        program = program_of(anchor) if anchor is not None and anchor.pk else None
        if "levels" in self.fields:
            queryset = ProgramLevel.objects.filter(program=program) if program else ProgramLevel.objects.none()
            self.fields["levels"].queryset = queryset


class LessonPage(ChineseSearchable, Page):
    """A lesson: a StreamField body, its declared class hours and the levels it counts for."""

    summary = models.TextField(_("summary"), blank=True)
    declared_class_hours = models.DecimalField(
        _("declared class hours"), max_digits=5, decimal_places=1, default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0.1"))],
        help_text=_("The most study time the ledger credits for this lesson; studying it again adds nothing."),
    )
    levels = ParentalManyToManyField(
        ProgramLevel, blank=True, related_name="lessons", verbose_name=_("counts for levels"),
        help_text=_("Leave empty when the lesson counts for every level."),
    )
    body = StreamField(LessonBodyBlock(), verbose_name=_("body"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("declared_class_hours"),
        FieldPanel("levels", widget=forms.CheckboxSelectMultiple),
        FieldPanel("body"),
    ]
    base_form_class = LessonPageForm
    parent_page_types = ["course_content.CourseModulePage"]
    subpage_types = []
    template = "course_content/lesson_page.html"
    search_fields = [*Page.search_fields, index.SearchField("summary"), index.SearchField("body"), *CJK_SEARCH_FIELDS]

    class Meta:
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")

    @property
    def program(self) -> ProgramPage | None:
        if not hasattr(self, "_program"):
            self._program = program_of(self)
        return self._program

    def declared_seconds(self, minutes_per_class_hour: int) -> int:
        from ..services.ledger.totals import class_hour_seconds

        return int(self.declared_class_hours * class_hour_seconds(minutes_per_class_hour))

    def counts_for(self, level) -> bool:
        level_ids = {lvl.pk for lvl in self.levels.all()}
        return not level_ids or level.pk in level_ids

    def get_context(self, request, *args, **kwargs):
        from ..services.ledger.progress import lesson_context

        context = super().get_context(request, *args, **kwargs)
        context.update(lesson_context(self, request))
        return context
