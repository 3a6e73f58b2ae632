"""Backup and restore on the real database of the run (SQLite, or PostgreSQL in CI)."""

import tarfile

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.management import call_command

from course_content.models import Enrolment
from course_content.services import ledger


@pytest.fixture
def private_photo(settings):
    storage = storages["private"]
    name = storage.save("photos/learner.jpg", ContentFile(b"\xff\xd8\xff photo bytes"))
    return storage, name


@pytest.mark.django_db(transaction=True)
def test_backup_then_restore_brings_back_data_and_files(site_data, energy, make_learner, grant_hours, private_photo, tmp_path, client):
    learner = make_learner(energy, password="Backup-2026!")
    enrolment = Enrolment.objects.get(learner=learner)
    grant_hours(enrolment, 3)
    storage, photo = private_photo

    call_command("backup", output=str(tmp_path / "site.tar.gz"))
    archive = tmp_path / "site.tar.gz"
    with tarfile.open(archive) as tar:
        names = tar.getnames()
    assert "manifest.json" in names and any(n.startswith("files/private/photos/") for n in names)

    # Things change (and go wrong) after the backup...
    learner_pk = learner.pk
    learner.delete()
    storage.delete(photo)
    make_learner(energy, real_name="后来的学员")
    assert not storage.exists(photo)

    call_command("restore", str(archive), yes=True)

    User = get_user_model()
    restored = User.objects.get(pk=learner_pk)
    assert not User.objects.filter(real_name="后来的学员").exists()
    assert ledger.class_hours(Enrolment.objects.get(learner=restored)) == 3
    assert storage.open(photo).read() == b"\xff\xd8\xff photo bytes"
    # ...and the restored site works: pages render and the learner logs in.
    assert client.get("/programs/energy/").status_code == 200
    assert client.post("/accounts/login/", {"username": restored.document_number, "password": "Backup-2026!"}).status_code == 302


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_an_archive_with_unsafe_paths(tmp_path, db):
    import io
    import json

    from django.core.management.base import CommandError
    from django.db import connection

    bad = tmp_path / "bad.tar.gz"
    with tarfile.open(bad, "w:gz") as tar:
        manifest = json.dumps({"format": 1, "vendor": connection.vendor, "database": "db.sqlite3", "created_at": "x"}).encode()
        info = tarfile.TarInfo("manifest.json")
        info.size = len(manifest)
        tar.addfile(info, io.BytesIO(manifest))
        evil = tarfile.TarInfo("../escape.txt")
        evil.size = 1
        tar.addfile(evil, io.BytesIO(b"x"))
    with pytest.raises(CommandError):
        call_command("restore", str(bad), yes=True)
    assert not (tmp_path.parent / "escape.txt").exists()


@pytest.mark.django_db(transaction=True)
def test_backup_taken_mid_exam_restores_into_a_working_exam(site_data, energy, make_learner, grant_hours, tmp_path, client):
    """Exam day: a backup taken while a candidate is answering; after a restore the
    candidate's paper is open again with every answer saved before the backup."""
    from datetime import timedelta

    from django.utils import timezone

    from exam_plugin.models import AttemptItem, ExamSitting
    from exam_plugin.services.attempts import save_answers, start_formal_attempt
    from exam_plugin.services.sittings import admit
    from plugins.services import disable

    disable(energy, "proctor_plugin")
    learner = make_learner(energy, password="Exam-Day-2026!")
    enrolment = Enrolment.objects.get(learner=learner)
    grant_hours(enrolment, 36)
    start = timezone.now() - timedelta(minutes=10)
    sitting = ExamSitting.objects.create(program=energy, starts_at=start, ends_at=start + timedelta(hours=2))
    attempt = start_formal_attempt(admit(sitting, enrolment, check=False))
    text_item = AttemptItem.objects.filter(attempt=attempt, question__kind="short").first()
    save_answers(attempt, [{"position": text_item.position, "seq": 1, "value": "备份前的答案"}])

    call_command("backup", output=str(tmp_path / "mid-exam.tar.gz"))
    save_answers(attempt, [{"position": text_item.position, "seq": 2, "value": "备份后的答案"}])
    call_command("restore", str(tmp_path / "mid-exam.tar.gz"), yes=True)

    text_item.refresh_from_db()
    assert (text_item.response, text_item.seq) == ("备份前的答案", 1)
    client.post("/accounts/login/", {"username": learner.document_number, "password": "Exam-Day-2026!"})
    api = f"/programs/energy/exam/api/attempts/{attempt.pk}"
    paper = client.get(api)
    assert paper.status_code == 200 and paper.json()["status"] == "in_progress"
    # The candidate's browser journal replays the newer answer: accepted after the restore.
    saved = client.post(
        f"{api}/answers", {"answers": [{"position": text_item.position, "seq": 2, "value": "备份后的答案"}]},
        content_type="application/json",
    )
    assert saved.status_code == 200 and saved.json()["saved"] == [text_item.position]
