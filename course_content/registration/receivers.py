"""Core receivers of the registration app (connected in ``RegistrationConfig.ready``)."""

from django.dispatch import receiver
from django.template.loader import render_to_string

from plugins.signals import program_page_context


@receiver(program_page_context, dispatch_uid="registration_program_page_links")
def registration_links(sender, request, **kwargs):
    """The program page's "register for a level" panel."""
    levels = list(sender.levels.all().order_by("sort_order"))
    if not levels:
        return ""
    return render_to_string("registration/_program_panel.html", {"program": sender, "levels": levels}, request=request)
