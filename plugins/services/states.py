"""Switching plugins on and off per program, and their per-program settings.

Every change goes through here so that dependency rules, restricted plugins, the
installed/uninstalled hooks and the audit log cannot be bypassed by a view.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from ..models import ProgramPlugin
from .programs import gate_cache, invalidate_programs
from .registry import Plugin, all_plugins, get_plugin

_CACHE_ATTR = "_enabled_plugin_labels"


class PluginDependencyError(ValidationError):
    """Raised when a switch would leave a plugin on without a plugin it needs."""


class PluginSettingsIncomplete(ValidationError):
    """Raised when a plugin would be switched on while its settings form rejects the
    program's settings (e.g. certificates without an issuer): the message names what is
    missing, and nothing is switched."""


def enabled_labels(program) -> frozenset[str]:
    """Labels of plugins on for ``program``.

    Memoised on the instance and in the process-wide program cache
    (``plugins.services.programs.gate_cache``), which every switch and every change of a
    ``ProgramPlugin`` row invalidates, so a switch takes effect at once."""
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
    if hasattr(program, _CACHE_ATTR):
        delattr(program, _CACHE_ATTR)
    invalidate_programs()


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
    incomplete = settings_problems(program, label)
    if incomplete:
        raise PluginSettingsIncomplete(
            _("“%(name)s” cannot be switched on until its settings are complete: %(fields)s.")
            % {"name": plugin.name, "fields": "；".join(incomplete)}
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


@dataclass(frozen=True)
class SwitchPreview:
    """What switching ``plugin`` on (``action="enable"``) or off (``"disable"``) for a
    program would change, for the confirmation step: ``consequence`` is the plugin's own
    sentence (or a generic one), ``blockers`` the translated reasons it would be refused
    now (empty: it may go ahead), ``already`` True when it is in that state already."""

    plugin: Plugin
    action: str
    consequence: str
    blockers: tuple[str, ...]
    already: bool


ACTIONS = ("enable", "disable")


def names(labels) -> str:
    """Human names of plugin labels, joined the Chinese way (、) in zh-hans."""
    separator = "、" if (get_language() or "").startswith("zh") else ", "
    return separator.join(get_plugin(label).name for label in labels)


def switch_preview(program, label: str, action: str, user=None) -> SwitchPreview:
    """Nothing is written: the checks ``enable``/``disable`` would make, as sentences."""
    if action not in ACTIONS:
        raise ValueError(action)
    plugin = get_plugin(label)
    blockers = []
    if user is not None and not can_manage(user, plugin):
        blockers.append(
            _("Only a superuser may switch the plugin “%(name)s”.") % {"name": plugin.name}
            if plugin.restricted else _("You may not change the plugins of this program.")
        )
    if action == "enable":
        already = is_enabled(program, label)
        missing = [dep for dep in plugin.depends_on if not is_enabled(program, dep)]
        if missing:
            blockers.append(_("Switch on first: %(names)s.") % {"names": names(missing)})
        incomplete = settings_problems(program, label)
        if incomplete:
            blockers.append(_("Complete its settings first: %(fields)s.") % {"fields": "；".join(incomplete)})
        consequence = plugin.enable_consequence or _(
            "Learners of this program will see the pages and services of “%(name)s”."
        ) % {"name": plugin.name}
    else:
        already = not is_enabled(program, label)
        dependants = [p.label for p in all_plugins() if label in p.depends_on and is_enabled(program, p.label)]
        if dependants:
            blockers.append(_("Switch off first: %(names)s.") % {"names": names(dependants)})
        consequence = plugin.disable_consequence or _(
            "Learners of this program will no longer see the pages and services of “%(name)s”."
        ) % {"name": plugin.name}
    return SwitchPreview(plugin, action, str(consequence), tuple(blockers) if not already else (), already)


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


def settings_problems(program, label: str) -> list[str]:
    """What the plugin's settings form rejects in ``program``'s current settings (form
    defaults overlaid with stored values), one translated entry per field: the field's
    label, with the reason when the field is not simply empty. Empty = complete."""
    plugin = get_plugin(label)
    if plugin.settings_form is None:
        return []
    form = plugin.settings_form(data=get_settings(program, label))
    if form.is_valid():
        return []
    problems = []
    for field, errors in form.errors.items():
        if field not in form.fields:
            problems.extend(str(e) for e in errors)
            continue
        value = form.data.get(field)
        empty = value in (None, "") or (isinstance(value, str) and not value.strip())
        name = str(form.fields[field].label or field)
        problems.append(name if empty else f"{name}（{'；'.join(str(e) for e in errors)}）")
    return problems


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


# --- rows written on behalf of fixtures and archives ------------------------------------


def has_state(program, label: str) -> bool:
    """True when ``program`` has a recorded state for ``label`` (on or off)."""
    return ProgramPlugin.objects.filter(program_id=program.pk, plugin=label).exists()


def ensure_state(program, label: str) -> bool:
    """Record "off, with default settings" for ``label`` unless ``program`` has a state
    for it; True when a row was created. Used by fixture loading to mark a plugin as
    configured without switching anything, so nothing is hooked or logged."""
    get_plugin(label)
    _state, created = ProgramPlugin.objects.get_or_create(program=program, plugin=label)
    return created


def _dependency_depth(label: str, seen=()) -> int:
    plugin = get_plugin(label)
    deps = [d for d in plugin.depends_on if d not in seen]
    return 1 + max((_dependency_depth(d, (*seen, label)) for d in deps), default=0) if deps else 0


@transaction.atomic
def restore_states(program, states, user=None) -> list[tuple[str, bool]]:
    """Restore plugin states from a curriculum archive (or training-room pack): ``states``
    is a list of ``{"plugin": label, "enabled": bool, "settings": dict}`` of installed
    plugins. Only plugins ``program`` has no state for yet are written (the local admin's
    choice wins); returns ``(label, created)`` per state, in the order restored.

    Plugins are restored dependencies first. A plugin restored on runs its ``installed``
    hook and is logged as switched on (``plugins.enabled``, ``source: archive``); one whose
    dependency is not on for the program is restored off. Stored settings are logged as a
    settings change."""
    results = []
    for state in sorted(states, key=lambda s: _dependency_depth(s["plugin"])):
        label = state["plugin"]
        plugin = get_plugin(label)
        settings = state.get("settings") or {}
        row, created = ProgramPlugin.objects.get_or_create(program=program, plugin=label, defaults={"settings": settings})
        results.append((label, created))
        if not created:
            continue
        _forget(program)
        if settings:
            log(instance=program, action="plugins.settings_changed", user=user,
                data={"plugin": label, "changed": settings, "source": "archive"})
        if not state.get("enabled") or any(not is_enabled(program, dep) for dep in plugin.depends_on):
            continue
        row.enabled = True
        row.save(update_fields=["enabled", "updated_at"])
        _forget(program)
        hook = plugin.hook("installed")
        if hook:
            hook(program)
        log(instance=program, action="plugins.enabled", user=user, data={"plugin": label, "source": "archive"})
    return results
