from django.dispatch import receiver
from django.utils.html import format_html

from course_content.signals import enrolment_created
from plugins.services.registry import retained_receiver
from plugins.signals import plugin_navigation, program_page_context

DELIVERIES: list = []
FAIL = {"on": False}
LINKS = {"on": False}  # the retained navigation receiver answers only in the tests that ask


@receiver(enrolment_created, dispatch_uid="dummy_plugin_enrolment_created")
def record_enrolment(sender, enrolment, **kwargs):
    DELIVERIES.append(("enrolment_created", sender.pk, enrolment.pk))


@receiver(program_page_context, dispatch_uid="dummy_plugin_page_context")
def page_panel(sender, request, **kwargs):
    if FAIL["on"]:
        raise RuntimeError("dummy plugin failure")
    return format_html("<p id='dummy-panel'>dummy panel for {}</p>", sender.slug)


@receiver(plugin_navigation, dispatch_uid="dummy_plugin_navigation")
@retained_receiver
def navigation(sender, request, plugin_enabled=True, **kwargs):
    if not LINKS["on"]:
        return []
    return [{"label": "dummy (on)" if plugin_enabled else "dummy (retained)", "url": f"/dummy/{sender.slug}/"}]
