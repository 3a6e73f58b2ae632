"""StreamField blocks of lessons, policies and notices.

A lesson is edited as a stream: rich text, images, a video file with its poster,
downloadable documents, tables and callouts. Video files are Wagtail documents (the
site has no separate media library) so editors upload them the same way as PDFs.
"""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.contrib.typed_table_block.blocks import TypedTableBlock
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("image"))
    caption = blocks.CharBlock(label=_("caption"), required=False)

    class Meta:
        icon = "image"
        label = _("Image")
        template = "course_content/blocks/image.html"


class VideoBlock(blocks.StructBlock):
    """A video file (MP4/WebM uploaded as a document) shown with a poster image.

    The lesson page's study script watches these players: a playing video counts as
    activity, and time jumped over by seeking ahead is never credited.
    """

    video = DocumentChooserBlock(label=_("video file"), help_text=_("An MP4 or WebM file uploaded as a document."))
    poster = ImageChooserBlock(label=_("poster"), required=False)
    caption = blocks.CharBlock(label=_("caption"), required=False)

    class Meta:
        icon = "media"
        label = _("Video")
        template = "course_content/blocks/video.html"


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("document"))
    label = blocks.CharBlock(label=_("link text"), required=False)

    class Meta:
        icon = "doc-full"
        label = _("Downloadable document")
        template = "course_content/blocks/document.html"


class CalloutBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(
        choices=[("info", _("Information")), ("important", _("Important")), ("warning", _("Warning"))],
        default="info",
        label=_("kind"),
    )
    title = blocks.CharBlock(label=_("title"), required=False)
    text = blocks.RichTextBlock(label=_("text"), features=["bold", "italic", "link", "ol", "ul"])

    class Meta:
        icon = "warning"
        label = _("Callout")
        template = "course_content/blocks/callout.html"


def table_block():
    return TypedTableBlock(
        [
            ("text", blocks.CharBlock(label=_("text"))),
            ("rich_text", blocks.RichTextBlock(label=_("rich text"), features=["bold", "italic", "link"])),
            ("number", blocks.DecimalBlock(label=_("number"))),
            ("date", blocks.DateBlock(label=_("date"))),
        ],
        label=_("Table"),
        template="course_content/blocks/table.html",
    )


class QuestionBlock(blocks.StructBlock):
    question = blocks.CharBlock(label=_("question"))
    answer = blocks.RichTextBlock(label=_("answer"))

    class Meta:
        icon = "help"
        label = _("Question and answer")
        template = "course_content/blocks/question.html"


RICH_TEXT_FEATURES = ["h2", "h3", "h4", "bold", "italic", "ol", "ul", "link", "document-link", "hr"]


class LessonBodyBlock(blocks.StreamBlock):
    text = blocks.RichTextBlock(label=_("Rich text"), features=RICH_TEXT_FEATURES)
    image = ImageBlock()
    video = VideoBlock()
    document = DocumentBlock()
    table = table_block()
    callout = CalloutBlock()


class ArticleBodyBlock(LessonBodyBlock):
    """Policies and notices: the lesson blocks without video."""

    video = None


class FaqBodyBlock(blocks.StreamBlock):
    question = QuestionBlock()
    text = blocks.RichTextBlock(label=_("Rich text"), features=RICH_TEXT_FEATURES)
