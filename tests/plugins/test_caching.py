"""The program/plugin-state cache behind the plugin gate: fast and never stale in-process."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from plugins import services
from plugins.services.programs import gate_cache, program_for_path


def test_program_lookup_is_cached_and_returns_independent_copies(energy):
    first = program_for_path("energy")
    with CaptureQueriesContext(connection) as queries:
        second = program_for_path("/energy/")
        labels = services.enabled_labels(second)
        services.enabled_labels(program_for_path("energy"))
    assert first.pk == second.pk == energy.pk and first is not second
    assert second.program_path == "energy"
    assert "exam_plugin" in labels
    # only the labels' first computation may query; the path never again
    assert len(queries) <= 1
    second.marker = "request-local"
    second.title = "changed in one request"
    second._state.fields_cache["owner"] = None  # a related object loaded in one request
    second._state.adding = True
    third = program_for_path("energy")
    assert not hasattr(third, "marker") and third.title == energy.title
    assert "owner" not in third._state.fields_cache and third._state.adding is False
    assert type(third) is type(energy) and third.pk == energy.pk and third.program_path == "energy"


def test_switching_a_plugin_takes_effect_immediately(client, energy):
    services.enable(energy, "dummy_plugin")
    assert client.get("/programs/energy/dummy/hello/").status_code == 200
    services.disable(energy, "dummy_plugin")
    assert client.get("/programs/energy/dummy/hello/").status_code == 404
    services.enable(energy, "dummy_plugin")
    assert client.get("/programs/energy/dummy/hello/").status_code == 200


def test_saving_the_plugin_row_directly_also_invalidates(client, energy):
    from plugins.models import ProgramPlugin

    services.enable(energy, "dummy_plugin")
    assert client.get("/programs/energy/dummy/hello/").status_code == 200
    row = ProgramPlugin.objects.get(program=energy, plugin="dummy_plugin")
    row.enabled = False
    row.save()
    assert client.get("/programs/energy/dummy/hello/").status_code == 404


def test_unpublish_and_move_are_seen_at_once(client, energy, asset):
    services.enable(energy, "dummy_plugin")
    assert client.get("/programs/energy/dummy/hello/").status_code == 200
    energy.unpublish()
    assert program_for_path("energy") is None
    assert client.get("/programs/energy/dummy/hello/").status_code == 404
    energy.refresh_from_db()
    energy.save_revision().publish()
    assert program_for_path("energy").pk == energy.pk
    services.enable(asset, "dummy_plugin")
    assert client.get("/programs/dual-carbon/asset/dummy/hello/").status_code == 200
    # rename the slug: the old path disappears, the new one answers
    asset.slug = "assets-moved"
    asset.save_revision().publish()
    assert client.get("/programs/dual-carbon/asset/dummy/hello/").status_code == 404
    assert client.get("/programs/dual-carbon/assets-moved/dummy/hello/").status_code == 200


def test_entries_expire_after_the_max_age(energy, settings):
    program_for_path("energy")
    assert gate_cache.get("paths", "energy", None) is not None
    settings.PROGRAM_CACHE_MAX_AGE = 0
    assert gate_cache.get("paths", "energy", None) is None


def test_another_process_bumping_the_version_clears_this_one(energy):
    from django.core.cache import cache

    from plugins.services.programs import VERSION_KEY

    program_for_path("energy")
    cache.set(VERSION_KEY, "changed-elsewhere", None)
    assert gate_cache.get("paths", "energy", None) is None


def test_a_switch_in_another_process_reaches_the_gate_with_the_version(client, energy):
    """The gate memoises a program's plugin labels on the cached program: they go when the
    shared version changes, as the program does (here: a row changed without this process's
    signals, then the version bumped as the other process's switch does)."""
    from django.core.cache import cache

    from plugins.models import ProgramPlugin
    from plugins.services.programs import VERSION_KEY

    services.enable(energy, "dummy_plugin")
    assert client.get("/programs/energy/dummy/hello/").status_code == 200
    assert client.get("/programs/energy/dummy/hello/").status_code == 200  # served from the memo
    ProgramPlugin.objects.filter(program=energy, plugin="dummy_plugin").update(enabled=False)
    cache.set(VERSION_KEY, "switched-elsewhere", None)
    assert client.get("/programs/energy/dummy/hello/").status_code == 404


def test_the_gate_reads_the_shared_version_once_per_request(client, energy, monkeypatch):
    from plugins.services import programs

    services.enable(energy, "dummy_plugin")
    assert client.get("/programs/energy/dummy/hello/").status_code == 200  # warm
    reads = []
    real_get = programs.cache.get
    monkeypatch.setattr(programs.cache, "get", lambda key, *a, **kw: reads.append(key) or real_get(key, *a, **kw))
    assert client.get("/programs/energy/dummy/hello/").status_code == 200
    assert reads.count(programs.VERSION_KEY) == 1
