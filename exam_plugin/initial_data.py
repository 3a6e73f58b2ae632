"""The exam plugin's part of ``load_initial_data``: knowledge points, blueprints,
calendar rules, the sample bank and the formal sittings of the coming months.
Idempotent: what exists is left as admins edited it."""

import tomllib
from datetime import date
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from cms_site.accounts.services import roles
from plugins.models import ProgramPlugin
from plugins.services import update_settings

from .models import Blueprint, KnowledgePoint, Question
from .services.bank import ImportFailed, import_bank
from .services.papers import DEFAULT_SECTIONS
from .services.sittings import generate_sittings


def _add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    return date(day.year + month_index // 12, month_index % 12 + 1, 1)


def _apply_calendar(program, calendar: dict, log):
    """The fixture's calendar rule, applied once: before the program's first generated
    sitting (afterwards the rule is the admin's to change)."""
    from .models import ExamSitting

    if not calendar or ExamSitting.objects.filter(program=program).exclude(calendar_key="").exists():
        return
    if not ProgramPlugin.objects.filter(program=program, plugin="exam_plugin").exists():
        return
    update_settings(program, "exam_plugin", **calendar)
    log(f"  {program.program_path}: calendar rule {calendar}")


def _knowledge_points(program, specs, log):
    for order, spec in enumerate(specs):
        parent = KnowledgePoint.objects.get(program=program, code=spec["parent"]) if spec.get("parent") else None
        _kp, created = KnowledgePoint.objects.get_or_create(
            program=program, code=spec["code"],
            defaults={"name": spec["name"], "module_title": spec.get("module", ""), "parent": parent, "sort_order": order},
        )
        if created:
            log(f"  {program.program_path}: knowledge point {spec['code']}")


def _blueprints(program, spec):
    for level in program.levels.all():
        Blueprint.objects.get_or_create(
            program=program, level=level,
            defaults={
                "sections": spec.get("sections", DEFAULT_SECTIONS), "shares": spec.get("shares", {}),
                "duration_minutes": spec.get("duration_minutes", 120),
            },
        )


ROLE_PERMISSIONS = {
    roles.GRADER: ["exam_plugin.grade_answers"],
    roles.PROGRAM_ADMIN: [
        "exam_plugin.manage_exams", "exam_plugin.manage_question_bank", "exam_plugin.grade_answers",
        *(f"exam_plugin.{action}_{model}" for model in ("question", "knowledgepoint", "blueprint", "examsitting")
          for action in ("add", "change", "delete", "view")),
    ],
}


def grant_roles(log):
    for role, permissions in ROLE_PERMISSIONS.items():
        roles.grant(role, *permissions)
    log("  exam permissions granted to Graders and Program admins")


def load(fixtures_dir: Path, log):
    from plugins.services.programs import program_for_path

    grant_roles(log)

    path = fixtures_dir / "exam_plugin" / "exam.toml"
    if not path.exists():
        log("  no fixtures/exam_plugin/exam.toml; skipped")
        return
    with path.open("rb") as fh:
        data = tomllib.load(fh)
    today = timezone.localdate()
    horizon = _add_months(today, int(data.get("horizon_months", 15)))
    for spec in data.get("programs", []):
        program = program_for_path(spec["path"])
        if program is None:
            log(f"  program {spec['path']} not found; skipped")
            continue
        with transaction.atomic():
            _apply_calendar(program, spec.get("calendar", {}), log)
            _knowledge_points(program, spec.get("knowledge_points", []), log)
            _blueprints(program, spec.get("blueprint", {}))
            # ``bank``: one spreadsheet or a list (e.g. a bank shared by several programs + the
            # program's own), imported in order through the editors' spreadsheet import.
            banks = spec.get("bank") or []
            banks = [banks] if isinstance(banks, str) else banks
            if banks and not Question.objects.filter(program=program).exists():
                for bank in banks:
                    content = (fixtures_dir / "exam_plugin" / bank).read_bytes()
                    try:
                        counts = import_bank(program, content, "csv")
                    except ImportFailed as err:
                        raise RuntimeError(f"sample bank {bank} is invalid: {err}") from err
                    log(f"  {program.program_path}: {counts['created']} questions from {bank}")
            generate_sittings(program, today, horizon, log=log)
