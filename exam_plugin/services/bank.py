"""Question bank rules: versioning on edit, review, and spreadsheet import/export.

Spreadsheet columns (XLSX or CSV, first row = headers; documented in docs and the
admin import page)::

    code, version, type, levels, knowledge_point, stem, options, correct,
    points, difficulty, status, pool, reference_answer, rubric

``type`` single|multiple|short · ``levels`` e.g. ``junior,intermediate`` (empty = all) ·
``options`` one option per line as ``A. text`` (or separated by ``|``) · ``correct``
option keys such as ``A`` or ``A,C`` · ``status`` draft|reviewed|retired ·
``pool`` practice|formal|both (empty = formal, the safe choice; what each means for
learners: ``services/exposure.py``). ``version`` is ignored on import (export only).
An import is all-or-nothing: every bad row is reported with its reason and nothing
is stored unless every row is good.
"""

import re
from decimal import Decimal, InvalidOperation

import tablib
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape, strip_tags
from django.utils.translation import gettext as _

from ..models import AttemptItem, KnowledgePoint, Question

COLUMNS = [
    "code", "version", "type", "levels", "knowledge_point", "stem", "options", "correct",
    "points", "difficulty", "status", "pool", "reference_answer", "rubric",
]
LEVEL_CODES = ("junior", "intermediate", "senior")
_OPTION_RE = re.compile(r"^\s*([A-Za-z])\s*[.、:：)]\s*(.+?)\s*$")
CONTENT_FIELDS = ("kind", "levels", "stem", "options", "correct", "reference_answer", "rubric", "points",
                  "difficulty", "knowledge_point_id", "pool")


def is_used(question: Question) -> bool:
    return question.pk is not None and AttemptItem.objects.filter(question_id=question.pk).exists()


@transaction.atomic
def save_question(question: Question, user=None, *, keep_status: bool = False) -> Question:
    """Save an edited question. If the stored version was already shown in an attempt
    and its content changed, the edit becomes a new version (the old row is kept,
    no longer current) and the new row is returned; otherwise it is saved in place.
    A content change of a reviewed question sends it back to draft for review."""
    if question.pk is None:
        question.save()
        return question
    stored = Question.objects.select_for_update().get(pk=question.pk)
    changed = any(getattr(stored, f) != getattr(question, f) for f in CONTENT_FIELDS)
    if not keep_status and changed and question.status == Question.Status.REVIEWED and stored.status == Question.Status.REVIEWED:
        question.status = Question.Status.DRAFT
        question.reviewed_by, question.reviewed_at = None, None
    if not changed or not is_used(stored):
        question.save()
        return question
    Question.objects.filter(pk=stored.pk).update(is_current=False)
    question.pk = None
    question.id = None
    question.version = stored.version + 1
    question.is_current = True
    question._state.adding = True
    question.save()
    return question


def review(question: Question, user) -> Question:
    """An expert reviewer approves a question: only reviewed questions reach formal exams."""
    question.status = Question.Status.REVIEWED
    question.reviewed_by = user
    question.reviewed_at = timezone.now()
    question.save(update_fields=["status", "reviewed_by", "reviewed_at", "updated_at"])
    return question


def _options_text(question: Question) -> str:
    return "\n".join(f"{o['key']}. {o['text']}" for o in question.options)


def export_dataset(program) -> tablib.Dataset:
    data = tablib.Dataset(headers=COLUMNS)
    qs = Question.objects.filter(program=program, is_current=True).select_related("knowledge_point")
    for q in qs.order_by("family"):
        data.append([
            q.family, q.version, q.kind, ",".join(q.levels), q.knowledge_point.code, strip_tags(q.stem) if "<img" not in q.stem else q.stem,
            _options_text(q), ",".join(q.correct), str(q.points), q.difficulty, q.status, q.pool,
            q.reference_answer, q.rubric,
        ])
    return data


def export_bank(program, fmt: str) -> bytes:
    """The program's current questions as ``xlsx`` or ``csv`` bytes."""
    data = export_dataset(program)
    if fmt == "csv":
        return ("\ufeff" + data.export("csv")).encode("utf-8")  # BOM: Excel reads UTF-8
    return data.export("xlsx")


def load_dataset(content: bytes, fmt: str) -> tablib.Dataset:
    if fmt == "csv":
        text = content.decode("utf-8-sig")
        return tablib.Dataset().load(text, format="csv")
    return tablib.Dataset().load(content, format="xlsx")


def _cell(row: dict, name: str) -> str:
    value = row.get(name)
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _parse_options(text: str) -> list[dict]:
    parts = [p for p in re.split(r"\n|\|", text) if p.strip()]
    options = []
    for part in parts:
        match = _OPTION_RE.match(part)
        if not match:
            raise ValueError(_("option “%(text)s” must look like “A. text”") % {"text": part.strip()[:30]})
        options.append({"key": match.group(1).upper(), "text": match.group(2)})
    keys = [o["key"] for o in options]
    if len(set(keys)) != len(keys):
        raise ValueError(_("option letters repeat"))
    return options


def _stem_html(text: str) -> str:
    if text.lstrip().startswith("<"):
        return text
    return "".join(f"<p>{escape(line)}</p>" for line in text.splitlines() if line.strip())


def parse_row(program, row: dict, kps: dict) -> dict:
    """Validated field values for one spreadsheet row; raises ValueError(message)."""
    errors = []
    code = _cell(row, "code")
    if not code:
        errors.append(_("code is empty"))
    kind = _cell(row, "type").lower()
    if kind not in Question.Kind.values:
        errors.append(_("type must be single, multiple or short"))
    levels = [lv.strip() for lv in _cell(row, "levels").split(",") if lv.strip()]
    bad_levels = [lv for lv in levels if lv not in LEVEL_CODES]
    if bad_levels:
        errors.append(_("unknown level %(levels)s") % {"levels": ", ".join(bad_levels)})
    kp = kps.get(_cell(row, "knowledge_point"))
    if kp is None:
        errors.append(_("unknown knowledge point “%(code)s”") % {"code": _cell(row, "knowledge_point")})
    stem = _cell(row, "stem")
    if not stem:
        errors.append(_("the question text is empty"))
    options, correct = [], []
    if kind in ("single", "multiple"):
        try:
            options = _parse_options(_cell(row, "options"))
        except ValueError as err:
            errors.append(str(err))
        correct = sorted({c.strip().upper() for c in re.split(r"[,，\s]+", _cell(row, "correct")) if c.strip()})
        if len(options) < 2:
            errors.append(_("a choice question needs at least two options"))
        if not correct:
            errors.append(_("the correct answer is empty"))
        elif options and not set(correct) <= {o["key"] for o in options}:
            errors.append(_("the correct answer names an option that does not exist"))
        if kind == "single" and len(correct) > 1:
            errors.append(_("a single-choice question has exactly one correct option"))
        if kind == "multiple" and len(correct) < 2:
            errors.append(_("a multiple-choice question has at least two correct options"))
    elif kind == "short" and not _cell(row, "reference_answer"):
        errors.append(_("a short answer needs a reference answer"))
    try:
        points = Decimal(_cell(row, "points") or "1")
        if points <= 0:
            raise InvalidOperation
    except InvalidOperation:
        errors.append(_("points must be a positive number"))
        points = Decimal("1")
    try:
        difficulty = int(_cell(row, "difficulty") or 3)
        if not 1 <= difficulty <= 5:
            raise ValueError
    except ValueError:
        errors.append(_("difficulty must be 1 to 5"))
        difficulty = 3
    status = _cell(row, "status").lower() or Question.Status.DRAFT
    if status not in Question.Status.values:
        errors.append(_("status must be draft, reviewed or retired"))
    pool = _cell(row, "pool").lower() or Question.Pool.FORMAL  # unsure = never shown to learners
    if pool not in Question.Pool.values:
        errors.append(_("pool must be both, formal or practice"))
    if errors:
        raise ValueError("; ".join(errors))
    return {
        "family": code, "kind": kind, "levels": levels, "knowledge_point": kp, "stem": _stem_html(stem),
        "options": options, "correct": correct, "points": points, "difficulty": difficulty, "status": status,
        "pool": pool, "reference_answer": _cell(row, "reference_answer"), "rubric": _cell(row, "rubric"),
    }


class ImportFailed(Exception):
    """Nothing was imported; ``errors`` lists ``(row number, message)`` per bad row."""

    def __init__(self, errors):
        self.errors = errors
        super().__init__("; ".join(f"{n}: {m}" for n, m in errors))


def import_rows(program, rows: list[dict], user=None) -> dict:
    """All-or-nothing import of parsed spreadsheet rows (dicts keyed by COLUMNS).

    New codes create questions; existing codes are updated through ``save_question``
    (so used questions get a new version). Returns counts ``created``/``updated``/``unchanged``.
    """
    kps = {kp.code: kp for kp in KnowledgePoint.objects.filter(program=program)}
    parsed, errors, seen = [], [], set()
    for number, row in enumerate(rows, start=2):  # row 1 holds the headers
        try:
            values = parse_row(program, row, kps)
            if values["family"] in seen:
                raise ValueError(_("code “%(code)s” appears twice") % {"code": values["family"]})
            seen.add(values["family"])
            parsed.append(values)
        except ValueError as err:
            errors.append((number, str(err)))
    if errors:
        raise ImportFailed(errors)
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    with transaction.atomic():
        for values in parsed:
            current = Question.objects.filter(program=program, family=values["family"], is_current=True).first()
            if current is None:
                Question.objects.create(program=program, **values)
                counts["created"] += 1
                continue
            before = current.pk, {f: getattr(current, f) for f in CONTENT_FIELDS}, current.status
            for field, value in values.items():
                setattr(current, field, value)
            if values["status"] == Question.Status.REVIEWED and before[2] != Question.Status.REVIEWED:
                current.reviewed_by, current.reviewed_at = user, timezone.now()
            saved = save_question(current, user, keep_status=True)
            same = {f: getattr(saved, f) for f in CONTENT_FIELDS} == before[1] and saved.status == before[2]
            counts["unchanged" if same and saved.pk == before[0] else "updated"] += 1
    return counts


def import_bank(program, content: bytes, fmt: str, user=None) -> dict:
    """Import an uploaded XLSX/CSV file; raises ImportFailed (nothing stored) on any bad row."""
    try:
        data = load_dataset(content, fmt)
    except Exception as err:  # noqa: BLE001 - any unreadable file is the same error for the admin
        raise ImportFailed([(0, _("The file could not be read as %(fmt)s.") % {"fmt": fmt.upper()})]) from err
    headers = [str(h or "").strip().lower() for h in (data.headers or [])]
    missing = [c for c in COLUMNS if c not in headers and c != "version"]
    if missing:
        raise ImportFailed([(1, _("missing columns: %(cols)s") % {"cols": ", ".join(missing)})])
    rows = [dict(zip(headers, values, strict=False)) for values in data]
    if not rows:
        raise ImportFailed([(2, _("the file has no questions"))])
    return import_rows(program, rows, user=user)
