from decimal import Decimal

from django import template
from django.db.models import Count, Sum
from wagtail.models import Page

register = template.Library()


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.inclusion_tag("course_content/program_contents.html")
def program_contents(page):
    """The course outline (modules with lesson counts and declared hours) and the other
    content pages (policies, FAQ, notices) below a program or program group."""
    from ..models import CourseModulePage, LessonPage

    modules = []
    for module in CourseModulePage.objects.live().child_of(page).order_by("path"):
        stats = LessonPage.objects.live().child_of(module).aggregate(n=Count("id"), hours=Sum("declared_class_hours"))
        modules.append({"module": module, "lessons": stats["n"], "hours": stats["hours"] or Decimal("0")})
    others = (
        Page.objects.live().child_of(page)
        .filter(content_type__app_label="course_content", content_type__model__in=["policyindexpage", "faqpage", "noticepage"])
        .order_by("path")
    )
    return {"modules": modules, "others": list(others)}


@register.filter
def program_children(page):
    """The live programs (tracks) directly below ``page``, in tree order."""
    from ..models import ProgramPage

    return ProgramPage.objects.live().child_of(page).order_by("path")
