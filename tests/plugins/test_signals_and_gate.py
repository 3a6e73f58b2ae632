"""The dummy plugin proves the framework's guarantees: scoped signals and the URL gate."""

from plugins import services
from plugins.services.registry import get_plugin
from plugins.signals import ProgramSignal
from tests.dummy_plugin import signals as dummy


def test_disabled_plugin_receivers_are_never_called(energy, asset, make_learner):
    services.enable(energy, "dummy_plugin")
    on = make_learner(energy)
    off = make_learner(asset)
    delivered_programs = {program_pk for _name, program_pk, _enrolment in dummy.DELIVERIES}
    assert energy.pk in delivered_programs
    assert asset.pk not in delivered_programs
    assert on.enrolments.get().pk in {e for *_rest, e in dummy.DELIVERIES}
    assert off.enrolments.get().pk not in {e for *_rest, e in dummy.DELIVERIES}


def test_switching_off_stops_delivery(energy, make_learner):
    services.enable(energy, "dummy_plugin")
    services.disable(energy, "dummy_plugin")
    make_learner(energy)
    assert dummy.DELIVERIES == []


def test_retained_receivers_are_asked_where_their_plugin_is_off(rf, energy, asset):
    from plugins.signals import plugin_navigation, program_page_context

    dummy.LINKS["on"] = True
    services.enable(energy, "dummy_plugin")
    request = rf.get("/")

    def links(program):
        answers = plugin_navigation.send_robust(sender=program, request=request)
        return [link for _r, result in answers if isinstance(result, list) for link in result
                if link["label"].startswith("dummy")]

    assert links(energy) == [{"label": "dummy (on)", "url": "/dummy/energy/"}]
    assert links(asset) == [{"label": "dummy (retained)", "url": "/dummy/asset/"}]
    # Unmarked receivers of an off plugin are still never called.
    assert dummy.page_panel not in [r for r, _html in program_page_context.send_robust(sender=asset, request=request)]


def test_plugin_urls_answer_404_where_off_and_200_where_on(client, energy, asset):
    services.enable(energy, "dummy_plugin")
    on = client.get("/programs/energy/dummy/hello/")
    assert on.status_code == 200
    assert on.content.decode() == "dummy for energy"
    assert client.get("/programs/dual-carbon/asset/dummy/hello/").status_code == 404
    services.enable(asset, "dummy_plugin")
    nested = client.get("/programs/dual-carbon/asset/dummy/hello/")
    assert nested.status_code == 200
    assert nested.content.decode() == "dummy for asset"


def test_unknown_program_path_is_404(client, energy):
    services.enable(energy, "dummy_plugin")
    assert client.get("/programs/nope/dummy/hello/").status_code == 404


def test_program_url_reverses_nested_paths(asset):
    from plugins.urls import program_url

    assert program_url(asset, "dummy_plugin:hello") == "/programs/dual-carbon/asset/dummy/hello/"


def test_failing_receiver_under_send_robust_does_not_break_the_page(client, energy):
    services.enable(energy, "dummy_plugin")
    ok = client.get("/programs/energy/")
    assert "dummy panel for energy" in ok.content.decode()
    dummy.FAIL["on"] = True
    broken = client.get("/programs/energy/")
    assert broken.status_code == 200
    assert "dummy panel" not in broken.content.decode()
    assert "综合能源服务" in broken.content.decode()


def test_page_panel_absent_when_plugin_off(client, energy):
    assert "dummy panel" not in client.get("/programs/energy/").content.decode()


def test_receiver_order_is_core_first_then_plugins_by_label(energy):
    signal = ProgramSignal()
    calls = []

    def core_receiver(sender, **kwargs):
        calls.append("core")

    def dummy_receiver(sender, **kwargs):
        calls.append("dummy")

    def addon_receiver(sender, **kwargs):
        calls.append("addon")

    # Receivers are attributed to a plugin by the module they are defined in.
    dummy_receiver.__module__ = "tests.dummy_plugin.signals"
    addon_receiver.__module__ = "tests.dummy_addon.signals"
    signal.connect(dummy_receiver, weak=False)
    signal.connect(addon_receiver, weak=False)
    signal.connect(core_receiver, weak=False)
    services.enable(energy, "dummy_plugin")
    services.enable(energy, "dummy_addon")
    signal.send(sender=energy)
    assert calls == ["core", "addon", "dummy"]


def test_send_robust_returns_the_exception(energy):
    signal = ProgramSignal()

    def broken(sender, **kwargs):
        raise ValueError("boom")

    signal.connect(broken, weak=False)
    [(receiver, result)] = signal.send_robust(sender=energy)
    assert receiver is broken
    assert isinstance(result, ValueError)


def test_signal_requires_a_program_sender():
    import pytest

    with pytest.raises(TypeError):
        ProgramSignal().send(sender=None)


def test_plugin_metadata_registered():
    exam = get_plugin("exam_plugin")
    proctor = get_plugin("proctor_plugin")
    cert = get_plugin("cert_plugin")
    assert proctor.depends_on == ("exam_plugin",)
    assert exam.settings_form is not None and cert.settings_form is not None
    assert cert.url_segment == "certificates"
