"""The plugin framework's services.

- ``states``: switching plugins on and off per program and their per-program settings
  (the one writer of plugin state: dependency checks, hooks, audit log)
- ``registry``: the metadata of installed plugins (``PluginMeta``)
- ``programs``: the configured program model (``PLUGINS_PROGRAM_MODEL``) and the cached
  path -> program / plugin-state lookups of the gate (``gate_cache``, invalidated by
  ``plugins.receivers``)
- ``gate``: the one check in front of every program-scoped plugin view
- ``hot_paths``: the declared hot paths and their resolver (``plugins.middleware``)

The plugin-state service is re-exported here: ``from plugins.services import enable``.
"""

from .states import (
    ACTIONS,
    PluginDependencyError,
    PluginSettingsIncomplete,
    SwitchPreview,
    can_manage,
    default_settings,
    disable,
    enable,
    enabled_labels,
    ensure_state,
    get_settings,
    has_state,
    is_enabled,
    names,
    restore_states,
    save_settings,
    settings_form,
    settings_problems,
    switch_preview,
    update_settings,
)

__all__ = [
    "ACTIONS",
    "PluginDependencyError",
    "PluginSettingsIncomplete",
    "SwitchPreview",
    "can_manage",
    "default_settings",
    "disable",
    "enable",
    "enabled_labels",
    "ensure_state",
    "get_settings",
    "has_state",
    "is_enabled",
    "names",
    "restore_states",
    "save_settings",
    "settings_form",
    "settings_problems",
    "switch_preview",
    "update_settings",
]
