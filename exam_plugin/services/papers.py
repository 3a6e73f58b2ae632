"""Drawing a paper from the bank by the (program, level) blueprint.

A paper is a list of ``DrawnItem`` drawn with ``random.Random(seed)``, so the same seed
and bank give the same paper. Knowledge-point shares are honoured exactly in points
where the blueprint allows (sections are filled largest points first against the
remaining point targets, so unit-point sections absorb the rounding). For formal
exams a missing question is an error naming what is missing; mock papers borrow
from other knowledge points instead.
"""

import random
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from ..models import Blueprint, KnowledgePoint, Question
from . import exposure

DEFAULT_SECTIONS = [
    {"kind": "single", "count": 40, "points": 1},
    {"kind": "multiple", "count": 20, "points": 2},
    {"kind": "short", "count": 4, "points": 5},
]


class BankShortage(Exception):
    """The bank cannot satisfy a blueprint. ``messages`` names each gap (translated)."""

    def __init__(self, messages):
        self.messages = list(messages)
        super().__init__("; ".join(self.messages))


@dataclass
class DrawnItem:
    question: Question
    points: Decimal
    option_order: list


def blueprint_for(program, level) -> Blueprint:
    blueprint, _created = Blueprint.objects.get_or_create(
        program=program, level=level, defaults={"sections": DEFAULT_SECTIONS}
    )
    return blueprint


def eligible_questions(program, level, *, formal: bool):
    """Current questions of ``program`` that may appear on ``level``'s paper: reviewed
    formal/both questions for formal papers; for mock papers the practice pool only
    (``exposure``: mock papers show their keys after hand-in)."""
    if not formal:
        return exposure.practice_questions(program, level, locked=True, bulk=True)
    qs = Question.objects.filter(program=program, is_current=True).select_related("knowledge_point")
    qs = qs.filter(status=Question.Status.REVIEWED).exclude(pool=Question.Pool.PRACTICE)
    return [q for q in qs.order_by("family") if not q.levels or level.code in q.levels]


def _root_codes(program) -> dict[int, str]:
    """knowledge point id -> code of its root (module) point."""
    points = {kp.pk: kp for kp in KnowledgePoint.objects.filter(program=program)}

    def root(kp):
        while kp.parent_id and kp.parent_id in points:
            kp = points[kp.parent_id]
        return kp.code

    return {pk: root(kp) for pk, kp in points.items()}


def _largest_remainder(total: int, weights: dict[str, float]) -> dict[str, int]:
    weight_sum = sum(w for w in weights.values() if w > 0)
    if total <= 0 or weight_sum <= 0:
        return {k: 0 for k in weights}
    exact = {k: total * max(w, 0) / weight_sum for k, w in weights.items()}
    quotas = {k: int(v) for k, v in exact.items()}
    left = total - sum(quotas.values())
    for key in sorted(exact, key=lambda k: (-(exact[k] - quotas[k]), k))[:left]:
        quotas[key] += 1
    return quotas


def kind_label(kind: str) -> str:
    return str(Question.Kind(kind).label)


def check_blueprint(blueprint: Blueprint, *, formal: bool = True) -> list[str]:
    """Translated messages naming what the bank lacks for ``blueprint`` (empty = fine)."""
    try:
        draw_paper(blueprint, seed=0, formal=formal)
    except BankShortage as err:
        return err.messages
    return []


def draw_paper(blueprint: Blueprint, *, seed: int, formal: bool) -> list[DrawnItem]:
    rng = random.Random(seed)
    program, level = blueprint.program, blueprint.level
    pool = eligible_questions(program, level, formal=formal)
    roots = _root_codes(program)
    shares = {code: float(v) for code, v in (blueprint.shares or {}).items() if float(v) > 0}
    sections = sorted(blueprint.sections, key=lambda s: -Decimal(str(s["points"])))
    targets = {code: float(blueprint.total_points) * pct / 100 for code, pct in shares.items()}
    missing: list[str] = []
    drawn: list[DrawnItem] = []
    used: set[int] = set()

    for section in sections:
        kind, count, points = section["kind"], int(section["count"]), Decimal(str(section["points"]))
        candidates = [q for q in pool if q.kind == kind and q.pk not in used]
        if not shares:
            if len(candidates) < count:
                missing.append(
                    _("%(kind)s: the paper needs %(need)s, the bank has %(have)s usable questions for level %(level)s.")
                    % {"kind": kind_label(kind), "need": count, "have": len(candidates), "level": level.name}
                )
                continue
            chosen = rng.sample(candidates, count)
        else:
            by_root: dict[str, list[Question]] = {code: [] for code in shares}
            for q in candidates:
                code = roots.get(q.knowledge_point_id)
                if code in by_root:
                    by_root[code].append(q)
            quotas = _largest_remainder(count, targets)
            chosen = []
            spare_needed = 0
            for code, quota in quotas.items():
                have = by_root[code]
                if len(have) < quota:
                    if formal:
                        kp = KnowledgePoint.objects.filter(program=program, code=code).first()
                        missing.append(
                            _("%(kind)s, knowledge point %(kp)s: the paper needs %(need)s, the bank has %(have)s usable questions for level %(level)s.")
                            % {"kind": kind_label(kind), "kp": kp or code, "need": quota, "have": len(have), "level": level.name}
                        )
                    spare_needed += quota - len(have)
                    quota = len(have)
                picked = rng.sample(have, quota)
                chosen.extend(picked)
                targets[code] -= float(points) * quota
            if spare_needed and not formal:
                rest = [q for q in candidates if q not in chosen]
                if len(rest) < spare_needed:
                    missing.append(
                        _("%(kind)s: the paper needs %(need)s, the bank has %(have)s usable questions for level %(level)s.")
                        % {"kind": kind_label(kind), "need": count, "have": len(candidates), "level": level.name}
                    )
                    continue
                chosen.extend(rng.sample(rest, spare_needed))
        for q in chosen:
            used.add(q.pk)
            order = [opt["key"] for opt in q.options]
            rng.shuffle(order)
            drawn.append(DrawnItem(question=q, points=points, option_order=order))
    if missing:
        raise BankShortage(missing)
    # Present in the blueprint's section order (single, multiple, short), shuffled within.
    kind_rank = {s["kind"]: i for i, s in enumerate(blueprint.sections)}
    drawn.sort(key=lambda d: kind_rank[d.question.kind])
    return drawn
