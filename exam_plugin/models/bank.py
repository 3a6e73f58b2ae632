"""The question bank: knowledge points, versioned questions and paper blueprints."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.fields import RichTextField


class KnowledgePoint(models.Model):
    """A syllabus point (知识点) of a program, in a tree tied to the course modules.

    ``code`` is stable (used by the spreadsheet import and by blueprint shares), e.g.
    ``M2`` for a module and ``M2.1`` below it.
    """

    program = models.ForeignKey("course_content.ProgramPage", on_delete=models.CASCADE, related_name="+",
                                verbose_name=_("program"))
    parent = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True, related_name="children",
                               verbose_name=_("parent knowledge point"))
    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=200)
    module_title = models.CharField(
        _("course module"), max_length=200, blank=True,
        help_text=_("The course module (课程大纲) this point belongs to."),
    )
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)

    class Meta:
        verbose_name = _("knowledge point")
        verbose_name_plural = _("knowledge points")
        ordering = ["program", "sort_order", "code"]
        constraints = [models.UniqueConstraint(fields=["program", "code"], name="exam_unique_kp_code")]

    def __str__(self):
        return f"{self.code} {self.name}"

    def root(self) -> "KnowledgePoint":
        node = self
        while node.parent_id:
            node = node.parent
        return node


class Question(models.Model):
    """One version of a question. Editing a question that an attempt already showed
    creates a new row (``version`` + 1) in the same ``family``; the old row stays so
    that attempts keep exactly what they displayed (``exam_plugin.services.bank.save_question``).
    """

    class Kind(models.TextChoices):
        SINGLE = "single", _("Single choice")
        MULTIPLE = "multiple", _("Multiple choice")
        SHORT = "short", _("Short answer")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        REVIEWED = "reviewed", _("Reviewed")
        RETIRED = "retired", _("Retired")

    class Pool(models.TextChoices):
        # What each value means for key exposure: exam_plugin/services/exposure.py.
        BOTH = "both", _("Formal exams and online practice (key public)")
        FORMAL = "formal", _("Formal exams only (key never shown before release)")
        PRACTICE = "practice", _("Practice and mock papers only (key shown)")

    program = models.ForeignKey("course_content.ProgramPage", on_delete=models.CASCADE, related_name="+",
                                verbose_name=_("program"))
    family = models.CharField(
        _("question code"), max_length=40,
        help_text=_("Stable code shared by every version of this question."),
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    is_current = models.BooleanField(_("current version"), default=True)
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices)
    levels = models.JSONField(
        _("levels"), default=list, blank=True,
        help_text=_("Level codes this question may be drawn for; empty = every level."),
    )
    stem = RichTextField(_("question"), features=["bold", "italic", "ol", "ul", "image", "link"])
    options = models.JSONField(
        _("options"), default=list, blank=True,
        help_text=_('List of {"key": "A", "text": "…"}; empty for short answers.'),
    )
    correct = models.JSONField(_("correct option keys"), default=list, blank=True)
    reference_answer = models.TextField(_("reference answer"), blank=True)
    rubric = models.TextField(_("marking rubric"), blank=True)
    points = models.DecimalField(
        _("points"), max_digits=5, decimal_places=1, default=Decimal("1"), validators=[MinValueValidator(Decimal("0.5"))]
    )
    difficulty = models.PositiveSmallIntegerField(
        _("difficulty"), default=3, validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=_("1 = easy … 5 = hard"),
    )
    knowledge_point = models.ForeignKey(KnowledgePoint, on_delete=models.PROTECT, related_name="questions",
                                        verbose_name=_("knowledge point"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    pool = models.CharField(
        _("used in"), max_length=10, choices=Pool.choices, default=Pool.FORMAL,
        help_text=_(
            "Practice: practice, mock papers, offline sets and packs, with its answer; never on a formal paper. "
            "Formal: formal and make-up papers only; learners see its answer only when reviewing their own "
            "released paper. Both: formal papers and online practice; hidden from practice for candidates "
            "waiting for a formal result, never in mock papers or downloads; its answer is effectively public."
        ),
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["program", "family", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["program", "family", "version"], name="exam_unique_question_version"),
            models.UniqueConstraint(
                fields=["program", "family"], condition=models.Q(is_current=True), name="exam_one_current_version"
            ),
        ]
        indexes = [models.Index(fields=["program", "is_current", "status", "kind"])]

    def __str__(self):
        return f"{self.family} v{self.version}"

    @property
    def is_objective(self) -> bool:
        return self.kind != self.Kind.SHORT

    def allowed_in(self, formal: bool) -> bool:
        """Formal papers: reviewed, not practice-only. Otherwise: the strictest practice
        view (mock papers, downloads) of ``services.exposure``: practice pool, not retired."""
        if formal:
            return self.status == self.Status.REVIEWED and self.pool != self.Pool.PRACTICE
        return self.status != self.Status.RETIRED and self.pool == self.Pool.PRACTICE


class Blueprint(models.Model):
    """How a paper is built for one (program, level).

    ``sections``: list of ``{"kind": "single"|"multiple"|"short", "count": int,
    "points": number}`` (points per question). ``shares``: ``{knowledge point code (a
    module/root point): percent of the paper's points}``; questions of sub-points count
    towards their root. Shares must add up to 100 when given.
    """

    program = models.ForeignKey("course_content.ProgramPage", on_delete=models.CASCADE, related_name="+",
                                verbose_name=_("program"))
    level = models.ForeignKey("course_content.ProgramLevel", on_delete=models.CASCADE, related_name="+",
                              verbose_name=_("level"))
    sections = models.JSONField(_("sections"), default=list)
    shares = models.JSONField(_("knowledge-point shares (%)"), default=dict, blank=True)
    duration_minutes = models.PositiveIntegerField(_("mock test length (minutes)"), default=120)

    class Meta:
        verbose_name = _("paper blueprint")
        verbose_name_plural = _("paper blueprints")
        constraints = [models.UniqueConstraint(fields=["program", "level"], name="exam_unique_blueprint")]

    def __str__(self):
        return f"{self.program} {self.level.name}"

    @property
    def total_points(self) -> Decimal:
        return sum((Decimal(str(s["points"])) * int(s["count"]) for s in self.sections), Decimal("0"))

    total_points.fget.short_description = _("total points")  # the admin list's column heading
