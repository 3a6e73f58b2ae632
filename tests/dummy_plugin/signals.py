from django.dispatch import receiver
from django.utils.html import format_html

from course_content.signals import enrolment_created
from plugins.signals import program_page_context

DELIVERIES: list = []
FAIL = {"on": False}


@receiver(enrolment_created, dispatch_uid="dummy_plugin_enrolment_created")
def record_enrolment(sender, enrolment, **kwargs):
    DELIVERIES.append(("enrolment_created", sender.pk, enrolment.pk))


@receiver(program_page_context, dispatch_uid="dummy_plugin_page_context")
def page_panel(sender, request, **kwargs):
    if FAIL["on"]:
        raise RuntimeError("dummy plugin failure")
    return format_html("<p id='dummy-panel'>dummy panel for {}</p>", sender.slug)
