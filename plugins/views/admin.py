"""Wagtail admin: per program, every installed plugin with its state, a switch that asks
for confirmation first, and its settings.

Views stay thin: state is read and written only through ``plugins.services``; the
confirmation page is ``services.switch_preview`` rendered (no JavaScript needed)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from .. import services
from ..services.programs import program_model
from ..services.registry import all_plugins, get_plugin


def _require_manager(request):
    if not services.can_manage(request.user):
        raise PermissionDenied


def program_list(request):
    _require_manager(request)
    programs = program_model().objects.all().order_by("path")
    plugins = all_plugins()
    rows = [
        {"program": program, "states": [(plugin, services.is_enabled(program, plugin.label)) for plugin in plugins]}
        for program in programs
    ]
    return TemplateResponse(request, "plugins/program_list.html", {"rows": rows, "plugins": plugins})


def _entry(request, program, plugin, form=None):
    enabled = services.is_enabled(program, plugin.label)
    needed_by = [p.label for p in all_plugins() if plugin.label in p.depends_on]
    return {
        "plugin": plugin,
        "enabled": enabled,
        "needs": services.names(plugin.depends_on),
        "needed_by": services.names(needed_by),
        "form": form or services.settings_form(program, plugin.label),
        "can_switch": services.can_manage(request.user, plugin),
        "switch_url": reverse(
            "plugins_admin:switch", args=[program.pk, plugin.label, "disable" if enabled else "enable"]
        ),
    }


def program_plugins(request, program_id):
    _require_manager(request)
    program = get_object_or_404(program_model(), pk=program_id)
    bound_forms = {}
    if request.method == "POST":
        label = request.POST.get("plugin", "")
        action = request.POST.get("action", "")
        try:
            plugin = get_plugin(label)
        except LookupError:
            messages.error(request, _("Unknown plugin."))
            return redirect(request.path)
        if action in services.ACTIONS:
            # Switching always goes through the confirmation page.
            return redirect("plugins_admin:switch", program.pk, label, action)
        if action != "settings":
            messages.error(request, _("Unknown action."))
            return redirect(request.path)
        form = services.settings_form(program, label, data=request.POST)
        try:
            if form is not None and form.is_valid():
                services.save_settings(program, label, request.POST, user=request.user, prefix=label)
                messages.success(request, _("Settings of “%(name)s” saved.") % {"name": plugin.name})
            else:
                bound_forms[label] = form
                messages.error(request, _("The settings were not saved; please correct the errors below."))
        except PermissionDenied as err:
            messages.error(request, str(err) or _("You may not change this plugin."))
        except ValidationError as err:
            for message in err.messages:
                messages.error(request, message)
        if not bound_forms:
            return redirect(request.path)
    entries = [_entry(request, program, plugin, bound_forms.get(plugin.label)) for plugin in all_plugins()]
    return TemplateResponse(
        request, "plugins/program_plugins.html", {"program": program, "entries": entries},
        status=400 if bound_forms else 200,
    )


def switch(request, program_id, label, action):
    """GET: what switching would change, with "confirm" and "cancel". POST: switch."""
    _require_manager(request)
    program = get_object_or_404(program_model(), pk=program_id)
    if action not in services.ACTIONS:
        raise Http404
    try:
        plugin = get_plugin(label)
    except LookupError:
        raise Http404 from None
    back = reverse("plugins_admin:program_plugins", args=[program.pk])
    if request.method == "POST":
        try:
            if action == "enable":
                services.enable(program, label, user=request.user)
                messages.success(request, _("“%(name)s” is now switched on.") % {"name": plugin.name})
            else:
                services.disable(program, label, user=request.user)
                messages.success(request, _("“%(name)s” is now switched off.") % {"name": plugin.name})
        except PermissionDenied as err:
            messages.error(request, str(err) or _("You may not change this plugin."))
        except ValidationError as err:
            for message in err.messages:
                messages.error(request, message)
        return redirect(f"{back}#plugin-{label}")
    preview = services.switch_preview(program, label, action, user=request.user)
    title = (_("Switch on “%(name)s”?") if action == "enable" else _("Switch off “%(name)s”?")) % {"name": plugin.name}
    return TemplateResponse(
        request, "plugins/switch_confirm.html", {"program": program, "preview": preview, "back": back, "title": title}
    )
