"""The exam plugin's section of a curriculum archive (``course_content.signals``):
knowledge points, the current version of every question, and the paper blueprints.

Section ``exam_plugin.bank``::

    {"knowledge_points": [{code, name, module, parent, sort_order}],
     "questions": [{family, kind, levels, stem, options, correct, reference_answer, rubric,
                    points, difficulty, status, pool, knowledge_point}],
     "blueprints": [{level, sections, shares, duration_minutes}]}

Stable keys: knowledge points by ``code``, questions by ``family``, blueprints by level
code. A question's review ``status`` travels with it (the bank's own review state); a
changed question is saved through ``bank.save_question`` (a new version when an attempt
already showed the old one). Training-room packs (``purpose="pack"``) get no section:
the practice bank travels separately and formal-only questions never leave.
``export_section`` and ``import_section`` are connected as receivers in ``receivers.py``.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ..models import Blueprint, KnowledgePoint, Question
from .bank import save_question

SECTION = "exam_plugin.bank"
PERMISSION = "exam_plugin.manage_question_bank"
QUESTION_FIELDS = ("kind", "levels", "stem", "options", "correct", "reference_answer", "rubric", "difficulty",
                   "status", "pool")


def _kp_spec(kp) -> dict:
    return {"code": kp.code, "name": kp.name, "module": kp.module_title,
            "parent": kp.parent.code if kp.parent_id else "", "sort_order": kp.sort_order}


def _question_spec(q) -> dict:
    return {"family": q.family, **{f: getattr(q, f) for f in QUESTION_FIELDS},
            "points": f"{Decimal(q.points):.1f}", "knowledge_point": q.knowledge_point.code}


def _blueprint_spec(bp) -> dict:
    return {"level": bp.level.code, "sections": bp.sections, "shares": bp.shares, "duration_minutes": bp.duration_minutes}


def bank_section(program) -> dict:
    kps = KnowledgePoint.objects.filter(program=program).select_related("parent").order_by("sort_order", "code")
    questions = Question.objects.filter(program=program, is_current=True).select_related("knowledge_point")
    blueprints = Blueprint.objects.filter(program=program).select_related("level")
    return {
        "knowledge_points": [_kp_spec(kp) for kp in kps],
        "questions": [_question_spec(q) for q in questions.order_by("family")],
        "blueprints": sorted((_blueprint_spec(bp) for bp in blueprints), key=lambda b: b["level"]),
    }


def export_section(sender, purpose, user=None, **kwargs):
    """The bank, unless for a pack or for an admin user who may not manage the bank."""
    if purpose == "pack" or (user is not None and not user.has_perm(PERMISSION)):
        return None
    return SECTION, bank_section(sender)


def _import_kps(program, specs, report):
    by_code = {kp.code: kp for kp in KnowledgePoint.objects.filter(program=program)}
    for spec in specs:  # parents come first: export order is sort order, roots before children
        label = f"{program.slug}:{spec['code']}"
        parent = by_code.get(spec.get("parent")) if spec.get("parent") else None
        if spec.get("parent") and parent is None:
            report.refused("knowledge point", label, _("Unknown parent knowledge point: %(code)s") % {"code": spec["parent"]})
            continue
        fields = {"name": spec["name"][:200], "module_title": spec.get("module", "")[:200], "parent": parent,
                  "sort_order": int(spec.get("sort_order", 0))}
        kp = by_code.get(spec["code"])
        if kp is None:
            by_code[spec["code"]] = KnowledgePoint.objects.create(program=program, code=spec["code"][:40], **fields)
            report.created("knowledge point", label)
        elif any(getattr(kp, k) != v for k, v in fields.items()):
            for k, v in fields.items():
                setattr(kp, k, v)
            kp.save()
            report.updated("knowledge point", label)
        else:
            report.unchanged("knowledge point", label)
    return by_code


def _import_questions(program, specs, kps, report):
    current = {q.family: q for q in Question.objects.filter(program=program, is_current=True).select_related("knowledge_point")}
    for spec in specs:
        label = f"{program.slug}:{spec['family']}"
        kp = kps.get(spec.get("knowledge_point"))
        if kp is None:
            report.refused("question", label, _("Unknown knowledge point: %(code)s") % {"code": spec.get("knowledge_point")})
            continue
        existing = current.get(spec["family"])
        if existing is not None and _question_spec(existing) == {**spec, "points": f"{Decimal(spec['points']):.1f}"}:
            report.unchanged("question", label)
            continue
        question = existing or Question(program=program, family=spec["family"][:40])
        for name in QUESTION_FIELDS:
            setattr(question, name, spec[name])
        question.points, question.knowledge_point = Decimal(spec["points"]), kp
        try:
            question.full_clean(exclude=["program", "reviewed_by"], validate_unique=False)
        except ValidationError as err:
            report.refused("question", label, "; ".join(err.messages))
            continue
        save_question(question, keep_status=True)
        (report.updated if existing else report.created)("question", label)


def _import_blueprints(program, specs, report):
    levels = {level.code: level for level in program.levels.all()}
    for spec in specs:
        label = f"{program.slug}:{spec['level']}"
        level = levels.get(spec["level"])
        if level is None:
            report.refused("blueprint", label, _("Unknown level: %(code)s") % {"code": spec["level"]})
            continue
        fields = {"sections": spec["sections"], "shares": spec["shares"], "duration_minutes": int(spec["duration_minutes"])}
        blueprint = Blueprint.objects.filter(program=program, level=level).first()
        if blueprint is None:
            Blueprint.objects.create(program=program, level=level, **fields)
            report.created("blueprint", label)
        elif _blueprint_spec(blueprint) != {"level": spec["level"], **fields}:
            Blueprint.objects.filter(pk=blueprint.pk).update(**fields)
            report.updated("blueprint", label)
        else:
            report.unchanged("blueprint", label)


def import_section(sender, name, data, report, user=None, **kwargs):
    if name != SECTION:
        return None
    if user is not None and not user.has_perm(PERMISSION):
        report.refused("section", name, _("You may not change the question bank."))
        return True
    kps = _import_kps(sender, data.get("knowledge_points", []), report)
    _import_questions(sender, data.get("questions", []), kps, report)
    _import_blueprints(sender, data.get("blueprints", []), report)
    return True
