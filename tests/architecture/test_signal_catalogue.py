"""docs/plugins.md's signal catalogue is generated from the signal docstrings
(scripts/signal_catalogue.py); it must be fresh and list every ProgramSignal that exists."""

import importlib.util
import sys
from importlib import import_module

from plugins.signals import ProgramSignal

from .importgraph import ROOT, module_files


def _catalogue_script():
    spec = importlib.util.spec_from_file_location("signal_catalogue", ROOT / "scripts" / "signal_catalogue.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_guide_catalogue_is_fresh():
    script = _catalogue_script()
    assert script.main(["--check"]) == 0, "run: python scripts/signal_catalogue.py"


def test_every_documented_signal_has_a_docstring_in_the_catalogue():
    script = _catalogue_script()
    entries = script.signals()
    assert entries and all(doc != "**UNDOCUMENTED**" for _m, _n, doc in entries)
    guide = (ROOT / "docs" / "plugins.md").read_text()
    for module, name, _doc in entries:
        assert f"#### `{name}`" in guide and f"### `{module}`" in guide


def test_every_program_signal_object_is_catalogued():
    """Enumerate the live ProgramSignal objects of every loaded first-party module (by
    identity, so re-exports count once) and require each to be a catalogue entry."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - load every view module (and what it imports)
    script = _catalogue_script()
    catalogued = {id(getattr(import_module(m), n)) for m, n, _doc in script.signals()}
    live = {}
    for name in module_files():
        module = sys.modules.get(name)
        for attribute, value in getattr(module, "__dict__", {}).items():
            if isinstance(value, ProgramSignal):
                live.setdefault(id(value), f"{name}.{attribute}")
    missing = sorted(where for key, where in live.items() if key not in catalogued)
    assert len(live) >= 20
    assert not missing, f"ProgramSignals not in the catalogue (define them as `name = ProgramSignal()` + docstring): {missing}"
