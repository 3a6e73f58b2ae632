"""Content packs: write a program's published content, import it on a laptop."""

import hashlib
import json
from pathlib import Path

import sqlite_utils
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from modelcluster.models import get_all_child_relations
from wagtail.models import Locale, Page, Site

from plugins.models import ProgramPlugin

from ..models import ImportedPage
from ..signals import pack_practice_bank, pack_practice_bank_import
from . import signing

FORMAT = "1"
#: Tree and bookkeeping fields that belong to the installation, not the content.
LOCAL_FIELDS = (
    "pk", "path", "depth", "numchild", "url_path", "owner", "locked", "locked_at", "locked_by",
    "latest_revision", "live_revision", "latest_revision_created_at", "content_type", "locale",
    "alias_of", "draft_title",
)


def _level_codes(page) -> dict:
    """Many-to-many fields naming program levels, as level codes (ids differ per installation)."""
    from course_content.models import ProgramLevel

    return {
        field.name: list(getattr(page, field.name).values_list("code", flat=True))
        for field in page._meta.many_to_many if field.related_model is ProgramLevel
    }


def _page_rows(program):
    """Pages of the pack: the program's ancestors below the site's home page (program index,
    program group) and the program's live subtree, in tree order."""
    site_root = Site.objects.filter(is_default_site=True).values_list("root_page__path", flat=True).first() or ""
    ancestors = [p for p in program.get_ancestors() if p.depth > 1 and not site_root.startswith(p.path)]
    pages = [*ancestors, *program.get_descendants(inclusive=True).live()]
    rows = []
    for page in pages:
        specific = page.specific
        rows.append({
            "id": page.pk,
            "parent_id": page.get_parent().pk if page.depth > 1 else None,
            "translation_key": str(page.translation_key),
            "language": page.locale.language_code,
            "model": specific._meta.label_lower,
            "slug": page.slug,
            "title": page.title,
            "data": json.dumps({**specific.serializable_data(), "level_codes": _level_codes(specific)},
                               ensure_ascii=False, default=str),
        })
    return rows


def _media_rows(program):
    """Documents and images the program's pages reference (Wagtail's reference index)."""
    from django.contrib.contenttypes.models import ContentType
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtail.models import ReferenceIndex

    page_ids = list(program.get_descendants(inclusive=True).live().values_list("pk", flat=True))
    refs = ReferenceIndex.objects.filter(
        base_content_type=ContentType.objects.get_for_model(Page), object_id__in=[str(i) for i in page_ids]
    )
    rows, seen = [], set()
    for model in (get_document_model(), get_image_model()):
        ids = {int(r.to_object_id) for r in refs.filter(to_content_type=ContentType.objects.get_for_model(model))
               if str(r.to_object_id).isdigit()}
        for obj in model.objects.filter(pk__in=ids):
            key = (model._meta.label_lower, obj.pk)
            if key in seen:
                continue
            seen.add(key)
            try:
                with obj.file.open("rb") as handle:
                    data = handle.read()
                size, sha = len(data), hashlib.sha256(data).hexdigest()
            except (OSError, ValueError):
                size, sha = None, ""
            rows.append({"model": key[0], "id": obj.pk, "title": obj.title, "file": obj.file.name, "size": size, "sha256": sha})
    return rows


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
        "pages": _page_rows(program),
        "plugins": [
            {"plugin": s.plugin, "enabled": int(s.enabled), "settings": json.dumps(s.settings, ensure_ascii=False)}
            for s in ProgramPlugin.objects.filter(program=program)
        ],
        "media": _media_rows(program),
        "practice_bank": [{"family": q.get("family", ""), "data": json.dumps(q, ensure_ascii=False)} for q in bank],
        "learners": _learner_rows(program) if learners else [],
    }
    for name, rows in tables.items():
        if rows:
            db[name].insert_all(rows)
    signing.sign(db)
    db.conn.commit()
    db.close()
    return {name: len(rows) for name, rows in tables.items()}


def _clean(model, data: dict) -> dict:
    data = {k: v for k, v in data.items() if k not in LOCAL_FIELDS}
    data["pk"] = None
    for relation in get_all_child_relations(model):
        name = relation.get_accessor_name()
        fk = relation.field.name
        children = data.get(name) or []
        data[name] = [{**{k: v for k, v in child.items() if k != fk}, "pk": None} for child in children]
    return data


def _import_pages(rows, log) -> tuple[object, int]:
    """Create missing pages; map every pack page to a local one (by translation key, else
    by slug under the mapped parent). Returns (the local program page, pages created)."""
    from django.apps import apps

    from course_content.models import ProgramPage

    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    top = site.root_page if site else Page.get_first_root_node()
    local_of, created = {}, 0
    for row in rows:
        locale, _new = Locale.objects.get_or_create(language_code=row["language"])
        parent = local_of.get(row["parent_id"], top)
        page = Page.objects.filter(translation_key=row["translation_key"], locale=locale).first()
        if page is None:
            page = parent.get_children().filter(slug=row["slug"]).first()
        if page is None:
            model = apps.get_model(row["model"])
            data = _clean(model, json.loads(row["data"]))
            level_codes = data.pop("level_codes", {})
            for name in level_codes:
                data[name] = []
            instance = model.from_serializable_data(data, check_fks=True, strict_fks=False)
            instance.locale = locale
            instance.translation_key = row["translation_key"]
            parent.add_child(instance=instance)
            if level_codes:
                program = ProgramPage.objects.ancestor_of(instance, inclusive=True).first()
                for name, codes in level_codes.items():
                    getattr(instance, name).set(list(program.levels.filter(code__in=codes)) if program else [])
                instance.save()
            instance.save_revision(log_action=False).publish(log_action=False)
            page = instance
            created += 1
            log(f"  + {row['title']}")
        ImportedPage.objects.update_or_create(source_key=row["translation_key"], defaults={"page": page})
        local_of[row["id"]] = page.specific if hasattr(page, "specific") else page
    return local_of[rows[-1]["id"]] if rows else None, created


def import_content_pack(path, log=print) -> dict:
    """Import a content pack (idempotent: creates what is missing, never overwrites)."""
    from course_content.models import Enrolment, ProgramPage

    db = signing.open_verified(path, "content")
    meta = signing.meta(db)
    rows = list(db["pages"].rows)
    with transaction.atomic():
        _last, created = _import_pages(rows, log)
        mapping = ImportedPage.objects.get(source_key=meta["program_key"])
        program = ProgramPage.objects.get(pk=mapping.page_id)
        for row in (db["plugins"].rows if "plugins" in db.table_names() else []):
            ProgramPlugin.objects.get_or_create(
                program=program, plugin=row["plugin"],
                defaults={"enabled": bool(row["enabled"]), "settings": json.loads(row["settings"] or "{}")},
            )
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
    from course_content.programs import gate_cache

    gate_cache.clear()
    bank = [json.loads(r["data"]) for r in db["practice_bank"].rows] if "practice_bank" in db.table_names() else []
    bank_created = 0
    if bank:
        for _receiver, answer in pack_practice_bank_import.send_robust(sender=program, questions=bank):
            if isinstance(answer, int):
                bank_created += answer
    media = db["media"].count if "media" in db.table_names() else 0
    db.close()
    return {"pages": created, "learners": learners, "practice_questions": bank_created, "media": media,
            "program": program.pk}
