"""Wagtail admin: per program, every installed plugin with a toggle and its settings."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from course_content.models import ProgramPage

from . import services
from .registry import all_plugins, get_plugin


def _require_manager(request):
    if not services.can_manage(request.user):
        raise PermissionDenied


def program_list(request):
    _require_manager(request)
    programs = ProgramPage.objects.all().order_by("path")
    plugins = all_plugins()
    rows = [
        {"program": program, "states": [(plugin, services.is_enabled(program, plugin.label)) for plugin in plugins]}
        for program in programs
    ]
    return TemplateResponse(request, "plugins/program_list.html", {"rows": rows, "plugins": plugins})


def program_plugins(request, program_id):
    _require_manager(request)
    program = get_object_or_404(ProgramPage, pk=program_id)
    bound_forms = {}
    if request.method == "POST":
        label = request.POST.get("plugin", "")
        action = request.POST.get("action", "")
        try:
            plugin = get_plugin(label)
        except LookupError:
            messages.error(request, _("Unknown plugin."))
            return redirect(request.path)
        try:
            if action == "enable":
                services.enable(program, label, user=request.user)
                messages.success(request, _("“%(name)s” is now on.") % {"name": plugin.name})
            elif action == "disable":
                services.disable(program, label, user=request.user)
                messages.success(request, _("“%(name)s” is now off.") % {"name": plugin.name})
            elif action == "settings":
                form = services.settings_form(program, label, data=request.POST)
                if form is not None and form.is_valid():
                    services.save_settings(program, label, request.POST, user=request.user, prefix=label)
                    messages.success(request, _("Settings of “%(name)s” saved.") % {"name": plugin.name})
                else:
                    bound_forms[label] = form
                    messages.error(request, _("The settings were not saved; please correct the errors below."))
            else:
                messages.error(request, _("Unknown action."))
        except PermissionDenied as err:
            messages.error(request, str(err) or _("You may not change this plugin."))
        except ValidationError as err:
            for message in err.messages:
                messages.error(request, message)
        if not bound_forms:
            return redirect(request.path)
    entries = []
    for plugin in all_plugins():
        entries.append(
            {
                "plugin": plugin,
                "enabled": services.is_enabled(program, plugin.label),
                "form": bound_forms.get(plugin.label) or services.settings_form(program, plugin.label),
                "can_switch": services.can_manage(request.user, plugin),
            }
        )
    status = 400 if bound_forms else 200
    return TemplateResponse(
        request, "plugins/program_plugins.html", {"program": program, "entries": entries}, status=status
    )
