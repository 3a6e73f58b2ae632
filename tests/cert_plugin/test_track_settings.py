"""Certificate settings per program: each dual-carbon track has its own issuer, titles and
number prefix; the form inherits nothing from the energy program; and the plugin cannot
be switched on while a program's certificate settings are incomplete."""

import pytest

from cert_plugin.forms import CertSettingsForm
from course_content.models import ProgramGroupPage, ProgramPage
from plugins import services
from plugins.models import ProgramPlugin
from plugins.services.registry import get_plugin
from tests.plugins.conftest import program_admin  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db

IDENTITY_FIELDS = ("issuer", "title_junior", "title_intermediate", "title_senior", "number_prefix")


def _tracks():
    return list(ProgramPage.objects.child_of(ProgramGroupPage.objects.get(slug="dual-carbon")).order_by("path"))


def _label(name):
    return str(CertSettingsForm.base_fields[name].label)


def test_every_track_has_its_own_certificate_identity(energy):
    energy_values = services.get_settings(energy, "cert_plugin")
    seen = {name: {energy_values[name]} for name in IDENTITY_FIELDS}
    for track in _tracks():
        assert services.is_enabled(track, "cert_plugin"), track.slug
        values = services.get_settings(track, "cert_plugin")
        for name in IDENTITY_FIELDS:
            assert values[name] and values[name] not in seen[name], (track.slug, name)
            seen[name].add(values[name])
        assert track.title in values["issuer"] and track.title in values["title_senior"]
        assert "综合能源" not in "".join(values[name] for name in IDENTITY_FIELDS)


def test_the_settings_form_has_no_issuer_title_or_prefix_default():
    defaults = services.default_settings(get_plugin("cert_plugin"))
    assert all(not defaults[name] for name in IDENTITY_FIELDS)
    assert "中国节能协会" not in str(defaults) and "CECAES" not in str(defaults)


def _clear_settings(program, **keep):
    """A program whose certificate settings were never filled in (plus ``keep``)."""
    services.disable(program, "cert_plugin")
    ProgramPlugin.objects.filter(program=program, plugin="cert_plugin").update(settings=keep)


def test_switching_on_with_incomplete_settings_is_refused_naming_what_is_missing(asset):
    _clear_settings(asset, issuer="某发证机构", number_prefix="DCAS")
    with pytest.raises(services.PluginSettingsIncomplete) as err:
        services.enable(asset, "cert_plugin")
    message = " ".join(err.value.messages)
    for missing in ("title_junior", "title_intermediate", "title_senior"):
        assert _label(missing) in message
    assert _label("issuer") not in message and _label("number_prefix") not in message
    assert not services.is_enabled(asset, "cert_plugin")
    assert services.settings_problems(asset, "cert_plugin") == [_label(n) for n in ("title_junior", "title_intermediate", "title_senior")]


def test_an_invalid_value_is_named_with_its_reason(asset):
    values = services.get_settings(asset, "cert_plugin")
    _clear_settings(asset, **{**values, "number_prefix": "dc-as"})
    problems = services.settings_problems(asset, "cert_plugin")
    assert len(problems) == 1 and problems[0].startswith(_label("number_prefix")) and "（" in problems[0]
    with pytest.raises(services.PluginSettingsIncomplete):
        services.enable(asset, "cert_plugin")


def test_complete_settings_switch_on(asset):
    values = services.get_settings(asset, "cert_plugin")
    _clear_settings(asset)
    services.update_settings(asset, "cert_plugin", **values)
    services.enable(asset, "cert_plugin")
    assert services.is_enabled(asset, "cert_plugin")


def test_the_admin_page_shows_the_refusal(client, program_admin, asset):  # noqa: F811
    _clear_settings(asset)
    client.force_login(program_admin)
    # The confirmation step says why before anything is tried…
    confirm = client.get(f"/admin/program-plugins/{asset.pk}/cert_plugin/enable/").content.decode()
    assert "plugin-blockers" in confirm and _label("issuer") in confirm and _label("number_prefix") in confirm
    # …and a confirmation posted anyway is refused with the same names.
    response = client.post(f"/admin/program-plugins/{asset.pk}/cert_plugin/enable/", follow=True)
    messages = " ".join(str(m) for m in response.context["messages"])
    assert _label("issuer") in messages and _label("number_prefix") in messages
    assert not services.is_enabled(asset, "cert_plugin")


def test_every_installed_plugin_with_defaults_can_still_be_switched_on(energy):
    """The completeness check refuses only what is really missing: plugins whose form
    defaults are complete switch on as before."""
    services.enable(energy, "dummy_plugin")
    assert services.is_enabled(energy, "dummy_plugin")
    assert services.settings_problems(energy, "exam_plugin") == []
    assert services.settings_problems(energy, "proctor_plugin") == []
    assert services.settings_problems(energy, "cert_plugin") == []
