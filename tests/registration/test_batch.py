"""Training organisations register candidates in batch: all-or-nothing, row by row."""

import io
import re
import zipfile

import pytest
import tablib
from django.urls import reverse

from course_content.registration.models import Registration, TrainingOrganisation
from course_content.registration.services.batch import COLUMNS, FILE_COLUMNS, import_batch
from tests.helpers import mainland_id

from .conftest import PDF_BYTES, image_bytes, upload


@pytest.fixture
def organisation(energy, make_learner):
    org = TrainingOrganisation.objects.create(name="北京节能培训中心", region="北京")
    org.programs.add(energy)
    account = make_learner(real_name="机构账号")
    org.members.add(account)
    org.account = account
    return org


def row(serial, **overrides):
    values = {
        "real_name": f"考生{serial}", "document_type": "身份证", "document_number": mainland_id(500 + serial),
        "phone": f"1380000{serial:04d}", "email": "", "level": "中级", "education": "本科", "major": "能源",
        "related_major": "否", "work_years": 1, "is_current_student": "否", "lower_certificate_years": "",
        "other_certificate_level": "", "other_certificate_years": "",
        "photo": f"p{serial}.jpg", "id_front": f"f{serial}.jpg", "id_back": f"b{serial}.jpg",
        "diploma": f"d{serial}.pdf", "work_proof": f"w{serial}.pdf", "other_proof": "", "application_form": "",
    }
    values.update(overrides)
    return [values[k] for k in COLUMNS] + [values[str(k)] for k in FILE_COLUMNS]


def spreadsheet(rows, fmt="xlsx"):
    data = tablib.Dataset(headers=[*COLUMNS.values(), *FILE_COLUMNS.values()])
    for values in rows:
        data.append(values)
    content = data.export(fmt)
    return upload(f"batch.{fmt}", content if isinstance(content, bytes) else content.encode("utf-8"))


def archive(serials, bad=None):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for n in serials:
            zf.writestr(f"photos/p{n}.jpg", image_bytes() if bad != ("photo", n) else image_bytes(490, 350))
            zf.writestr(f"f{n}.jpg", image_bytes(860, 540, (200, 200, 200)))
            zf.writestr(f"b{n}.jpg", image_bytes(860, 540, (200, 200, 200)) if bad != ("pdf", n) else PDF_BYTES)
            zf.writestr(f"d{n}.pdf", PDF_BYTES)
            zf.writestr(f"w{n}.pdf", PDF_BYTES)
    return upload("files.zip", buffer.getvalue())


def test_good_batch_creates_submitted_registrations(energy, organisation):
    result = import_batch(organisation, energy, spreadsheet([row(1), row(2)]), archive([1, 2]), organisation.account)
    assert result.errors == []
    assert len(result.created) == 2
    registration = Registration.objects.get(real_name="考生1")
    assert registration.status == "submitted" and registration.organisation == organisation
    assert registration.review_deadline and registration.eligibility_rule.startswith("本科")
    assert registration.materials.count() == 5


def test_csv_works_too(energy, organisation):
    result = import_batch(organisation, energy, spreadsheet([row(3)], "csv"), archive([3]), organisation.account)
    assert result.errors == [] and len(result.created) == 1


def test_one_bad_row_saves_nothing_and_every_problem_is_listed(energy, organisation):
    rows = [
        row(1),
        row(2, document_number="110105199003070010"),  # wrong check digit
        row(3, level="高级"),  # 本科 + 1 does not reach 高级
        row(4),  # landscape photo
        row(5, photo="missing.jpg"),
    ]
    result = import_batch(organisation, energy, spreadsheet(rows), archive([1, 2, 3, 4], bad=("photo", 4)), organisation.account)
    assert not result.created
    assert not Registration.objects.exists()
    text = "\n".join(result.errors)
    for number in (3, 4, 5, 6):  # spreadsheet rows (row 1 is the header)
        assert re.search(rf"(Row {number}:|第 {number} 行)", text), number
    assert "check digit" in text or "校验" in text
    assert "中级" in text  # told which lower level they qualify for
    assert "missing.jpg" in text
    assert not any(e.startswith(("Row 2:", "第 2 行")) for e in result.errors)


def test_duplicate_rows_and_pdf_as_id_are_refused(energy, organisation):
    rows = [row(1), row(1)]
    result = import_batch(organisation, energy, spreadsheet(rows), archive([1], bad=("pdf", 1)), organisation.account)
    assert not result.created
    text = "\n".join(result.errors)
    assert "PDF" in text and ("twice" in text or "重复" in text)


def test_unauthorised_program_is_refused(asset, organisation):
    result = import_batch(organisation, asset, spreadsheet([row(1)]), archive([1]), organisation.account)
    assert result.errors and not Registration.objects.exists()


def test_organisation_page_upload_status_and_fix(client, energy, organisation, reviewer):
    from course_content.registration.services import registrations

    client.force_login(organisation.account)
    url = reverse("registration:organisation", args=[organisation.pk])
    response = client.post(url, {"program": energy.pk, "spreadsheet": spreadsheet([row(1, level="高级")]),
                                 "archive": archive([1])})
    assert response.status_code == 200 and 'id="batch-errors"' in response.content.decode()
    response = client.post(url, {"program": energy.pk, "spreadsheet": spreadsheet([row(1)]), "archive": archive([1])})
    assert response.status_code == 302
    registration = Registration.objects.get()
    registrations.reject(registration, reviewer, "学历证书不清晰")
    html = client.get(url + "?status=rejected").content.decode()
    assert "学历证书不清晰" in html and 'data-status="rejected"' in html
    # The organisation fixes it: replace the diploma and resubmit.
    detail = reverse("registration:detail", args=[registration.pk])
    response = client.post(detail, {
        "real_name": "考生1", "document_type": "mainland_id", "document_number": registration.document_number,
        "phone": registration.phone, "education": "bachelor", "work_years": "1", "other_certificate_years": "0",
        "file_diploma": upload("clear.pdf", PDF_BYTES), "action": "submit",
    })
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.status == "submitted"
    assert registration.materials.get(kind="diploma").original_name == "clear.pdf"


def test_template_download(client, organisation):
    client.force_login(organisation.account)
    response = client.get(reverse("registration:batch_template", args=[organisation.pk]))
    data = tablib.Dataset().load(io.BytesIO(response.content), format="xlsx")
    assert data.headers[:3] == ["姓名", "证件类型", "证件号码"]


def test_oversized_zip_member_and_missing_columns(energy, organisation):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("p1.jpg", b"\xff\xd8\xff" + b"\0" * (20 * 1024 * 1024))  # 20 MB, compresses to ~20 KB
        for name in ("f1.jpg", "b1.jpg"):
            zf.writestr(name, image_bytes(860, 540, (200, 200, 200)))
        zf.writestr("d1.pdf", PDF_BYTES)
        zf.writestr("w1.pdf", PDF_BYTES)
    assert len(buffer.getvalue()) < 1024 * 1024
    result = import_batch(organisation, energy, spreadsheet([row(1)]), upload("f.zip", buffer.getvalue()), organisation.account)
    assert not result.created and any("p1.jpg" in e for e in result.errors)

    bare = tablib.Dataset(headers=["姓名"])
    bare.append(["张三"])
    result = import_batch(organisation, energy, upload("x.csv", bare.export("csv").encode()), None, organisation.account)
    assert result.errors and ("证件号码" in result.errors[0])
