"""Each page type of a course tree as a canonical spec (the TOML schema), both ways.

``spec_of(page, media)`` reads a page (or an unsaved revision object) into the canonical
dict; ``canonical(model, spec)`` fills defaults into an incoming spec so the two compare
equal exactly when nothing changed; ``apply(page, spec, media)`` writes a spec's fields
onto a page object (not saved). Slugs and keys are handled by the importer.
"""

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from ...models import (
    CourseModulePage,
    FaqPage,
    LessonPage,
    NoticePage,
    PolicyIndexPage,
    PolicyPage,
    PolicyTableRow,
    ProgramGroupPage,
    ProgramIndexPage,
    ProgramLevel,
    ProgramPage,
)
from . import blocks

#: Plain text/number fields per page type (spec key = model field name).
PLAIN = {
    ProgramIndexPage: ("title", "intro"),
    ProgramGroupPage: ("title", "full_name", "issuer", "intro"),
    ProgramPage: ("title", "full_name", "issuer", "intro", "minutes_per_class_hour", "initial_password_rule",
                  "accept_offline_credit"),
    CourseModulePage: ("title", "label", "intro"),
    LessonPage: ("title", "summary"),
    PolicyIndexPage: ("title", "intro"),
    PolicyPage: ("title", "document_number", "issuer", "source_url", "summary"),
    FaqPage: ("title", "intro"),
    NoticePage: ("title", "intro"),
}
BODY_MODELS = (LessonPage, PolicyPage, FaqPage, NoticePage)
DEFAULTS = {"minutes_per_class_hour": 45, "initial_password_rule": "last_four", "accept_offline_credit": True}


def hours(value) -> str:
    """Declared class hours as the one canonical string (one decimal place)."""
    try:
        return f"{Decimal(str(value)):.1f}"
    except InvalidOperation as err:
        raise ValueError(_("Not a number of class hours: %(value)s") % {"value": value}) from err


def _date(value) -> str | None:
    return str(value) if value not in (None, "") else None


def spec_of(page, media) -> dict:
    """The canonical spec of ``page`` (a specific page or a revision's object)."""
    model = type(page)
    spec = {name: getattr(page, name) for name in PLAIN[model]}
    if model is LessonPage:
        spec["hours"] = hours(page.declared_class_hours)
        spec["levels"] = sorted({level.code for level in page.levels.all()})
    if model is PolicyPage:
        spec["issued_on"], spec["effective_on"] = _date(page.issued_on), _date(page.effective_on)
        spec["tags"] = sorted(tag.name for tag in page.tags.all())
        spec["rows"] = [
            {"published_on": _date(row.published_on), "document_title": row.document_title, "issuer": row.issuer,
             "content": row.content}
            for row in page.plan_rows.all()
        ]
    if model in BODY_MODELS:
        spec["body"] = blocks.spec_blocks(page.body.raw_data, media)
    return spec


def canonical(model, spec: dict) -> dict:
    """An incoming spec in canonical form (raises ValueError/BlockRefused when malformed)."""
    out = {}
    for name in PLAIN[model]:
        value = spec.get(name, DEFAULTS.get(name, ""))
        if name == "title" and not str(value).strip():
            raise ValueError(_("A page needs a title."))
        out[name] = value
    if model is LessonPage:
        out["hours"] = hours(spec.get("hours", 1))
        out["levels"] = sorted(set(spec.get("levels", [])))
    if model is PolicyPage:
        out["issued_on"], out["effective_on"] = _date(spec.get("issued_on")), _date(spec.get("effective_on"))
        out["tags"] = sorted(set(spec.get("tags", [])))
        out["rows"] = [
            {"published_on": _date(row.get("published_on")), "document_title": row["document_title"],
             "issuer": row.get("issuer", ""), "content": row["content"]}
            for row in spec.get("rows", [])
        ]
    if model is FaqPage and "body" not in spec:
        out["body"] = blocks.normalise(
            [{"type": "question", "question": q["question"], "answer": q["answer"]} for q in spec.get("questions", [])]
        )
    elif model in BODY_MODELS:
        out["body"] = blocks.normalise(spec.get("body", []))
    return out


def apply(page, spec: dict, media, program=None):
    """Write a canonical ``spec`` onto ``page`` (unsaved). Lessons need their ``program``
    for level codes; unknown codes raise ValueError."""
    model = type(page)
    for name in PLAIN[model]:
        setattr(page, name, spec[name])
    if model is LessonPage:
        page.declared_class_hours = Decimal(spec["hours"])
        levels = list(ProgramLevel.objects.filter(program=program, code__in=spec["levels"])) if program else []
        missing = set(spec["levels"]) - {level.code for level in levels}
        if missing:
            raise ValueError(_("Unknown level codes: %(codes)s") % {"codes": ", ".join(sorted(missing))})
        page.levels = levels
    if model is PolicyPage:
        page.issued_on, page.effective_on = spec["issued_on"], spec["effective_on"]
        page.plan_rows = [
            PolicyTableRow(sort_order=order, published_on=row["published_on"], document_title=row["document_title"],
                           issuer=row["issuer"], content=row["content"])
            for order, row in enumerate(spec["rows"])
        ]
        page.tags.clear()
        page.tags.add(*spec["tags"])
    if model in BODY_MODELS:
        page.body = blocks.stream_data(spec["body"], media)


def level_specs(program) -> list[dict]:
    return [{"code": lvl.code, "name": lvl.name, "required_hours": hours(lvl.required_hours)}
            for lvl in program.levels.all().order_by("sort_order", "pk")]
