"""The plugin framework's app, and what INSTALLED_APPS gets from plugin packages.

A third-party plugin makes itself known with an entry point in the
``certplatform.plugins`` group whose value is its Django app module::

    [project.entry-points."certplatform.plugins"]
    my_plugin = "my_plugin"

``pip install`` of such a package is all it takes; settings append the module to
INSTALLED_APPS (:func:`discover_plugin_apps`, called while settings load, before Django is
set up: only the module name is read, nothing is imported, and this module imports no
models).
"""

from importlib.metadata import entry_points

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

ENTRY_POINT_GROUP = "certplatform.plugins"


def entry_point_modules(group: str = ENTRY_POINT_GROUP) -> list[str]:
    """Module names declared in ``group`` by installed distributions, sorted, unique."""
    return sorted({ep.value.split(":")[0] for ep in entry_points(group=group)})


def discover_plugin_apps(first_party: list[str], group: str = ENTRY_POINT_GROUP) -> list[str]:
    """``first_party`` followed by every other module registered in the entry-point group."""
    extra = [m for m in entry_point_modules(group) if m not in first_party]
    return [*first_party, *extra]


class PluginsConfig(AppConfig):
    name = "plugins"
    verbose_name = _("Plugins")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import checks, receivers  # noqa: F401  (system checks; gate-cache invalidation)
