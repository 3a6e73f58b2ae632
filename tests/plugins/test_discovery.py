"""Entry-point discovery against a real (temporary) installed distribution."""

import sys
import textwrap

from plugins.apps import discover_plugin_apps, entry_point_modules


def test_third_party_plugin_found_through_entry_point(tmp_path, monkeypatch):
    dist = tmp_path / "acme_plugin-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: acme-plugin\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text(
        textwrap.dedent(
            """
            [certplatform.plugins]
            acme = acme_plugin
            """
        )
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    assert "acme_plugin" in entry_point_modules()
    apps = discover_plugin_apps(["exam_plugin"])
    assert apps[0] == "exam_plugin"
    assert "acme_plugin" in apps
    assert apps.count("exam_plugin") == 1


def test_first_party_plugins_are_declared_as_entry_points():
    assert {"exam_plugin", "proctor_plugin", "cert_plugin"} <= set(entry_point_modules())
    assert sys.modules.get("acme_plugin") is None
