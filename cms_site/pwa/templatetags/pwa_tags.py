from django import template
from django.urls import reverse

register = template.Library()


@register.inclusion_tag("pwa/download_widget.html", takes_context=True)
def pwa_download_widget(context):
    """The "download for offline" panel, on course module pages only (empty elsewhere)."""
    from course_content.models import CourseModulePage

    page = context.get("page")
    specific = getattr(page, "specific", None)
    if not isinstance(specific, CourseModulePage):
        return {"module": None}
    return {"module": specific, "manifest_url": reverse("pwa:module_manifest", args=[specific.pk])}
