"""Loading ``fixtures/`` into the site: create what is missing, never overwrite edits.

``load_initial_data`` calls, in order, the ``load_initial_data(fixtures_dir, log)``
method of every installed app config that has one: core apps in INSTALLED_APPS order,
then plugins with their dependencies first. This module is course_content's part:
the site root, the program index, programs, levels and plugin states.
"""

import tomllib
from pathlib import Path

from django.db import transaction
from wagtail.models import Page, Site

from plugins import services as plugin_services
from plugins.services.registry import all_plugins

from .models import HomePage, ProgramGroupPage, ProgramIndexPage, ProgramLevel, ProgramPage


def read_toml(path: Path) -> dict:
    with path.open("rb") as fh:
        return tomllib.load(fh)


def child_by_slug(parent: Page, slug: str):
    return parent.get_children().filter(slug=slug).specific().first()


def ensure_child(parent: Page, model, slug: str, log, **fields):
    """The child page ``slug`` of ``parent``; created and published if missing."""
    existing = child_by_slug(parent, slug)
    if existing is not None:
        return existing, False
    page = model(slug=slug, **fields)
    parent.add_child(instance=page)
    page.save_revision().publish()
    log(f"  created page /{page.url_path.strip('/')}/")
    return page, True


def _placeholder_root_pages():
    """Wagtail's initial "Welcome to your new Wagtail site!" page, if still untouched."""
    return Page.objects.filter(depth=2, content_type__app_label="wagtailcore", content_type__model="page", numchild=0)


def ensure_wagtail_roots():
    """Wagtail's own base rows (default locale, root page, root collection).

    Its migrations create them; a database flushed by a transactional test or restored
    from an empty dump lacks them, so recreate what is missing.
    """
    from django.conf import settings
    from wagtail.coreutils import get_supported_content_language_variant
    from wagtail.models import Collection, Locale

    Locale.objects.get_or_create(language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE))
    if Page.get_first_root_node() is None:
        Page.add_root(instance=Page(title="Root", slug="root", live=True))
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")


def ensure_home(data: dict, log) -> HomePage:
    ensure_wagtail_roots()
    home = HomePage.objects.first()
    if home is None:
        placeholders = list(_placeholder_root_pages())
        Site.objects.filter(root_page__in=placeholders).delete()
        for page in placeholders:
            page.delete()
        root = Page.get_first_root_node()
        home = HomePage(title=data["title"], slug="home", intro=data.get("intro", ""))
        root.add_child(instance=home)
        home.save_revision().publish()
        log("  created the home page")
    if not Site.objects.filter(root_page=home).exists():
        site = (
            Site.objects.filter(is_default_site=True).first()
            or Site.objects.filter(hostname="localhost", port=80).first()
            or Site(hostname="localhost", port=80)
        )
        site.root_page, site.is_default_site, site.site_name = home, True, data["title"]
        site.save()
    return home


def apply_levels(program: ProgramPage, levels: list[dict]):
    for order, level in enumerate(levels):
        ProgramLevel.objects.get_or_create(
            program=program,
            code=level["code"],
            defaults={"name": level["name"], "required_hours": level["required_hours"], "sort_order": order},
        )


def apply_plugin_states(program: ProgramPage, plugins: dict, log):
    """Plugin switches and settings for a program that has none recorded yet."""
    installed = {p.label: p for p in all_plugins()}
    ordered = sorted(plugins.items(), key=lambda item: len(installed[item[0]].depends_on) if item[0] in installed else 0)
    for label, state in ordered:
        if label not in installed:
            log(f"  plugin {label} is not installed; skipped")
            continue
        if plugin_services.has_state(program, label):
            continue
        if state.get("settings"):
            plugin_services.update_settings(program, label, **state["settings"])
        else:
            plugin_services.ensure_state(program, label)
        if state.get("enabled"):
            plugin_services.enable(program, label)
        log(f"  {program.program_path}: {label} {'on' if state.get('enabled') else 'off'}")


def merge_plugin_states(defaults: dict, own: dict) -> dict:
    """A track's plugin states over the group's ``track_defaults``, per plugin and per
    setting (a track giving its certificate issuer keeps the group's other settings)."""
    merged = {}
    for label in {**defaults, **own}:
        base, mine = defaults.get(label, {}), own.get(label, {})
        merged[label] = {**base, **mine, "settings": {**base.get("settings", {}), **mine.get("settings", {})}}
    return merged


def ensure_program(parent: Page, spec: dict, log) -> ProgramPage:
    fields = {
        key: spec[key]
        for key in ("title", "full_name", "issuer", "intro", "minutes_per_class_hour", "initial_password_rule", "initial_password")
        if key in spec
    }
    program, _created = ensure_child(parent, ProgramPage, spec["slug"], log, **fields)
    apply_levels(program, spec.get("levels", []))
    apply_plugin_states(program, spec.get("plugins", {}), log)
    return program


@transaction.atomic
def load_programs(fixtures_dir: Path, log) -> list[ProgramPage]:
    data = read_toml(fixtures_dir / "programs.toml")
    home = ensure_home(data["home"], log)
    index, _ = ensure_child(
        home, ProgramIndexPage, data["index"]["slug"], log, title=data["index"]["title"], intro=data["index"]["intro"]
    )
    programs = [ensure_program(index, spec, log) for spec in data.get("programs", [])]
    for group_spec in data.get("groups", []):
        group, _ = ensure_child(
            index, ProgramGroupPage, group_spec["slug"], log,
            **{k: group_spec[k] for k in ("title", "full_name", "issuer", "intro") if k in group_spec},
        )
        defaults = group_spec.get("track_defaults", {})
        for track in group_spec.get("tracks", []):
            spec = {
                **defaults, **track, "issuer": track.get("issuer", group_spec.get("issuer", "")),
                "plugins": merge_plugin_states(defaults.get("plugins", {}), track.get("plugins", {})),
            }
            programs.append(ensure_program(group, spec, log))
    return programs
