"""Course content from ``fixtures/content/*.toml``: modules, lessons, policies, FAQ, notices.

Run by ``CourseContentConfig.load_initial_data`` after the programs exist. Like the
program loader it only creates what is missing (matched by slug under the parent), so
editors' changes survive a second run. See the comment at the top of each TOML file for
the format.
"""

import json
from decimal import Decimal
from pathlib import Path

from django.db import transaction
from wagtail.models import Page

from .initial_data import child_by_slug, read_toml
from .models import (
    CourseModulePage,
    FaqPage,
    LessonPage,
    NoticePage,
    PolicyIndexPage,
    PolicyPage,
    PolicyTableRow,
    ProgramGroupPage,
    ProgramLevel,
    ProgramPage,
)


def stream_data(blocks: list[dict]) -> str:
    """Fixture blocks → the raw JSON a StreamField accepts."""
    raw = []
    for block in blocks:
        kind = block["type"]
        if kind == "text":
            raw.append({"type": "text", "value": block["html"]})
        elif kind == "callout":
            raw.append({"type": "callout", "value": {"kind": block.get("kind", "info"), "title": block.get("title", ""), "text": block["html"]}})
        elif kind == "table":
            raw.append(
                {
                    "type": "table",
                    "value": {
                        "caption": block.get("caption", ""),
                        "columns": [{"type": "text", "heading": heading} for heading in block["columns"]],
                        "rows": [{"values": [str(cell) for cell in row]} for row in block["rows"]],
                    },
                }
            )
        elif kind == "question":
            raw.append({"type": "question", "value": {"question": block["question"], "answer": block["answer"]}})
        else:
            raise ValueError(f"Unknown block type {kind!r} in content fixture")
    return json.dumps(raw, ensure_ascii=False)


def _create(parent: Page, page: Page, log) -> Page:
    # Created live without a first revision: publishing 60 revisions made loading (and
    # every test using the site data) several times slower. Editing starts the history.
    page.live = True
    parent.add_child(instance=page)
    log(f"  created page /{page.url_path.strip('/')}/")
    return page


def ensure_page(parent: Page, model, slug: str, log, build):
    """The child ``slug`` of ``parent``; ``build()`` makes the unsaved page when missing."""
    existing = child_by_slug(parent, slug)
    if existing is not None:
        return existing, False
    page = build()
    page.slug = slug
    return _create(parent, page, log), True


def ensure_lesson(module: CourseModulePage, program: ProgramPage, spec: dict, log) -> LessonPage:
    def build():
        lesson = LessonPage(
            title=spec["title"],
            summary=spec.get("summary", ""),
            declared_class_hours=Decimal(str(spec["hours"])),
            body=stream_data(spec.get("body", [])),
        )
        codes = spec.get("levels", [])
        levels = list(ProgramLevel.objects.filter(program=program, code__in=codes))
        missing = set(codes) - {level.code for level in levels}
        if missing:
            raise ValueError(f"Lesson {spec['slug']}: unknown level codes {sorted(missing)}")
        lesson.levels = levels
        return lesson

    lesson, _created = ensure_page(module, LessonPage, spec["slug"], log, build)
    return lesson


def ensure_modules(program: ProgramPage, modules: list[dict], log):
    for spec in modules:
        module, _ = ensure_page(
            program, CourseModulePage, spec["slug"], log,
            lambda spec=spec: CourseModulePage(title=spec["title"], label=spec.get("label", ""), intro=spec.get("intro", "")),
        )
        for lesson_spec in spec.get("lessons", []):
            ensure_lesson(module, program, lesson_spec, log)


def ensure_policies(parent: Page, spec: dict, log):
    index, _ = ensure_page(parent, PolicyIndexPage, spec["slug"], log, lambda: PolicyIndexPage(title=spec["title"], intro=spec.get("intro", "")))
    for policy in spec.get("policies", []):
        def build(policy=policy):
            page = PolicyPage(
                title=policy["title"],
                document_number=policy.get("document_number", ""),
                issuer=policy.get("issuer", ""),
                issued_on=policy.get("issued_on"),
                effective_on=policy.get("effective_on"),
                source_url=policy.get("source_url", ""),
                summary=policy.get("summary", ""),
                body=stream_data(policy.get("body", [])),
            )
            page.plan_rows = [
                PolicyTableRow(
                    sort_order=order, published_on=row.get("published_on"), document_title=row["document_title"],
                    issuer=row.get("issuer", ""), content=row["content"],
                )
                for order, row in enumerate(policy.get("rows", []))
            ]
            page.tags.add(*policy.get("tags", []))
            return page

        ensure_page(index, PolicyPage, policy["slug"], log, build)


def ensure_faq(parent: Page, spec: dict, log):
    blocks = [{"type": "question", "question": q["question"], "answer": q["answer"]} for q in spec.get("questions", [])]
    ensure_page(parent, FaqPage, spec["slug"], log, lambda: FaqPage(title=spec["title"], intro=spec.get("intro", ""), body=stream_data(blocks)))


def ensure_notices(parent: Page, notices: list[dict], log):
    for spec in notices:
        ensure_page(
            parent, NoticePage, spec["slug"], log,
            lambda spec=spec: NoticePage(title=spec["title"], intro=spec.get("intro", ""), body=stream_data(spec.get("body", []))),
        )


def load_program_content(data: dict, log):
    program = ProgramPage.objects.filter(slug=data["program"]).first()
    if program is None:
        log(f"  program {data['program']} not found; content skipped")
        return
    ensure_modules(program, data.get("modules", []), log)
    if "policy_index" in data:
        ensure_policies(program, data["policy_index"], log)
    if "faq" in data:
        ensure_faq(program, data["faq"], log)
    ensure_notices(program, data.get("notices", []), log)


def load_group_content(data: dict, log):
    group = ProgramGroupPage.objects.filter(slug=data["group"]).first()
    if group is None:
        log(f"  program group {data['group']} not found; content skipped")
        return
    ensure_notices(group, data.get("notices", []), log)
    for track in ProgramPage.objects.child_of(group).order_by("path"):
        ensure_modules(track.specific, data.get("modules", []), log)


@transaction.atomic
def load_content(fixtures_dir: Path, log):
    content_dir = fixtures_dir / "content"
    if not content_dir.is_dir():
        return
    for path in sorted(content_dir.glob("*.toml")):
        data = read_toml(path)
        if "program" in data:
            load_program_content(data, log)
        elif "group" in data:
            load_group_content(data, log)
