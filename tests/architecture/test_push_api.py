"""Plugins reach the site's web push through its documented API only:
``from cms_site.pwa.services.push import notify`` (see that module's docstring). Everything else in
``cms_site.pwa`` (subscriptions, delivery, endpoints, keys) is the site's own business.
(The training-room pack signals plugins answer are ``packs.signals``, a core app of its own.)

Read with ``ast`` like the other architecture tests; imports inside functions count.
"""

import ast

from .importgraph import module_files, parsed, top_package
from .test_layers import plugin_packages

ALLOWED = {"cms_site.pwa.services.push": {"notify"}}


def pwa_imports_beyond_the_api(tree) -> list[str]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [f"import {a.name}" for a in node.names if a.name.startswith("cms_site.pwa")]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").startswith("cms_site"):
            names = {a.name for a in node.names}
            if node.module == "cms_site" and "pwa" in names:
                found.append("from cms_site import pwa")
            elif node.module.startswith("cms_site.pwa"):
                allowed = ALLOWED.get(node.module, set())
                if names - allowed:
                    found.append(f"from {node.module} import {', '.join(sorted(names - allowed))}")
    return found


def test_plugins_use_only_the_documented_push_api():
    plugins = set(plugin_packages())
    offences = {
        module: found
        for module in module_files()
        if top_package(module) in plugins and (found := pwa_imports_beyond_the_api(parsed(module)))
    }
    assert not offences, f"Plugins may import only cms_site.pwa.services.push.notify: {offences}"


def test_the_plugins_do_send_push_notices():
    """The detector looks at real imports: both plugins that notify use the API."""
    users = {m for m in module_files() if any(
        isinstance(n, ast.ImportFrom) and n.module == "cms_site.pwa.services.push" for n in ast.walk(parsed(m))
    )}
    assert {"exam_plugin.services.notices", "cert_plugin.services.notices"} <= users


def test_detector():
    tree = ast.parse(
        "from cms_site.pwa.services.push import notify, deliver_push\n"
        "from cms_site.pwa.models import PushSubscription\n"
        "import cms_site.pwa.services.vapid\n"
        "from cms_site import pwa\n"
        "def f():\n    from cms_site.pwa.services.push import send_to_subscription\n"
    )
    assert pwa_imports_beyond_the_api(tree) == [
        "from cms_site.pwa.services.push import deliver_push",
        "from cms_site.pwa.models import PushSubscription",
        "import cms_site.pwa.services.vapid",
        "from cms_site import pwa",
        "from cms_site.pwa.services.push import send_to_subscription",
    ]
