"""Training-room pack round trip: export → import on a second installation (its own SQLite
database and data directory, in a subprocess) → study and practise there → export →
merge twice on the central site → the totals equal a single merge; tampered packs are refused."""

import json
import os
import shutil
import sqlite3
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from packs.services import signing
from packs.services.keys import public_text

from .laptop import empty_site, laptop

pytestmark = pytest.mark.django_db

LAPTOP_STUDY = """
import json, os
from datetime import datetime, timedelta
from django.contrib.auth import get_user_model
from course_content.services import ledger
from packs.models import ImportedPage
from exam_plugin.models import Question
from exam_plugin.services.offline_practice import record_practice_results
from course_content.models import Enrolment
args = json.loads(os.environ["PACK_TEST_ARGS"])
learner = get_user_model().objects.get(username=args["username"])
lesson = ImportedPage.objects.get(source_key=args["lesson_key"]).page_id
start = datetime.fromisoformat(args["start"])
beats = [{"lesson": lesson, "device": "room-pc-3", "seq": i + 1, "activity": "input",
          "started_at": (start + timedelta(seconds=30 * i)).isoformat(),
          "ended_at": (start + timedelta(seconds=30 * (i + 1))).isoformat()} for i in range(4)]
outcomes = ledger.record_heartbeats(learner, beats, source=ledger.OFFLINE)
assert [o.status for o in outcomes] == ["accepted"] * 4, [o.as_dict() for o in outcomes]
question = Question.objects.get(family=args["family"])
enrolment = Enrolment.objects.get(learner=learner)
keys = [o["key"] for o in question.options]
right = [keys.index(k) for k in question.correct]
[stored] = record_practice_results(enrolment, [{"client_uuid": args["uuid"], "answers": [{"question_id": question.pk, "value": right}]}])
assert stored["status"] == "stored" and stored["score"] == 1, stored
print("studied", sum(o.credited_seconds for o in outcomes))
"""


def test_pack_round_trip_merges_once_and_refuses_tampering(energy, make_learner, tmp_path, settings):
    from course_content.models import LessonPage, StudyInterval
    from course_content.services import ledger
    from exam_plugin.models import PracticeResult, Question
    from tests.course_content.offline.content import build_offline_module

    settings.STUDY_HEARTBEAT_SECONDS = 30
    content = build_offline_module(energy)
    lesson = content["lessons"][0]
    Question.objects.filter(program=energy, knowledge_point__code="M1.2").update(pool=Question.Pool.FORMAL)
    formal_families = set(Question.objects.filter(program=energy, pool="formal").values_list("family", flat=True))
    learner = make_learner(energy, password="Study-2026!")
    practice = Question.objects.filter(program=energy, kind="single").exclude(pool="formal").first()

    # central: the learner studied online on another lesson from t0 to t0+30 s
    t0 = (timezone.now() - timedelta(hours=2)).replace(microsecond=0)
    other = LessonPage.objects.live().descendant_of(energy).exclude(pk=lesson.pk).exclude(
        pk=content["lessons"][1].pk).first()
    [online] = ledger.record_heartbeats(learner, [{"lesson": other.pk, "device": "pc", "seq": 1, "activity": "input",
                                                     "started_at": t0.isoformat(), "ended_at": (t0 + timedelta(seconds=30)).isoformat()}],
                                          source=ledger.ONLINE, received_at=t0 + timedelta(seconds=30))
    assert online.credited_seconds == 30

    pack = tmp_path / "energy.pack"
    call_command("offline_pack", "energy", output=str(pack), learners=True, stdout=open(os.devnull, "w"))
    db = sqlite3.connect(pack)
    bank = {row[0] for row in db.execute("select family from practice_bank")}
    assert bank and practice.family in bank and not bank & formal_families
    db.close()

    # setting up the laptop: it trusts the centre's public key, the centre registers the laptop's
    room = empty_site(tmp_path / "laptop")
    laptop(room, "pack_keys", "trust-centre", public_text(signing.private_key(signing.CENTRE)))
    device_key = next(line.split()[1] for line in laptop(room, "pack_keys", "show").splitlines()
                      if line.startswith("device "))
    call_command("pack_keys", "register", "room-pc-3", device_key, stdout=open(os.devnull, "w"))
    first = laptop(room, "import_pack", str(pack))
    assert "pages" in first
    assert "pages 0, updated 0" in laptop(room, "import_pack", str(pack))  # importing twice changes nothing
    args = {"username": learner.username, "lesson_key": str(lesson.translation_key), "family": practice.family,
            "start": (t0 - timedelta(seconds=60)).isoformat(), "uuid": "0d8c6f8e-1c53-4d43-9a55-5a0c7b3f2a11"}
    assert "studied 120" in laptop(room, "shell", "-c", LAPTOP_STUDY, PACK_TEST_ARGS=json.dumps(args))
    results = tmp_path / "room.pack"
    laptop(room, "export_results_pack", "-o", str(results))

    rows = StudyInterval.objects.filter(enrolment__learner=learner, source=StudyInterval.Source.PACK)
    call_command("merge_results_pack", str(results), stdout=open(os.devnull, "w"))
    once = sum(rows.values_list("credited_seconds", flat=True))
    # 120 s studied on the laptop, 30 s of it overlapping the online study: the ledger trims it
    assert once == 90
    assert PracticeResult.objects.get(enrolment__learner=learner).score == 1
    call_command("merge_results_pack", str(results), stdout=open(os.devnull, "w"))
    assert sum(rows.values_list("credited_seconds", flat=True)) == once
    assert PracticeResult.objects.filter(enrolment__learner=learner).count() == 1

    tampered = tmp_path / "tampered.pack"
    shutil.copy(results, tampered)
    db = sqlite3.connect(tampered)
    db.execute("update intervals set credited_seconds = credited_seconds + 600")
    db.commit()
    db.close()
    with pytest.raises(CommandError, match="签名不符"):
        call_command("merge_results_pack", str(tampered))
    assert sum(rows.values_list("credited_seconds", flat=True)) == once
