"""Every app of ours has the one skeleton of docs/plugins.md ("The skeleton").

Checked for every installed first-party app — the plugins and the core apps alike (an app whose
top package is in pyproject's list, so a new app is covered without touching this test) — and
for the example plugin the guide builds (``tests/survey_plugin``). A sub-app inside another
app's folder (``cms_site/accounts``) is checked as an app of its own and skipped in its parent's.


- its top level holds only the skeleton's parts: ``apps.py``, ``models/``, ``services/``,
  ``signals.py``, ``receivers.py``, ``api.py``, ``views/``, ``urls.py``, ``wagtail_hooks.py``,
  ``forms.py``, ``tasks.py``, ``initial_data.py``, ``checks.py``, ``templates/``,
  ``static/``, ``locale/``, ``migrations/``, ``management/``, ``tests/`` (and a README), and
  the Django/Wagtail integration modules that Django or the settings refer to by name:
  ``blocks.py``, ``middleware.py``, ``backends.py``, ``hashers.py``, ``templatetags/``;
  the project package (the app of ``ROOT_URLCONF``) also holds ``settings/``, ``wsgi.py``
  and the site shell's templates beside ``templates/<label>/`` (``base.html``, error pages,
  ``wagtailadmin/`` overrides);
  ``api`` and ``receivers`` may grow from a module into a package of the same name
  (the API built in the package — ``api/__init__.py`` or a module of it — and its operations
  grouped by caller or subject in the package's modules);
- ``models``, ``services`` and ``views`` are packages (a ``models.py`` is not allowed: one
  module per aggregate, the package's ``__init__`` re-exports);
- a part the plugin uses lives where the skeleton puts it: receivers in ``receivers.py``
  (imported from ``ready()``), signal definitions in ``signals.py``, django-tasks tasks in
  ``tasks.py``, Wagtail hooks in ``wagtail_hooks.py``, URL patterns in ``urls.py``, ninja
  APIs and routers in ``api.py`` (or the ``api/`` package), models in ``models/``, management commands in
  ``management/commands/``; templates under ``templates/<label>/``, static files under
  ``static/<label>/``; UI text comes with ``locale/zh_Hans/LC_MESSAGES/django.po``.

The files are read with ``ast``; nothing is imported.
"""

import ast
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings

from .importgraph import ROOT, first_party_packages, top_package
from .test_receiver_modules import connects_receivers

EXAMPLE_PLUGINS = {"tests.survey_plugin"}

MODULES = {"__init__", "apps", "signals", "receivers", "api", "urls", "wagtail_hooks", "forms", "tasks",
           "initial_data", "checks",
           # Django / Wagtail integration modules, named by Django or by the settings.
           "blocks", "middleware", "backends", "hashers"}
PACKAGES = {"models", "services", "views", "migrations", "management", "tests", "templatetags"}
# Parts that start as one module and may become a package of the same name when they grow.
MODULE_OR_PACKAGE = {"api", "receivers"}
DATA_DIRS = {"templates", "static", "locale"}
OTHER_FILES = {"README.md"}
IGNORED = {"__pycache__"}
# The project package alone: its settings, the WSGI entry point and the site shell's templates.
PROJECT_PACKAGES = {"settings"}
PROJECT_MODULES = {"wsgi"}
PROJECT_TEMPLATES = {"base.html", "404.html", "500.html", "wagtailadmin"}


def project_package() -> str:
    return settings.ROOT_URLCONF.split(".", 1)[0]


def app_dirs() -> dict[str, tuple[str, Path]]:
    """Dotted app name -> (label, folder) of every app the skeleton applies to."""
    first_party = set(first_party_packages())
    found = {}
    for cfg in apps.get_app_configs():
        if top_package(cfg.name) in first_party or cfg.name in EXAMPLE_PLUGINS:
            found[cfg.name] = (cfg.label, Path(cfg.path))
    return found


def sub_app_folders(folder: Path) -> set[str]:
    """Names of the folders directly inside ``folder`` that are apps of their own."""
    return {path.name for _label, path in app_dirs().values() if path.parent == folder}


def _call_name(node) -> str:
    func = node.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def _decorator_names(node) -> set[str]:
    names = set()
    for decorator in node.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        if isinstance(target, ast.Attribute):
            names.add(f"{getattr(target.value, 'id', '')}.{target.attr}")
            names.add(target.attr)
        else:
            names.add(getattr(target, "id", ""))
    return names


def _base_names(node: ast.ClassDef) -> set[str]:
    return {b.attr if isinstance(b, ast.Attribute) else getattr(b, "id", "") for b in node.bases}


def parts_used(tree) -> set[str]:
    """The skeleton parts a module's source defines (each must live in its own place)."""
    used = set()
    if connects_receivers(tree):
        used.add("receivers")
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
            if _call_name(node.value) in {"Signal", "ProgramSignal"}:
                used.add("signals")
            if _call_name(node.value).endswith("API") or _call_name(node.value) == "Router":
                used.add("api")
        if isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(getattr(t, "id", "") in {"urlpatterns", "program_patterns", "retained_patterns"} for t in targets):
                used.add("urls")
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            decorators = _decorator_names(node)
            if "task" in decorators:
                used.add("tasks")
            if "hooks.register" in decorators:
                used.add("wagtail_hooks")
        if isinstance(node, ast.ClassDef):
            bases = _base_names(node)
            if "Model" in bases:
                used.add("models")
            if node.name == "Command" and "BaseCommand" in bases:
                used.add("management")
    return used


# Where each part may be defined, as a test on the module path relative to the plugin.
HOMES = {
    "receivers": lambda parts: parts == ("receivers",) or parts[:1] == ("receivers",),
    "signals": lambda parts: parts == ("signals",),
    "api": lambda parts: parts[:1] == ("api",),
    "urls": lambda parts: parts == ("urls",),
    "tasks": lambda parts: parts == ("tasks",),
    "wagtail_hooks": lambda parts: parts == ("wagtail_hooks",),
    "models": lambda parts: parts[:1] == ("models",),
    "management": lambda parts: parts[:2] == ("management", "commands"),
}


def _python_modules(folder: Path, skipped: frozenset = frozenset()):
    for path in sorted(folder.rglob("*.py")):
        rel = path.relative_to(folder)
        if rel.parts[0] in {"migrations", "tests", "settings"} | skipped:
            continue
        parts = tuple(rel.with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        yield parts, path


def _uses_translations(folder: Path) -> bool:
    for path in folder.rglob("*.py"):
        if "gettext" in path.read_text(encoding="utf-8"):
            return True
    templates = folder / "templates"
    return templates.is_dir() and any(
        "{% translate" in p.read_text(encoding="utf-8") or "{% blocktranslate" in p.read_text(encoding="utf-8")
        for p in templates.rglob("*.html")
    )


def skeleton_problems(label: str, folder: Path, *, sub_apps: frozenset = frozenset(), project: bool = False) -> list[str]:
    """What breaks the skeleton in the app ``label`` at ``folder``. ``sub_apps``: folders inside
    it that are apps of their own (checked on their own); ``project``: the project package."""
    problems = []
    packages = PACKAGES | (PROJECT_PACKAGES if project else set())
    modules = MODULES | (PROJECT_MODULES if project else set())
    for entry in sorted(folder.iterdir()):
        name = entry.name
        if name in IGNORED or name.endswith(".pyc") or name in sub_apps:
            continue
        if entry.is_dir():
            if name in packages | MODULE_OR_PACKAGE:
                if (folder / f"{name}.py").exists():
                    problems.append(f"{name}/ and {name}.py: keep one of them")
                if not (entry / "__init__.py").exists():
                    problems.append(f"{name}/ is not a package (no __init__.py)")
            elif name not in DATA_DIRS:
                problems.append(f"{name}/ is not part of the skeleton")
        elif entry.suffix == ".py":
            if entry.stem in packages:
                problems.append(f"{name} must be a package ({entry.stem}/ with __init__.py)")
            elif entry.stem not in modules:
                problems.append(f"{name} is not part of the skeleton (domain logic goes into services/)")
        elif name not in OTHER_FILES:
            problems.append(f"{name} is not part of the skeleton")
    for data_dir in ("templates", "static"):
        if (folder / data_dir).is_dir():
            inside = {p.name for p in (folder / data_dir).iterdir() if p.name not in IGNORED}
            if project and data_dir == "templates":
                inside -= PROJECT_TEMPLATES
                inside = inside or {label}  # the shell alone is fine
            if inside != {label}:
                problems.append(f"{data_dir}/ must hold exactly one folder, {label}/ (found {sorted(inside)})")
    has_receivers = False
    for parts, path in _python_modules(folder, sub_apps):
        for part in sorted(parts_used(ast.parse(path.read_text(encoding="utf-8")))):
            if part == "receivers":
                has_receivers = True
            if not HOMES[part](parts):
                where = "/".join(parts) or "__init__"
                problems.append(f"{where}.py defines {part} (they belong in the skeleton's {part} part)")
    if has_receivers:
        apps_py = folder / "apps.py"
        ready = [
            n
            for n in ast.walk(ast.parse(apps_py.read_text(encoding="utf-8")))
            if isinstance(n, ast.FunctionDef) and n.name == "ready"
        ]
        imports = [n for fn in ready for n in ast.walk(fn) if isinstance(n, ast.ImportFrom)]
        if not any(any(a.name == "receivers" for a in n.names) or (n.module or "").endswith("receivers") for n in imports):
            problems.append("apps.py: ready() does not import receivers")
    hooks_py = folder / "wagtail_hooks.py"
    if hooks_py.exists():
        for node in ast.walk(ast.parse(hooks_py.read_text(encoding="utf-8"))):
            for keyword in getattr(node, "keywords", []) if isinstance(node, ast.Call) else []:
                value = getattr(keyword.value, "value", None)
                if keyword.arg == "namespace" and value != f"{label}_admin":
                    problems.append(f"wagtail_hooks.py: admin URL namespace {value!r}, not {label}_admin")
    if _uses_translations(folder) and not (folder / "locale/zh_Hans/LC_MESSAGES/django.po").exists():
        problems.append("UI text without locale/zh_Hans/LC_MESSAGES/django.po")
    return problems


def test_the_skeleton_covers_every_app_of_ours_and_the_example():
    covered = set(app_dirs())
    assert {"exam_plugin", "proctor_plugin", "cert_plugin", "tests.survey_plugin"} <= covered
    assert set(settings.CORE_APPS) <= covered
    assert {"cms_site.accounts", "cms_site.pwa", "course_content.registration"} <= covered


@pytest.mark.parametrize("app_name", sorted(app_dirs()))
def test_app_has_the_skeleton(app_name):
    label, folder = app_dirs()[app_name]
    problems = skeleton_problems(
        label, folder, sub_apps=frozenset(sub_app_folders(folder)), project=app_name == project_package()
    )
    assert not problems, f"{app_name} ({folder.relative_to(ROOT)}):\n  " + "\n  ".join(problems)


def _write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


GOOD = {
    "__init__.py": "",
    "apps.py": "class C:\n    def ready(self):\n        from . import receivers  # noqa\n",
    "models/__init__.py": "from .things import Thing\n",
    "models/things.py": "from django.db import models\nclass Thing(models.Model):\n    pass\n",
    "services/__init__.py": "",
    "views/__init__.py": "",
    "views/learner.py": "def page(request): ...\n",
    "receivers.py": "@receiver(s, dispatch_uid='x')\ndef on(sender, **kw): ...\n",
    "signals.py": "from plugins.signals import ProgramSignal\nthing_done = ProgramSignal()\n'''doc'''\n",
    "urls.py": "program_patterns = []\n",
    "templates/demo/page.html": "<p>hi</p>",
}


def test_a_plugin_with_the_skeleton_passes(tmp_path):
    assert skeleton_problems("demo", _write(tmp_path, GOOD)) == []


def test_the_api_may_be_a_package_of_routers(tmp_path):
    files = {
        **GOOD,
        "api/__init__.py": "from ninja import NinjaAPI\napi = NinjaAPI()\n",
        "api/learner.py": "from ninja import Router\nrouter = Router()\n",
    }
    assert skeleton_problems("demo", _write(tmp_path, files)) == []


def test_a_core_app_may_hold_django_integration_modules_and_sub_apps(tmp_path):
    files = {
        **GOOD,
        "middleware.py": "class M: ...\n",
        "backends.py": "class B: ...\n",
        "hashers.py": "class H: ...\n",
        "blocks.py": "class Body: ...\n",
        "templatetags/__init__.py": "",
        "templatetags/demo_tags.py": "register = None\n",
        "accounts/__init__.py": "",
        "accounts/helpers.py": "s = Signal()\n",
    }
    assert skeleton_problems("demo", _write(tmp_path, files), sub_apps=frozenset({"accounts"})) == []


def test_only_the_project_package_holds_settings_wsgi_and_the_site_shell(tmp_path):
    files = {
        **GOOD,
        "settings/__init__.py": "",
        "settings/base.py": "DEBUG = False\n",
        "wsgi.py": "application = None\n",
        "templates/base.html": "<html></html>",
        "templates/404.html": "",
        "templates/wagtailadmin/base.html": "",
    }
    folder = _write(tmp_path, files)
    assert skeleton_problems("demo", folder, project=True) == []
    problems = skeleton_problems("demo", folder)
    assert "settings/ is not part of the skeleton" in problems
    assert any(p.startswith("wsgi.py is not part") for p in problems)
    assert any(p.startswith("templates/ must hold exactly one folder") for p in problems)


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ({"models.py": "x = 1\n"}, "models.py must be a package"),
        ({"views.py": "x = 1\n"}, "views.py must be a package"),
        ({"helpers.py": "x = 1\n"}, "helpers.py is not part of the skeleton"),
        ({"face/__init__.py": ""}, "face/ is not part of the skeleton"),
        ({"api/router.py": "r = Router()\n"}, "api/ is not a package"),
        ({"api.py": "a = NinjaAPI()\n", "api/__init__.py": ""}, "api/ and api.py: keep one of them"),
        ({"views/learner.py": "router = Router()\n"}, "views/learner.py defines api"),
        ({"signals.py": "@receiver(s, dispatch_uid='x')\ndef on(sender, **kw): ...\n"}, "signals.py defines receivers"),
        ({"services/rules.py": "s = Signal()\n"}, "services/rules.py defines signals"),
        ({"views/admin.py": "from wagtail import hooks\n@hooks.register('x')\ndef h(): ...\n"},
         "views/admin.py defines wagtail_hooks"),
        ({"services/jobs.py": "@task()\ndef t(): ...\n"}, "services/jobs.py defines tasks"),
        ({"accounts/__init__.py": ""}, "accounts/ is not part of the skeleton"),
        ({"ledger/__init__.py": "", "ledger/signals.py": "s = Signal()\n"}, "ledger/ is not part of the skeleton"),
        ({"templatetags.py": "register = None\n"}, "templatetags.py must be a package"),
        ({"services/extra.py": "from django.db import models\nclass X(models.Model): ...\n"},
         "services/extra.py defines models"),
        ({"apps.py": "class C:\n    def ready(self):\n        pass\n"}, "ready() does not import receivers"),
        ({"templates/other/page.html": ""}, "templates/ must hold exactly one folder, demo/"),
        ({"views/learner.py": "from django.utils.translation import gettext as _\n"}, "without locale"),
        ({"wagtail_hooks.py": "@hooks.register('register_admin_urls')\ndef u():\n"
                              "    return [path('x/', include((urls, 'console'), namespace='console'))]\n"},
         "admin URL namespace 'console', not demo_admin"),
    ],
)
def test_the_checker_finds_what_breaks_the_skeleton(tmp_path, files, expected):
    problems = skeleton_problems("demo", _write(tmp_path, {**GOOD, **files}))
    assert any(expected in p for p in problems), problems
