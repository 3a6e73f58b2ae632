"""Content packs: write a program's published content, import it on a laptop.

The course tree, its media files and the plugin states travel as a curriculum archive
(``course_content.services.curriculum``, the same zip editors export) stored in the ``archive``
table; the laptop imports it in ``MIRROR`` mode (published, idempotent) and remembers
which local page stands for which central page (``ImportedPage``).
"""

import hashlib
import io
import json
from pathlib import Path

import sqlite_utils
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from course_content.services.curriculum.archive import Archive, ArchiveRefused, export_archive
from course_content.services.curriculum.importer import MIRROR

from ..models import ImportedPage
from ..signals import pack_practice_bank, pack_practice_bank_import
from . import signing

FORMAT = "2"


def _learner_rows(program):
    from course_content.models import Enrolment

    return [
        {"username": e.learner.username, "real_name": e.learner.real_name, "password": e.learner.password,
         "level": e.level.code}
        for e in Enrolment.objects.filter(program=program).select_related("learner", "level")
    ]


def write_content_pack(program, path, *, learners=False) -> dict:
    """Write ``program``'s content pack to ``path`` (replaced); returns counts per table."""
    path = Path(path)
    if path.exists():
        path.unlink()
    db = sqlite_utils.Database(path)
    archive = io.BytesIO()
    manifest = export_archive(program, archive, purpose="pack", drafts=False)
    blob = archive.getvalue()
    bank = []
    for _receiver, answer in pack_practice_bank.send_robust(sender=program):
        if isinstance(answer, list):
            bank.extend(answer)
    tables = {
        "meta": [
            {"key": "kind", "value": "content"}, {"key": "format", "value": FORMAT},
            {"key": "program", "value": program.slug}, {"key": "program_key", "value": str(program.translation_key)},
            {"key": "created_at", "value": timezone.now().isoformat()},
        ],
        "archive": [{"name": "curriculum.zip", "sha256": hashlib.sha256(blob).hexdigest(), "data": blob}],
        "practice_bank": [{"family": q.get("family", ""), "data": json.dumps(q, ensure_ascii=False)} for q in bank],
        "learners": _learner_rows(program) if learners else [],
    }
    for name, rows in tables.items():
        if rows:
            db[name].insert_all(rows)
    signing.sign(db, signing.CENTRE)
    db.conn.commit()
    db.close()
    counts = {name: len(rows) for name, rows in tables.items() if name != "archive"}
    return {**counts, "media": len(manifest["media"])}


def _open_archive(db) -> Archive:
    from .signing import PackRefused

    row = next(iter(db["archive"].rows), None) if "archive" in db.table_names() else None
    if row is None or hashlib.sha256(row["data"]).hexdigest() != row["sha256"]:
        raise PackRefused(_("This pack carries no course content."))
    try:
        return Archive(io.BytesIO(row["data"]))
    except ArchiveRefused as err:
        raise PackRefused(str(err)) from err


def import_content_pack(path, log=print) -> dict:
    """Import a content pack: pages published and kept in step with the centre (MIRROR),
    media files, learners and the practice bank; importing it twice changes nothing."""
    from course_content.models import Enrolment

    db = signing.open_verified(path, "content")
    archive = _open_archive(db)
    with transaction.atomic():
        report = archive.import_into_site(MIRROR, log=log)
        program = report.program
        if program is None:
            from .signing import PackRefused

            raise PackRefused("; ".join(f"{line.label}: {line.reason}" for line in report.of("refused")))
        for key, page in report.pages.items():
            ImportedPage.objects.update_or_create(source_key=key, defaults={"page": page})
        learners = 0
        user_model = get_user_model()
        for row in (db["learners"].rows if "learners" in db.table_names() else []):
            user, new = user_model.objects.get_or_create(
                username=row["username"], defaults={"real_name": row["real_name"], "password": row["password"]},
            )
            level = program.levels.filter(code=row["level"]).first()
            if level is not None:
                Enrolment.objects.get_or_create(learner=user, program=program, level=level)
            learners += int(new)
    archive.close()
    from plugins.services.programs import gate_cache

    gate_cache.clear()
    bank = [json.loads(r["data"]) for r in db["practice_bank"].rows] if "practice_bank" in db.table_names() else []
    bank_created = 0
    if bank:
        for _receiver, answer in pack_practice_bank_import.send_robust(sender=program, questions=bank):
            if isinstance(answer, int):
                bank_created += answer
    db.close()
    counts = report.counts
    pages_created = sum(1 for line in report.of("created") if line.kind.endswith("page"))
    return {"pages": pages_created, "updated": counts["updated"], "refused": counts["refused"],
            "learners": learners, "practice_questions": bank_created, "media": len(archive.media.entries),
            "program": program.pk, "report": report}
