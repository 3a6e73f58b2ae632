"""The exam plugin's answers to the training-room pack signals (``packs.signals``):
the practice bank travels to the laptop, practice results come back. Connected as
receivers in ``receivers.py``."""

import uuid
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction

from course_content.models import Enrolment

from ..models import KnowledgePoint, PracticeResult, Question
from .offline_practice import practice_bank, record_practice_results

KEYS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def bank_for_pack(sender, **kwargs):
    """Practice-pool questions only (``practice_bank``): formal-only ones never leave."""
    return practice_bank(sender)


def import_bank(sender, questions, **kwargs):
    """Create the practice questions the laptop lacks (by family), in the practice pool."""
    created = 0
    with transaction.atomic():
        for q in questions:
            family = str(q.get("family") or "")[:40]
            if not family or Question.objects.filter(program=sender, family=family).exists():
                continue
            kp, _new = KnowledgePoint.objects.get_or_create(
                program=sender, code=str(q.get("knowledge_point") or "PACK")[:40],
                defaults={"name": str(q.get("knowledge_point_name") or q.get("knowledge_point") or "")[:200]},
            )
            options = [{"key": KEYS[i], "text": text} for i, text in enumerate(q.get("options") or [])]
            Question.objects.create(
                program=sender, family=family, kind=q.get("kind", "single"), levels=q.get("levels") or [],
                stem=q.get("stem") or "", options=options,
                correct=[KEYS[i] for i in q.get("correct_options") or [] if 0 <= i < len(options)],
                reference_answer=q.get("reference_answer") or "", points=Decimal(str(q.get("points") or 1)),
                difficulty=int(q.get("difficulty") or 3), knowledge_point=kp,
                status=Question.Status.REVIEWED, pool=Question.Pool.PRACTICE,
            )
            created += 1
    return created


def export_results(sender, **kwargs):
    """Practice results of the program's learners, questions named by family."""
    rows = []
    results = PracticeResult.objects.filter(enrolment__program=sender).select_related("enrolment__learner")
    families = dict(Question.objects.filter(program=sender).values_list("pk", "family"))
    for result in results:
        rows.append({
            "kind": "exam_plugin.practice", "username": result.enrolment.learner.username,
            "client_uuid": str(result.client_uuid), "taken_at": result.taken_at.isoformat() if result.taken_at else None,
            "answers": [{"family": families.get(a.get("question_id")), "value": a.get("value")} for a in result.answers],
        })
    return rows


def merge_results(sender, rows, usernames, **kwargs):
    """Store the pack's practice results (idempotent by ``client_uuid``), scored here."""
    counts = {"stored": 0, "duplicate": 0, "refused": 0}
    current = dict(Question.objects.filter(program=sender, is_current=True).values_list("family", "pk"))
    users = {u.username: u for u in get_user_model().objects.filter(username__in=usernames)}
    for row in rows:
        if row.get("kind") != "exam_plugin.practice":
            continue
        user = users.get(row.get("username"))
        enrolment = Enrolment.objects.filter(learner=user, program=sender).order_by("-created_at").first() if user else None
        try:
            uuid.UUID(str(row.get("client_uuid")))
        except ValueError:
            enrolment = None
        if enrolment is None:
            counts["refused"] += 1
            continue
        answers = [{"question_id": current.get(a.get("family")), "value": a.get("value")} for a in row.get("answers") or []]
        [outcome] = record_practice_results(
            enrolment, [{"client_uuid": row["client_uuid"], "taken_at": row.get("taken_at"), "answers": answers}],
            source=PracticeResult.Source.PACK,
        )
        counts[outcome["status"]] += 1
    return counts
