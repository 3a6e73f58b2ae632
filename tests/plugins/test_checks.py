"""The plugin metadata system checks (``plugins/checks.py``) against test-only apps that are
each broken in one way (tests/plugins/check_apps/), checked together with the installed
plugins.

The broken apps are built with ``AppConfig.create`` rather than installed through
``override_settings(INSTALLED_APPS=...)``: re-populating the app registry re-runs every
``ready()``, and Wagtail's redirects app cannot mount its API router twice.
"""

from django.apps import AppConfig
from django.core import checks
from wagtail import hooks

from plugins.checks import (
    check_plugin_menu_orders,
    check_plugin_metadata,
    menu_order_warnings,
    metadata_errors,
)
from plugins.services.registry import _plugin_from_app, all_plugins

APPS = "tests.plugins.check_apps"


def plugin_messages(*extra_apps):
    """Every plugin check message for the installed plugins plus ``extra_apps``."""
    extra = [_plugin_from_app(AppConfig.create(f"{APPS}.{a}.Config")) for a in extra_apps]
    plugins = [*all_plugins(), *extra]
    return metadata_errors(plugins) + menu_order_warnings(plugins)


def by_id(messages, check_id):
    return [m for m in messages if m.id == check_id]


def test_the_project_itself_passes_the_plugin_checks():
    assert plugin_messages() == []
    assert checks.run_checks(tags=["plugins"]) == []


def test_checks_are_registered_at_start_up():
    """Registered from ``PluginsConfig.ready``, so ``check``, runserver and migrate run them."""
    registered = checks.registry.registry.get_checks()
    assert check_plugin_metadata in registered and check_plugin_menu_orders in registered


def test_typoed_attribute_is_an_error_with_a_did_you_mean_hint():
    [error] = plugin_messages("typo")
    assert error.id == "plugins.E001"
    assert error.level == checks.ERROR
    assert "'check_typo'" in error.msg and "'depend_on'" in error.msg
    assert error.hint == "Did you mean 'depends_on'?"


def test_missing_required_attributes_are_errors():
    errors = plugin_messages("bare")
    assert {e.id for e in errors} == {"plugins.E002"}
    assert sorted(e.msg.split("'")[-2] for e in errors) == ["description", "name", "version"]


def test_malformed_attributes_are_errors():
    errors = by_id(plugin_messages("malformed"), "plugins.E003")
    text = " ".join(e.msg for e in errors)
    assert len(errors) == 4
    for attribute in ("depends_on", "restricted", "url_segment", "settings_form"):
        assert f"'{attribute}'" in text


def test_unknown_dependency_is_an_error_with_a_hint():
    [error] = plugin_messages("unknown_dep")
    assert error.id == "plugins.E004"
    assert "'exam_plugn'" in error.msg
    assert error.hint == "Did you mean 'exam_plugin'?"


def test_dependency_cycle_is_reported_once():
    errors = plugin_messages("cycle_a", "cycle_b")
    assert [e.id for e in errors] == ["plugins.E005"]
    assert "check_cycle_a -> check_cycle_b -> check_cycle_a" in errors[0].msg


def test_duplicate_url_segment_is_an_error():
    [error] = plugin_messages("segment")
    assert error.id == "plugins.E006"
    assert "check_segment, exam_plugin" in error.msg and "'exam/'" in error.msg


def test_duplicate_menu_order_is_a_warning_naming_both_items():
    from tests.plugins.check_apps.menu import menu_item

    with hooks.register_temporarily("register_admin_menu_item", menu_item):
        [warning] = plugin_messages("menu")
    assert warning.id == "plugins.W001"
    assert warning.level == checks.WARNING
    assert "830" in warning.msg
    assert "tests.plugins.check_apps.menu" in warning.msg and "proctor_plugin.wagtail_hooks" in warning.msg


def test_consequence_texts_are_known_attributes_and_must_be_text():
    """``enable_consequence``/``disable_consequence`` (the confirmation page's sentences) are
    metadata: no E001; a translated string passes, anything else is E003."""
    errors = plugin_messages("consequence")
    assert [e.id for e in errors] == ["plugins.E003"]
    assert "'disable_consequence'" in errors[0].msg and "gettext_lazy" in errors[0].msg
