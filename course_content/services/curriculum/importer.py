"""Import a program's curriculum (the TOML schema) into this site: the one code path for
fixtures, editors' archives and training-room packs (see the package docstring).

Modes: ``FIXTURE`` creates missing pages published and never touches existing ones (the
historical ``load_initial_data`` contract); ``DRAFT`` creates pages as drafts and saves a
new draft revision of a page whose content differs; ``MIRROR`` does the same but publishes.
Every page, level, plugin state and section item lands in the report. A page that cannot
be imported is refused with its reason (its subtree too) and the rest goes on.
"""

from django.apps import apps
from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.models import Page, Site

from plugins import services as plugin_services
from plugins.services.registry import all_plugins

from ...models import (
    CourseModulePage,
    FaqPage,
    LessonPage,
    NoticePage,
    PolicyIndexPage,
    PolicyPage,
    ProgramGroupPage,
    ProgramLevel,
    ProgramPage,
)
from ...signals import curriculum_import_section
from . import pages
from .blocks import BlockRefused
from .media import MediaCollector, MediaResolver, MediaSource, NoMedia
from .report import ImportReport

FIXTURE, DRAFT, MIRROR = "fixture", "draft", "mirror"
MODES = (FIXTURE, DRAFT, MIRROR)
ANCESTOR_MODELS = {"course_content.programindexpage", "course_content.programgrouppage"}


class PageRefused(Exception):
    """Raised inside ``upsert`` to refuse one page (``str(err)`` is the reason)."""


class Importer:
    def __init__(self, mode: str, media: MediaSource | None = None, report: ImportReport | None = None, log=None,
                 user=None):
        if mode not in MODES:
            raise ValueError(f"unknown import mode {mode!r}")
        self.mode = mode
        self.resolver = MediaResolver(media or NoMedia())
        self.collector = MediaCollector()
        self.report = report or ImportReport()
        self.log = log or (lambda _message: None)
        self.user = user

    # -- pages ---------------------------------------------------------------------

    def _find(self, parent, model, slug, key):
        existing = None
        if key:
            existing = Page.objects.filter(translation_key=key).first()
        if existing is None and slug:
            existing = parent.get_children().filter(slug=slug).first()
        if existing is None:
            return None
        existing = existing.specific
        if type(existing) is not model:
            raise PageRefused(_("/%(path)s/ exists as a page of another type (%(type)s).")
                              % {"path": existing.url_path.strip("/"), "type": existing._meta.verbose_name})
        return existing

    def upsert(self, parent, model, spec: dict, program=None):
        """The page for ``spec`` under ``parent`` (created/updated per mode), or None when refused."""
        kind = model._meta.model_name
        slug, key = spec.get("slug"), spec.get("key")
        label = f"/{parent.url_path.strip('/')}/{slug}/".replace("//", "/")
        try:
            if not slug:
                raise PageRefused(_("A page needs a slug."))
            existing = self._find(parent, model, slug, key)
            wanted = pages.canonical(model, spec)
            with transaction.atomic():
                page = self._update(existing, wanted, program, kind, label) if existing else \
                    self._create(parent, model, slug, key, wanted, program, kind, label)
        except (PageRefused, BlockRefused, ValueError, KeyError, TypeError) as err:
            self.report.refused(kind, label, err)
            return None
        if key:
            self.report.pages[str(key)] = page
        return page

    def _create(self, parent, model, slug, key, wanted, program, kind, label):
        page = model(slug=slug)
        pages.apply(page, wanted, self.resolver, program)
        if key and not Page.objects.filter(translation_key=key).exists():
            page.translation_key = key
        page.live = self.mode != DRAFT
        parent.add_child(instance=page)
        if self.mode == DRAFT:
            page.save_revision(log_action=False)
        elif self.mode == MIRROR:
            page.save_revision(log_action=False).publish(log_action=False)
        self.report.created(kind, label)
        self.log(f"  created page {label}")
        return page

    def _update(self, existing, wanted, program, kind, label):
        if self.mode == FIXTURE:
            self.report.unchanged(kind, label)
            return existing
        current = existing.get_latest_revision_as_object() if existing.latest_revision_id else existing
        if pages.spec_of(current, self.collector) == wanted:
            self.report.unchanged(kind, label)
            return existing
        pages.apply(current, wanted, self.resolver, program)
        revision = current.save_revision(log_action=False)
        if self.mode == MIRROR:
            revision.publish(log_action=False)
        self.report.updated(kind, label)
        self.log(f"  updated page {label}")
        return existing

    # -- program parts -------------------------------------------------------------

    def levels(self, program, specs: list[dict]):
        """Levels are structure, not content: applied directly (matched by code)."""
        for order, spec in enumerate(specs):
            label = f"{program.slug}:{spec['code']}"
            level = ProgramLevel.objects.filter(program=program, code=spec["code"]).first()
            if level is None:
                ProgramLevel.objects.create(program=program, code=spec["code"], name=spec["name"],
                                            required_hours=spec["required_hours"], sort_order=order)
                self.report.created("level", label)
            elif self.mode != FIXTURE and (level.name, pages.hours(level.required_hours)) != (
                    spec["name"], pages.hours(spec["required_hours"])):
                level.name, level.required_hours = spec["name"], spec["required_hours"]
                level.save(update_fields=["name", "required_hours"])
                self.report.updated("level", label)
            else:
                self.report.unchanged("level", label)

    def modules(self, program, specs: list[dict]):
        for spec in specs:
            module = self.upsert(program, CourseModulePage, spec)
            for lesson in spec.get("lessons", []):
                if module is None:
                    self.report.refused("lessonpage", lesson.get("slug", ""), _("Its module was refused."))
                    continue
                self.upsert(module, LessonPage, lesson, program=program)

    def policies(self, parent, spec: dict):
        index = self.upsert(parent, PolicyIndexPage, spec)
        for policy in spec.get("policies", []):
            if index is not None:
                self.upsert(index, PolicyPage, policy)

    def extras(self, parent, data: dict):
        """Policy index, FAQ and notices (under a program or a program group)."""
        if data.get("policy_index"):
            self.policies(parent, data["policy_index"])
        if data.get("faq"):
            self.upsert(parent, FaqPage, data["faq"])
        for notice in data.get("notices", []):
            self.upsert(parent, NoticePage, notice)

    def plugin_states(self, program, states: list[dict]):
        """Plugin states the program has none of yet (the local admin's choice wins)."""
        installed = {plugin.label for plugin in all_plugins()}
        known = []
        for state in states:
            if state["plugin"] in installed:
                known.append(state)
            else:
                self.report.refused("plugin", f"{program.slug}:{state['plugin']}", _("The plugin is not installed on this site."))
        for label, created in plugin_services.restore_states(program, known, user=self.user):
            (self.report.created if created else self.report.unchanged)("plugin", f"{program.slug}:{label}")

    def sections(self, program, sections: dict):
        for name, data in (sections or {}).items():
            try:
                with transaction.atomic():
                    answers = curriculum_import_section.send(
                        sender=program, name=name, data=data, report=self.report, mode=self.mode, user=self.user)
            except Exception as err:  # noqa: BLE001 - one bad section must not lose the pages
                self.report.refused("section", name, err)
                continue
            if not any(answer is True for _receiver, answer in answers):
                self.report.refused("section", name, _("No plugin enabled for this program imports it."))

    # -- entry points --------------------------------------------------------------

    def program_from_archive(self, spec: dict):
        """Locate or create the program page (and its ancestors below the site root)."""
        site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
        parent = site.root_page.specific if site else Page.get_first_root_node()
        for ancestor in spec.get("ancestors", []):
            if ancestor.get("model") not in ANCESTOR_MODELS:
                self.report.refused("page", ancestor.get("slug", ""), _("Not a program index or program group."))
                return None
            parent = self.upsert(parent, apps.get_model(ancestor["model"]), ancestor)
            if parent is None:
                return None
        program = self.upsert(parent, ProgramPage, spec)
        if program is not None:
            self.levels(program, spec.get("levels", []))
        return program

    def import_program(self, data: dict):
        """One program file/archive: ``program`` (slug) or ``program_page`` (an archive)."""
        if "program_page" in data:
            program = self.program_from_archive(data["program_page"])
        else:
            program = ProgramPage.objects.filter(slug=data["program"]).first()
            if program is None:
                self.report.refused("programpage", data["program"], _("The program does not exist on this site."))
        if program is None:
            return self.report
        self.report.program = program
        self.plugin_states(program, data.get("plugins", []))
        self.modules(program, data.get("modules", []))
        self.extras(program, data)
        self.sections(program, data.get("sections", {}))
        return self.report

    def import_group(self, data: dict):
        """A fixture file for a program group: its notices, and the modules every track shares."""
        group = ProgramGroupPage.objects.filter(slug=data["group"]).first()
        if group is None:
            self.report.refused("programgrouppage", data["group"], _("The program group does not exist on this site."))
            return self.report
        self.extras(group, data)
        for track in ProgramPage.objects.child_of(group).order_by("path"):
            self.modules(track.specific, data.get("modules", []))
        return self.report


def import_data(data: dict, *, mode: str, media: MediaSource | None = None, log=None, user=None) -> ImportReport:
    """Import one program (or fixture group) in one transaction; returns the report.
    ``user``: the admin user importing (plugin sections check their permissions)."""
    importer = Importer(mode, media, log=log, user=user)
    with transaction.atomic():
        if "group" in data and "program" not in data:
            return importer.import_group(data)
        return importer.import_program(data)
