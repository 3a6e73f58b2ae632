"""Question versioning and the spreadsheet import/export (all-or-nothing)."""

import pytest
from django.utils import translation

from exam_plugin.models import AttemptItem, Question
from exam_plugin.services import attempts
from exam_plugin.services.bank import ImportFailed, export_bank, import_bank, review, save_question


def test_editing_an_unused_question_changes_it_in_place(energy):
    q = Question.objects.get(program=energy, family="ES001")
    q.stem = "<p>改写的题干</p>"
    saved = save_question(q)
    assert saved.pk == q.pk and saved.version == 1
    assert saved.status == Question.Status.DRAFT  # a content change needs a new review


def test_editing_a_used_question_creates_a_version_and_attempts_keep_theirs(candidate, admin_user):
    attempt = attempts.start_formal_attempt(candidate)
    item = attempt.items.select_related("question").first()
    old = item.question
    edited = Question.objects.get(pk=old.pk)
    edited.stem = "<p>新版本的题干</p>"
    new = save_question(edited, admin_user)
    assert new.pk != old.pk and new.version == old.version + 1 and new.family == old.family
    assert new.is_current and not Question.objects.get(pk=old.pk).is_current
    assert new.status == Question.Status.DRAFT
    item = AttemptItem.objects.select_related("question").get(pk=item.pk)
    assert item.question.pk == old.pk and item.question.stem == old.stem
    review(new, admin_user)
    assert Question.objects.get(pk=new.pk).status == "reviewed"


def test_changing_only_status_does_not_version(candidate):
    attempt = attempts.start_formal_attempt(candidate)
    q = attempt.items.first().question
    q.status = Question.Status.RETIRED
    saved = save_question(q)
    assert saved.pk == q.pk


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_then_import_round_trips(energy, fmt):
    content = export_bank(energy, fmt)
    before = Question.objects.filter(program=energy).count()
    counts = import_bank(energy, content, fmt)
    assert counts["created"] == 0 and counts["unchanged"] == before
    assert Question.objects.filter(program=energy).count() == before


@translation.override("en")
def test_import_is_all_or_nothing_and_reports_each_bad_row(energy):
    header = "code,type,levels,knowledge_point,stem,options,correct,points,difficulty,status,pool,reference_answer,rubric\n"
    rows = [
        'NEW1,single,,M1.1,新题一,"A. 甲\nB. 乙",A,1,2,reviewed,both,,\n',
        'NEW2,single,,M9,新题二,"A. 甲\nB. 乙",C,1,2,reviewed,both,,\n',
        'NEW3,multiple,expert,M1.1,新题三,"A. 甲\nB. 乙",A,1,9,reviewed,both,,\n',
        'NEW4,short,,M1.1,新题四,,,5,3,reviewed,both,,\n',
        'NEW1,single,,M1.1,重复,"A. 甲\nB. 乙",A,1,2,reviewed,both,,\n',
    ]
    before = Question.objects.filter(program=energy).count()
    with pytest.raises(ImportFailed) as err:
        import_bank(energy, (header + "".join(rows)).encode(), "csv")
    by_row = dict(err.value.errors)
    assert set(by_row) == {3, 4, 5, 6}
    assert "M9" in by_row[3] and "does not exist" in by_row[3]
    assert "expert" in by_row[4] and "two correct" in by_row[4] and "difficulty" in by_row[4]
    assert "reference answer" in by_row[5]
    assert "twice" in by_row[6]
    assert Question.objects.filter(program=energy).count() == before
    ok = import_bank(energy, (header + rows[0]).encode(), "csv")
    assert ok["created"] == 1
    assert Question.objects.get(program=energy, family="NEW1").options == [
        {"key": "A", "text": "甲"}, {"key": "B", "text": "乙"}]


@translation.override("en")
def test_import_rejects_missing_columns_and_unreadable_files(energy):
    with pytest.raises(ImportFailed) as err:
        import_bank(energy, b"code,type\nX,single\n", "csv")
    assert "missing columns" in err.value.errors[0][1]
    with pytest.raises(ImportFailed):
        import_bank(energy, b"not a spreadsheet", "xlsx")


def test_import_of_a_changed_used_question_creates_a_version(candidate, energy):
    import tablib

    attempt = attempts.start_formal_attempt(candidate)
    used = attempt.items.select_related("question").filter(question__kind="single").first().question
    data = tablib.Dataset().load(export_bank(energy, "csv").decode("utf-8-sig"), format="csv")
    rows = [dict(zip(data.headers, r, strict=False)) for r in data]
    for row in rows:
        if row["code"] == used.family:
            row["stem"] = "导入修改后的题干"
    out = tablib.Dataset(headers=data.headers)
    for row in rows:
        out.append([row[h] for h in data.headers])
    counts = import_bank(energy, out.export("csv").encode(), "csv")
    assert counts["updated"] == 1
    current = Question.objects.get(program=energy, family=used.family, is_current=True)
    assert current.version == used.version + 1 and current.status == "reviewed"
