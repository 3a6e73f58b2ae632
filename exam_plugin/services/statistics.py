"""Statistics of a sitting: score histogram, pass rate, per-question difficulty
(facility: mean score / points), discrimination (upper 27 % minus lower 27 % facility,
groups by total score) and option distribution. Invalidated attempts are left out."""

from collections import Counter, defaultdict
from decimal import Decimal

import tablib
from django.utils.html import escape, strip_tags
from django.utils.translation import gettext

from ..models import Attempt, AttemptItem


def _scored_attempts(sitting):
    return list(
        Attempt.objects.filter(
            sitting=sitting, invalidated=False, status__in=[Attempt.Status.GRADED, Attempt.Status.RELEASED]
        ).exclude(score__isnull=True)
    )


def histogram(scores, max_score=Decimal("100"), buckets=10) -> list[dict]:
    width = max_score / buckets
    counts = [0] * buckets
    for score in scores:
        index = min(buckets - 1, int(Decimal(score) / width)) if width else 0
        counts[index] += 1
    return [
        {"label": f"{int(width * i)}–{int(width * (i + 1)) - (0 if i == buckets - 1 else 1)}", "count": c}
        for i, c in enumerate(counts)
    ]


def sitting_statistics(sitting) -> dict:
    attempts = _scored_attempts(sitting)
    scores = [a.score for a in attempts]
    n = len(attempts)
    passed = sum(1 for a in attempts if a.passed)
    ranked = sorted(attempts, key=lambda a: a.score)
    group = max(1, round(n * 0.27)) if n >= 2 else 0
    lower = {a.pk for a in ranked[:group]}
    upper = {a.pk for a in ranked[-group:]} if group else set()
    items = AttemptItem.objects.filter(attempt__in=attempts).select_related("question")
    per_question = defaultdict(lambda: {"n": 0, "score": Decimal("0"), "points": Decimal("0"), "up": [], "low": [],
                                        "options": Counter()})
    for item in items:
        key = item.question_id
        row = per_question[key]
        row["question"] = item.question
        score = item.final_score or Decimal("0")
        row["n"] += 1
        row["score"] += score
        row["points"] += item.points
        ratio = float(score / item.points) if item.points else 0.0
        if item.attempt_id in upper:
            row["up"].append(ratio)
        if item.attempt_id in lower:
            row["low"].append(ratio)
        if item.question.kind != "short":
            for k in item.response or []:
                row["options"][k] += 1
            if not item.response:
                row["options"]["—"] += 1
    questions = []
    for row in per_question.values():
        q = row["question"]
        facility = float(row["score"] / row["points"]) if row["points"] else 0.0
        up = sum(row["up"]) / len(row["up"]) if row["up"] else None
        low = sum(row["low"]) / len(row["low"]) if row["low"] else None
        questions.append({
            "question": q,
            "code": f"{q.family} v{q.version}",
            "kind": q.get_kind_display(),
            "text": strip_tags(q.stem)[:80],
            "n": row["n"],
            "difficulty": round(facility, 2),
            "discrimination": round(up - low, 2) if up is not None and low is not None else None,
            "options": ", ".join(
                f"{k}{'*' if k in q.correct else ''}: {row['options'].get(k, 0)}" for k in [o["key"] for o in q.options]
            ) + (f", —: {row['options']['—']}" if row["options"].get("—") else "") if q.kind != "short" else "",
        })
    questions.sort(key=lambda r: r["code"])
    return {
        "n": n,
        "mean": round(sum(scores) / n, 1) if n else None,
        "pass_rate": round(100 * passed / n, 1) if n else None,
        "passed": passed,
        "histogram": histogram(scores),
        "questions": questions,
    }


def export_statistics(sitting, fmt: str) -> bytes:
    stats = sitting_statistics(sitting)
    data = tablib.Dataset(headers=["question", "type", "text", "answers", "difficulty", "discrimination", "options"])
    for row in stats["questions"]:
        data.append([row["code"], str(row["kind"]), row["text"], row["n"], row["difficulty"],
                     "" if row["discrimination"] is None else row["discrimination"], row["options"]])
    summary = tablib.Dataset(headers=["scores", "candidates"])
    for bucket in stats["histogram"]:
        summary.append([bucket["label"], bucket["count"]])
    summary.append(["pass rate %", stats["pass_rate"] if stats["pass_rate"] is not None else ""])
    if fmt == "csv":
        return ("\ufeff" + data.export("csv") + "\r\n" + summary.export("csv")).encode("utf-8")
    data.title, summary.title = "questions", "scores"
    return tablib.Databook([data, summary]).export("xlsx")


def histogram_svg(buckets: list[dict], width=520, height=220) -> str:
    """A small inline SVG bar chart (no JS library needed in the admin)."""
    top = max((b["count"] for b in buckets), default=0) or 1
    bar_w = (width - 40) / len(buckets)
    parts = [f'<svg class="exam-histogram" viewBox="0 0 {width} {height + 40}" role="img" '
             f'aria-label="{escape(gettext("Score distribution"))}" xmlns="http://www.w3.org/2000/svg">']
    for i, b in enumerate(buckets):
        h = (height - 20) * b["count"] / top
        x = 30 + i * bar_w
        y = height - h
        parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w - 4:.1f}" height="{h:.1f}" fill="#0b6e4f"><title>{b["label"]}: {b["count"]}</title></rect>')
        parts.append(f'<text x="{x + bar_w / 2 - 2:.1f}" y="{y - 4:.1f}" font-size="11" text-anchor="middle">{b["count"]}</text>')
        parts.append(f'<text x="{x + bar_w / 2 - 2:.1f}" y="{height + 16}" font-size="10" text-anchor="middle">{b["label"]}</text>')
    parts.append(f'<line x1="28" y1="{height}" x2="{width - 8}" y2="{height}" stroke="#666"/></svg>')
    return "".join(parts)
