"""Switching plugins on and off per program, and their per-program settings.

Every change goes through here so that dependency rules, restricted plugins, the
installed/uninstalled hooks and the audit log cannot be bypassed by a view.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from .models import ProgramPlugin
from .registry import Plugin, all_plugins, get_plugin

_CACHE_ATTR = "_enabled_plugin_labels"


class PluginDependencyError(ValidationError):
    """Raised when a switch would leave a plugin on without a plugin it needs."""


def enabled_labels(program) -> frozenset[str]:
    """Labels of plugins on for ``program``.

    Memoised on the instance and in the process-wide program cache
    (``course_content.programs.gate_cache``), which every switch and every change of a
    ``ProgramPlugin`` row invalidates, so a switch takes effect at once."""
    from course_content.programs import gate_cache

    cached = getattr(program, _CACHE_ATTR, None)
    if cached is None:
        cached = gate_cache.get("labels", program.pk, None)
    if cached is None:
        installed = {p.label for p in all_plugins()}
        rows = ProgramPlugin.objects.filter(program_id=program.pk, enabled=True)
        cached = frozenset(label for label in rows.values_list("plugin", flat=True) if label in installed)
        gate_cache.put("labels", program.pk, cached)
    setattr(program, _CACHE_ATTR, cached)
    return cached


def is_enabled(program, label: str) -> bool:
    return label in enabled_labels(program)


def _forget(program):
    from course_content.programs import invalidate_programs

    if hasattr(program, _CACHE_ATTR):
        delattr(program, _CACHE_ATTR)
    invalidate_programs()


def _plugin_row_changed(sender, instance=None, **kwargs):
    from course_content.programs import invalidate_programs

    invalidate_programs()


post_save.connect(_plugin_row_changed, sender=ProgramPlugin, dispatch_uid="plugins_program_cache_save")
post_delete.connect(_plugin_row_changed, sender=ProgramPlugin, dispatch_uid="plugins_program_cache_delete")


def can_manage(user, plugin: Plugin | None = None) -> bool:
    """Program admins manage plugins; restricted plugins are for superusers only."""
    if not user or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    if plugin is not None and plugin.restricted:
        return False
    return user.has_perm("plugins.manage_program_plugins")


def _check_permission(user, plugin):
    if user is not None and not can_manage(user, plugin):
        if plugin.restricted:
            raise PermissionDenied(_("Only a superuser may switch the plugin “%(name)s”.") % {"name": plugin.name})
        raise PermissionDenied(_("You may not change the plugins of this program."))


@transaction.atomic
def enable(program, label: str, user=None) -> ProgramPlugin:
    """Switch ``label`` on for ``program``. ``user=None`` means a trusted system call."""
    plugin = get_plugin(label)
    _check_permission(user, plugin)
    missing = [dep for dep in plugin.depends_on if not is_enabled(program, dep)]
    if missing:
        names = ", ".join(get_plugin(dep).name for dep in missing)
        raise PluginDependencyError(
            _("“%(name)s” needs %(deps)s switched on for this program first.")
            % {"name": plugin.name, "deps": names}
        )
    state, _created = ProgramPlugin.objects.select_for_update().get_or_create(program=program, plugin=label)
    if state.enabled:
        return state
    state.enabled = True
    state.save(update_fields=["enabled", "updated_at"])
    _forget(program)
    hook = plugin.hook("installed")
    if hook:
        hook(program)
    log(instance=program, action="plugins.enabled", user=user, data={"plugin": label})
    return state


@transaction.atomic
def disable(program, label: str, user=None) -> None:
    """Switch ``label`` off for ``program``; refused while an enabled plugin needs it."""
    plugin = get_plugin(label)
    _check_permission(user, plugin)
    dependants = [p for p in all_plugins() if label in p.depends_on and is_enabled(program, p.label)]
    if dependants:
        names = ", ".join(p.name for p in dependants)
        raise PluginDependencyError(
            _("“%(name)s” cannot be switched off while %(deps)s is on for this program.")
            % {"name": plugin.name, "deps": names}
        )
    updated = ProgramPlugin.objects.filter(program=program, plugin=label, enabled=True).update(enabled=False)
    _forget(program)
    if not updated:
        return
    hook = plugin.hook("uninstalled")
    if hook:
        hook(program)
    log(instance=program, action="plugins.disabled", user=user, data={"plugin": label})


def default_settings(plugin: Plugin) -> dict:
    form_class = plugin.settings_form
    if form_class is None:
        return {}
    form = form_class()
    return {name: form.get_initial_for_field(field, name) for name, field in form.fields.items()}


def get_settings(program, label: str) -> dict:
    """The plugin's settings for ``program``: form defaults overlaid with stored values."""
    plugin = get_plugin(label)
    values = default_settings(plugin)
    stored = (
        ProgramPlugin.objects.filter(program_id=program.pk, plugin=label)
        .values_list("settings", flat=True)
        .first()
    )
    if stored:
        values.update({k: v for k, v in stored.items() if k in values})
    return values


def settings_form(program, label: str, data=None):
    """A bound (``data``) or initial settings form for the plugin on ``program``."""
    plugin = get_plugin(label)
    form_class = plugin.settings_form
    if form_class is None:
        return None
    return form_class(data=data, initial=get_settings(program, label), prefix=label)


@transaction.atomic
def save_settings(program, label: str, data, user=None, prefix: str | None = None) -> dict:
    """Validate ``data`` with the plugin's settings form and store it.

    Raises ``ValidationError`` carrying the form's messages when anything is invalid;
    nothing is stored in that case. ``prefix`` is the form prefix of ``data`` (the admin
    page prefixes each plugin's form with its label).
    """
    plugin = get_plugin(label)
    _check_permission(user, plugin)
    form_class = plugin.settings_form
    if form_class is None:
        return {}
    form = form_class(data=data, initial=get_settings(program, label), prefix=prefix)
    if not form.is_valid():
        raise ValidationError(
            [
                f"{form.fields[field].label if field in form.fields else field}: {message}"
                for field, messages in form.errors.items()
                for message in messages
            ]
        )
    cleaned = {k: _jsonable(v) for k, v in form.cleaned_data.items()}
    state, _created = ProgramPlugin.objects.get_or_create(program=program, plugin=label)
    changed = {k: v for k, v in cleaned.items() if state.settings.get(k) != v}
    state.settings = cleaned
    state.save(update_fields=["settings", "updated_at"])
    if changed:
        log(instance=program, action="plugins.settings_changed", user=user, data={"plugin": label, "changed": changed})
    return cleaned


def _jsonable(value):
    from decimal import Decimal

    if isinstance(value, Decimal):
        return float(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def update_settings(program, label: str, user=None, **changes) -> dict:
    """Change some settings, keeping the others; validated like ``save_settings``."""
    return save_settings(program, label, {**get_settings(program, label), **changes}, user=user)
