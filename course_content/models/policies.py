"""Policy texts, FAQ and notices (exam rules, candidate pre-read) that editors maintain."""

from django.db import models
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from ..blocks import ArticleBodyBlock, FaqBodyBlock
from .searching import CJK_SEARCH_FIELDS, ChineseSearchable

CONTENT_PARENTS = ["course_content.ProgramPage", "course_content.ProgramGroupPage"]


class PolicyIndexPage(ChineseSearchable, Page):
    intro = RichTextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = CONTENT_PARENTS
    subpage_types = ["course_content.PolicyPage"]
    template = "course_content/policy_index_page.html"

    class Meta:
        verbose_name = _("policy index")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        policies = PolicyPage.objects.live().child_of(self).order_by("path")
        tag = request.GET.get("tag", "").strip()
        if tag:
            policies = policies.filter(tags__name=tag)
        context["policies"] = policies
        context["tag"] = tag
        return context


class PolicyPageTag(TaggedItemBase):
    content_object = ParentalKey("course_content.PolicyPage", on_delete=models.CASCADE, related_name="tagged_items")


class PolicyPage(ChineseSearchable, Page):
    """A policy document quoted in the course (law, plan, guide, opinion)."""

    # 文号: a policy's document number, not a person's ID document number (证件号码).
    document_number = models.CharField(pgettext_lazy("policy", "document number"), max_length=120, blank=True)
    issuer = models.CharField(_("issuer"), max_length=200, blank=True)
    issued_on = models.DateField(_("issue date"), null=True, blank=True)
    effective_on = models.DateField(_("effective date"), null=True, blank=True)
    source_url = models.URLField(_("source link"), blank=True)
    summary = models.TextField(_("summary"), blank=True)
    body = StreamField(ArticleBodyBlock(), verbose_name=_("body"), blank=True)
    tags = ClusterTaggableManager(through=PolicyPageTag, blank=True, verbose_name=_("tags"))

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [FieldPanel("document_number"), FieldPanel("issuer"), FieldPanel("issued_on"), FieldPanel("effective_on"),
             FieldPanel("source_url"), FieldPanel("tags")],
            heading=_("Document"),
        ),
        FieldPanel("summary"),
        FieldPanel("body"),
        InlinePanel("plan_rows", label=_("Table rows")),
    ]
    parent_page_types = ["course_content.PolicyIndexPage"]
    subpage_types = []
    template = "course_content/policy_page.html"
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
        index.SearchField("issuer"),
        index.SearchField("document_number"),
        index.RelatedFields("plan_rows", [index.SearchField("document_title"), index.SearchField("content")]),
        *CJK_SEARCH_FIELDS,
    ]

    class Meta:
        verbose_name = _("policy")
        verbose_name_plural = _("policies")

    def cjk_source_texts(self) -> list[str]:
        texts = super().cjk_source_texts() + [self.issuer, self.document_number]
        return texts + [f"{row.document_title} {strip_tags(row.content)}" for row in self.plan_rows.all()]


class PolicyTableRow(Orderable):
    """One row of a policy overview table, e.g. a province's 14th-FYP energy plan."""

    policy = ParentalKey(PolicyPage, on_delete=models.CASCADE, related_name="plan_rows")
    published_on = models.DateField(_("publication date"), null=True, blank=True)
    document_title = models.CharField(_("policy document"), max_length=255)
    issuer = models.CharField(_("issuer"), max_length=200, blank=True)
    content = RichTextField(_("content"), features=["bold", "italic", "link"])

    panels = [FieldPanel("published_on"), FieldPanel("document_title"), FieldPanel("issuer"), FieldPanel("content")]

    class Meta(Orderable.Meta):
        verbose_name = _("table row")


class FaqPage(ChineseSearchable, Page):
    """Frequently asked questions (常见问题) of a program."""

    intro = RichTextField(_("introduction"), blank=True)
    body = StreamField(FaqBodyBlock(), verbose_name=_("questions"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    parent_page_types = CONTENT_PARENTS
    subpage_types = []
    template = "course_content/faq_page.html"
    search_fields = [*Page.search_fields, index.SearchField("body"), *CJK_SEARCH_FIELDS]

    class Meta:
        verbose_name = _("FAQ page")


class NoticePage(ChineseSearchable, Page):
    """A notice learners must read: exam rules (考试须知), the candidate pre-read (考前必读)."""

    intro = RichTextField(_("introduction"), blank=True)
    body = StreamField(ArticleBodyBlock(), verbose_name=_("body"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    parent_page_types = CONTENT_PARENTS
    subpage_types = []
    template = "course_content/notice_page.html"
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body"), *CJK_SEARCH_FIELDS]

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
