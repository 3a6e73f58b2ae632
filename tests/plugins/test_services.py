import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from wagtail.models import PageLogEntry

from plugins import services
from plugins.models import ProgramPlugin
from tests.dummy_plugin.apps import DummyPluginConfig


def test_fixture_states(energy, asset):
    assert services.enabled_labels(energy) >= {"exam_plugin", "proctor_plugin", "cert_plugin"}
    assert services.is_enabled(asset, "exam_plugin") and services.is_enabled(asset, "proctor_plugin")
    # Certificates are on for the tracks, with the track's own settings (tests/cert_plugin).
    assert services.is_enabled(asset, "cert_plugin")


def test_program_specific_rules_from_fixtures(energy, asset):
    energy_rules = services.get_settings(energy, "proctor_plugin")
    dual_rules = services.get_settings(asset, "proctor_plugin")
    assert (energy_rules["leave_limit"], dual_rules["leave_limit"]) == (10, 3)
    assert dual_rules["leave_return_seconds"] == 20
    assert dual_rules["second_camera_required"] is True and energy_rules["second_camera_required"] is False
    assert services.get_settings(energy, "exam_plugin")["late_entry_minutes"] == 30
    assert services.get_settings(asset, "exam_plugin")["late_entry_minutes"] == 15
    exam = services.get_settings(energy, "exam_plugin")
    assert (exam["total_points"], exam["pass_points"], exam["attempts_per_sitting"], exam["result_release_working_days"]) == (100, 60, 1, 15)
    cert = services.get_settings(energy, "cert_plugin")
    assert cert["issuer"] == "中国节能协会" and cert["issue_lag_working_days"] == 45


def test_enabling_proctor_without_exam_is_refused(energy):
    services.disable(energy, "proctor_plugin")
    services.disable(energy, "exam_plugin")
    with pytest.raises(services.PluginDependencyError) as err:
        services.enable(energy, "proctor_plugin")
    assert "Exams" in str(err.value.messages) or "考试" in str(err.value.messages)
    assert not services.is_enabled(energy, "proctor_plugin")


def test_exam_cannot_be_switched_off_while_proctor_is_on(energy):
    with pytest.raises(services.PluginDependencyError):
        services.disable(energy, "exam_plugin")
    assert services.is_enabled(energy, "exam_plugin")


def test_restricted_plugin_needs_a_superuser(energy, program_admin, admin_user):
    services.enable(energy, "dummy_plugin", user=program_admin)
    with pytest.raises(PermissionDenied):
        services.enable(energy, "dummy_addon", user=program_admin)
    assert not services.is_enabled(energy, "dummy_addon")
    services.enable(energy, "dummy_addon", user=admin_user)
    assert services.is_enabled(energy, "dummy_addon")


def test_learner_cannot_switch_plugins(energy, make_learner):
    learner = make_learner(energy)
    with pytest.raises(PermissionDenied):
        services.disable(energy, "cert_plugin", user=learner)
    assert services.is_enabled(energy, "cert_plugin")


def test_installed_and_uninstalled_hooks(energy):
    DummyPluginConfig.installed_calls.clear()
    DummyPluginConfig.uninstalled_calls.clear()
    services.enable(energy, "dummy_plugin")
    services.enable(energy, "dummy_plugin")  # already on: no second call
    assert DummyPluginConfig.installed_calls == [energy.pk]
    services.disable(energy, "dummy_plugin")
    services.disable(energy, "dummy_plugin")
    assert DummyPluginConfig.uninstalled_calls == [energy.pk]


def test_settings_validation_refuses_negative_leave_limit(energy):
    with pytest.raises(ValidationError) as err:
        services.update_settings(energy, "proctor_plugin", leave_limit=-1)
    assert any("leave" in m.lower() or "离开" in m for m in err.value.messages)
    assert services.get_settings(energy, "proctor_plugin")["leave_limit"] == 10


def test_settings_cross_field_validation(energy):
    with pytest.raises(ValidationError):
        services.update_settings(energy, "exam_plugin", pass_points=120)


def test_defaults_apply_without_a_row(energy):
    ProgramPlugin.objects.filter(program=energy, plugin="dummy_plugin").delete()
    assert services.get_settings(energy, "dummy_plugin") == {"greeting": "hello", "limit": 3}


def test_changes_are_audit_logged(energy, admin_user):
    services.enable(energy, "dummy_plugin", user=admin_user)
    services.update_settings(energy, "dummy_plugin", user=admin_user, limit=7)
    services.disable(energy, "dummy_plugin", user=admin_user)
    actions = list(PageLogEntry.objects.filter(page=energy, user=admin_user).values_list("action", "data"))
    assert ("plugins.enabled", {"plugin": "dummy_plugin"}) in actions
    assert ("plugins.disabled", {"plugin": "dummy_plugin"}) in actions
    assert ("plugins.settings_changed", {"plugin": "dummy_plugin", "changed": {"greeting": "hello", "limit": 7}}) in actions
