"""Find plugin apps at settings time (before Django is set up).

A third-party plugin makes itself known with an entry point in the
``certplatform.plugins`` group whose value is its Django app module::

    [project.entry-points."certplatform.plugins"]
    my_plugin = "my_plugin"

``pip install`` of such a package is all it takes; settings append the module to
INSTALLED_APPS. Only the module name is read here; nothing is imported.
"""

from importlib.metadata import entry_points

ENTRY_POINT_GROUP = "certplatform.plugins"


def entry_point_modules(group: str = ENTRY_POINT_GROUP) -> list[str]:
    """Module names declared in ``group`` by installed distributions, sorted, unique."""
    return sorted({ep.value.split(":")[0] for ep in entry_points(group=group)})


def discover_plugin_apps(first_party: list[str], group: str = ENTRY_POINT_GROUP) -> list[str]:
    """``first_party`` followed by every other module registered in the entry-point group."""
    extra = [m for m in entry_point_modules(group) if m not in first_party]
    return [*first_party, *extra]
