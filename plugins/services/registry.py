"""Metadata of installed plugins.

A plugin is a Django app whose AppConfig has a nested ``PluginMeta`` class::

    class ExamPluginConfig(AppConfig):
        name = "exam_plugin"

        class PluginMeta:
            name = _("Exams")
            version = "1.0"
            description = _("Question bank, papers, mock tests and formal exams")
            depends_on = []                 # labels of plugins that must be on first
            restricted = False              # True: only superusers may switch it
            settings_form = "exam_plugin.forms.ExamSettingsForm"  # optional
            url_segment = "exam"            # where program URLs mount (default: label)
            enable_consequence = _("Learners of this program can sign up for exams …")   # optional
            disable_consequence = _("Learners of this program no longer see exams …")    # optional

        def installed(self, program): ...   # optional, called when switched on
        def uninstalled(self, program): ... # optional, called when switched off

        def ready(self):
            from . import signals  # noqa: F401

``enable_consequence``/``disable_consequence`` say, in one or two translated sentences,
what switching the plugin on/off changes for the program's learners and staff; the admin
page's confirmation step shows them (a generic sentence when a plugin gives none).

A plugin's ``urls`` module may define ``program_patterns`` (mounted under each program
and gated), ``retained_patterns`` (mounted there too; still served, read-only, when the
plugin is off) and ``urlpatterns`` (mounted at the site root; the plugin checks scope
itself). See ``plugins/urls.py``.
"""

from dataclasses import dataclass
from functools import cached_property

from django.apps import AppConfig, apps
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class Plugin:
    label: str
    module: str
    name: str
    version: str
    description: str
    depends_on: tuple[str, ...]
    restricted: bool
    settings_form_path: str | None
    url_segment: str
    app_config: AppConfig
    enable_consequence: str = ""
    disable_consequence: str = ""

    @cached_property
    def settings_form(self):
        return import_string(self.settings_form_path) if self.settings_form_path else None

    def hook(self, name):
        """The app config's optional ``installed``/``uninstalled`` callable, or None."""
        return getattr(self.app_config, name, None)


def _plugin_from_app(app_config: AppConfig) -> Plugin | None:
    meta = getattr(app_config, "PluginMeta", None)
    if meta is None:
        return None
    return Plugin(
        label=app_config.label,
        module=app_config.name,
        name=str(getattr(meta, "name", app_config.verbose_name)),
        version=getattr(meta, "version", "0"),
        description=str(getattr(meta, "description", "")),
        depends_on=tuple(getattr(meta, "depends_on", ())),
        restricted=bool(getattr(meta, "restricted", False)),
        settings_form_path=getattr(meta, "settings_form", None),
        url_segment=getattr(meta, "url_segment", app_config.label),
        app_config=app_config,
        enable_consequence=str(getattr(meta, "enable_consequence", "") or ""),
        disable_consequence=str(getattr(meta, "disable_consequence", "") or ""),
    )


def all_plugins() -> list[Plugin]:
    """Every installed plugin, ordered by label (the fixed order signals use)."""
    found = (_plugin_from_app(cfg) for cfg in apps.get_app_configs())
    return sorted((p for p in found if p is not None), key=lambda p: p.label)


def get_plugin(label: str) -> Plugin:
    for plugin in all_plugins():
        if plugin.label == label:
            return plugin
    raise LookupError(label)


def plugin_for_module(module_name: str) -> Plugin | None:
    """The plugin whose package contains ``module_name`` (for signal receiver scoping)."""
    for plugin in all_plugins():
        if module_name == plugin.module or module_name.startswith(plugin.module + "."):
            return plugin
    return None


def retained_receiver(receiver):
    """Mark a plugin's receiver of a program signal (``plugins.signals``) to be called where its
    plugin is off too, with ``plugin_enabled=False``, to keep offering what the plugin still
    serves (its ``retained_patterns``). Put it under ``@receiver``."""
    receiver.retained_when_off = True
    return receiver
