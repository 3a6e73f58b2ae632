"""Export a program's course tree, levels, plugin states and plugin sections (the TOML
schema of fixtures/content, plus keys) — see the package docstring."""

from plugins.models import ProgramPlugin

from ...models import CourseModulePage, FaqPage, LessonPage, NoticePage, PolicyIndexPage, PolicyPage
from ...signals import curriculum_export_sections
from . import pages
from .media import MediaCollector


def _content(page, drafts: bool):
    """What to export of ``page``: its latest revision (drafts) or its live content."""
    page = page.specific
    if drafts and page.latest_revision_id:
        return page.get_latest_revision_as_object()
    return page


def _spec(page, media, drafts) -> dict:
    content = _content(page, drafts)
    return {"slug": content.slug, "key": str(page.translation_key), **pages.spec_of(content, media)}


def _children(parent, model, drafts):
    children = model.objects.child_of(parent).order_by("path")
    return children if drafts else children.live()


def export_program(program, *, purpose: str = "archive", drafts: bool = True, user=None) -> tuple[dict, MediaCollector]:
    """``(data, media)``: the program's curriculum and the media it references.

    ``drafts`` exports every page at its latest revision (an editor's view); False
    exports only live pages as published (what learners see: training-room packs).
    ``purpose`` and ``user`` are passed to plugin sections (``"pack"`` leaves out what
    must not leave; a user sees only sections they may see, None = a trusted command).
    """
    media = MediaCollector()
    site_root = _site_root_path()
    ancestors = [p.specific for p in program.get_ancestors() if p.depth > 1 and not site_root.startswith(p.path)]
    data = {
        "program": program.slug,
        "program_page": {
            **_spec(program, media, drafts),
            "levels": pages.level_specs(program),
            "ancestors": [{"model": a._meta.label_lower, **_spec(a, media, drafts)} for a in ancestors],
        },
        "plugins": [
            {"plugin": s.plugin, "enabled": s.enabled, "settings": s.settings}
            for s in ProgramPlugin.objects.filter(program=program).order_by("plugin")
        ],
        "modules": [
            {**_spec(module, media, drafts),
             "lessons": [_spec(lesson, media, drafts) for lesson in _children(module, LessonPage, drafts)]}
            for module in _children(program, CourseModulePage, drafts)
        ],
    }
    index = _children(program, PolicyIndexPage, drafts).first()
    if index is not None:
        data["policy_index"] = {**_spec(index, media, drafts),
                                "policies": [_spec(p, media, drafts) for p in _children(index, PolicyPage, drafts)]}
    faq = _children(program, FaqPage, drafts).first()
    if faq is not None:
        data["faq"] = _spec(faq, media, drafts)
    data["notices"] = [_spec(n, media, drafts) for n in _children(program, NoticePage, drafts)]
    data["sections"] = {}
    for _receiver, answer in curriculum_export_sections.send(sender=program, purpose=purpose, user=user):
        if answer:
            name, section = answer
            data["sections"][name] = section
    return data, media


def _site_root_path() -> str:
    from wagtail.models import Site

    return Site.objects.filter(is_default_site=True).values_list("root_page__path", flat=True).first() or ""
