"""The writers fixture loading and archive restores use (``plugins.services.ensure_state``,
``restore_states``): rows only where the program has none, dependencies first, hooks and
audit log for what is switched on."""

from wagtail.models import PageLogEntry

from plugins import services
from plugins.models import ProgramPlugin
from tests.dummy_plugin.apps import DummyPluginConfig


def test_ensure_state_records_off_once(energy):
    assert not services.has_state(energy, "dummy_plugin")
    assert services.ensure_state(energy, "dummy_plugin") is True
    assert services.ensure_state(energy, "dummy_plugin") is False
    assert services.has_state(energy, "dummy_plugin") and not services.is_enabled(
        energy, "dummy_plugin"
    )


def test_restore_states_dependencies_first_with_hooks_and_log(energy):
    DummyPluginConfig.installed_calls.clear()
    states = [
        {"plugin": "dummy_addon", "enabled": True},
        {"plugin": "dummy_plugin", "enabled": True, "settings": {"greeting": "hi", "limit": 2}},
    ]
    assert services.restore_states(energy, states) == [
        ("dummy_plugin", True),
        ("dummy_addon", True),
    ]
    assert services.is_enabled(energy, "dummy_plugin") and services.is_enabled(
        energy, "dummy_addon"
    )
    assert services.get_settings(energy, "dummy_plugin")["greeting"] == "hi"
    assert DummyPluginConfig.installed_calls == [energy.pk]
    logged = PageLogEntry.objects.filter(page=energy, action="plugins.enabled").values_list(
        "data", flat=True
    )
    assert {"plugin": "dummy_addon", "source": "archive"} in list(logged)


def test_restore_keeps_the_local_choice_and_missing_dependencies_off(energy):
    services.ensure_state(energy, "dummy_plugin")  # the local admin has it off
    results = services.restore_states(
        energy,
        [{"plugin": "dummy_plugin", "enabled": True}, {"plugin": "dummy_addon", "enabled": True}],
    )
    assert results == [("dummy_plugin", False), ("dummy_addon", True)]
    assert not services.is_enabled(energy, "dummy_plugin")
    assert not services.is_enabled(energy, "dummy_addon")  # its dependency is off
    assert ProgramPlugin.objects.filter(
        program=energy, plugin="dummy_addon", enabled=False
    ).exists()
