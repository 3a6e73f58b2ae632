"""Programs as Wagtail pages.

``/`` HomePage → ``/programs/`` ProgramIndexPage → either a ProgramPage (the energy
program) or a ProgramGroupPage (dual-carbon) whose children are ProgramPages (tracks).
A **ProgramPage is the unit everything is scoped to**: levels, enrolments, plugin states,
signals. Its ``program_path`` (``energy``, ``dual-carbon/asset``) is where plugin URLs
mount.
"""

from decimal import Decimal
from functools import cached_property

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index


class HomePage(Page):
    intro = RichTextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    subpage_types = ["course_content.ProgramIndexPage"]
    parent_page_types = ["wagtailcore.Page"]
    max_count = 1
    template = "course_content/home_page.html"

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["program_index"] = ProgramIndexPage.objects.live().child_of(self).first()
        context["programs"] = ProgramPage.objects.live().descendant_of(self).order_by("path")
        return context


class ProgramIndexPage(Page):
    intro = RichTextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["course_content.HomePage"]
    subpage_types = ["course_content.ProgramPage", "course_content.ProgramGroupPage"]
    template = "course_content/program_index_page.html"

    class Meta:
        verbose_name = _("program index")


class ProgramGroupPage(Page):
    """A family of programs sharing a name and issuer (dual-carbon's four tracks)."""

    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    issuer = models.CharField(_("issuer"), max_length=200, blank=True)
    intro = RichTextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("full_name"), FieldPanel("issuer"), FieldPanel("intro")]
    parent_page_types = ["course_content.ProgramIndexPage"]
    subpage_types = [
        "course_content.ProgramPage", "course_content.NoticePage", "course_content.FaqPage", "course_content.PolicyIndexPage"
    ]
    template = "course_content/program_group_page.html"
    search_fields = [*Page.search_fields, index.SearchField("intro")]

    class Meta:
        verbose_name = _("program group")


class InitialPasswordRule(models.TextChoices):
    LAST_FOUR = "last_four", _("Last four characters of the identity document number")
    PROGRAM_SET = "program_set", _("A password set by the program")


class ProgramPage(Page):
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    issuer = models.CharField(_("issuer"), max_length=200, blank=True)
    intro = RichTextField(_("introduction"), blank=True)
    minutes_per_class_hour = models.PositiveSmallIntegerField(
        _("minutes per class hour"), default=45, validators=[MinValueValidator(1)]
    )
    initial_password_rule = models.CharField(
        _("initial password"), max_length=20, choices=InitialPasswordRule.choices, default=InitialPasswordRule.LAST_FOUR
    )
    initial_password = models.CharField(
        _("program-set initial password"), max_length=64, blank=True,
        help_text=_("Used when the rule is “a password set by the program”. Learners must change it at first login."),
    )
    accept_offline_credit = models.BooleanField(
        _("accept study hours recorded offline"), default=True,
        help_text=_("Off: study replayed from a device that was offline, or merged from a training-room pack, "
                    "is refused and credits no hours."),
    )

    inactivity_prompt_minutes = models.PositiveSmallIntegerField(
        _("ask “still studying?” after (minutes without input)"), default=10,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text=_("On a lesson page, after this many minutes without keyboard, mouse, touch or a playing video, "
                    "the study clock pauses and asks the learner whether they are still studying."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("full_name"),
        FieldPanel("issuer"),
        FieldPanel("intro"),
        MultiFieldPanel(
            [FieldPanel("minutes_per_class_hour"), FieldPanel("inactivity_prompt_minutes"), FieldPanel("accept_offline_credit"),
             InlinePanel("levels", label=_("levels"), min_num=1)],
            heading=_("Levels and study hours"),
        ),
        MultiFieldPanel([FieldPanel("initial_password_rule"), FieldPanel("initial_password")], heading=_("Accounts")),
    ]
    parent_page_types = ["course_content.ProgramIndexPage", "course_content.ProgramGroupPage"]
    template = "course_content/program_page.html"
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("full_name")]

    class Meta:
        verbose_name = _("program")

    @cached_property
    def program_path(self) -> str:
        """The page's URL below the program index: ``energy`` or ``dual-carbon/asset``."""
        index_page = ProgramIndexPage.objects.ancestor_of(self).only("url_path").first()
        if index_page is None:
            return self.slug
        return self.url_path[len(index_page.url_path):].strip("/")

    @classmethod
    def for_program_path(cls, path: str) -> "ProgramPage | None":
        """The live program whose ``program_path`` is ``path``, or None: the plugin gate's
        lookup (``PLUGINS_PROGRAM_MODEL`` names this model; see ``plugins.services.programs``)."""
        for program in cls.objects.live().filter(url_path__endswith=f"/{path}/"):
            if program.program_path == path:
                return program
        return None

    @property
    def display_name(self) -> str:
        parent = self.get_parent().specific if self.depth > 3 else None
        if isinstance(parent, ProgramGroupPage):
            return f"{parent.title} · {self.title}"
        return self.title

    def get_context(self, request, *args, **kwargs):
        from plugins.signals import plugin_navigation, program_page_context

        context = super().get_context(request, *args, **kwargs)
        context["levels"] = self.levels.all()
        context["plugin_panels"] = [
            html for _receiver, html in program_page_context.send_robust(sender=self, request=request)
            if isinstance(html, str) and html
        ]
        links = []
        for _receiver, result in plugin_navigation.send_robust(sender=self, request=request):
            if isinstance(result, list):
                links.extend(result)
        context["plugin_links"] = links
        return context


class ProgramLevel(Orderable):
    """A certificate level of a program (初级/中级/高级) and the class hours it needs."""

    class Code(models.TextChoices):
        JUNIOR = "junior", _("Junior (初级)")
        INTERMEDIATE = "intermediate", _("Intermediate (中级)")
        SENIOR = "senior", _("Senior (高级)")

    program = ParentalKey(ProgramPage, on_delete=models.CASCADE, related_name="levels")
    code = models.CharField(_("code"), max_length=20, choices=Code.choices)
    name = models.CharField(_("name"), max_length=50)
    required_hours = models.DecimalField(
        _("required class hours"), max_digits=6, decimal_places=1, default=Decimal("36"),
        validators=[MinValueValidator(Decimal("0"))],
    )

    panels = [FieldPanel("code"), FieldPanel("name"), FieldPanel("required_hours")]

    class Meta(Orderable.Meta):
        verbose_name = _("level")
        constraints = [models.UniqueConstraint(fields=["program", "code"], name="unique_program_level")]

    def __str__(self):
        return f"{self.program.title} {self.name}"
