"""Batch registration by a training organisation: a spreadsheet plus a zip of files.

Every row is validated (identity, phone, level, answers, eligibility, each referenced
file through the same upload checks as the web form) before anything is written; one
bad row means nothing is saved and every problem is reported with its row number
(all-or-nothing). Accepted rows become submitted registrations of the organisation.
"""

import io
import zipfile
from dataclasses import dataclass, field
from pathlib import PurePosixPath

import tablib
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cms_site.accounts.services.identity import DocumentType, clean_document_number, clean_phone

from ..models import CertificateLevel, Education, Material, Registration
from . import eligibility, registrations
from .uploads import check_upload, max_upload_bytes

# Column header (Chinese as printed on the template, or the English key) → field.
COLUMNS = {
    "real_name": "姓名", "document_type": "证件类型", "document_number": "证件号码", "phone": "手机号",
    "email": "邮箱", "level": "报考等级", "education": "学历", "major": "专业", "related_major": "相关专业",
    "work_years": "相关工作年限", "is_current_student": "在校学生", "lower_certificate_years": "持下一级证书年限",
    "other_certificate_level": "其他证书等级", "other_certificate_years": "其他证书年限",
}
FILE_COLUMNS = {
    Material.Kind.PHOTO: "照片", Material.Kind.ID_FRONT: "身份证正面", Material.Kind.ID_BACK: "身份证反面",
    Material.Kind.DIPLOMA: "学历证书", Material.Kind.WORK_PROOF: "工作证明", Material.Kind.OTHER_PROOF: "其他证明",
    Material.Kind.APPLICATION_FORM: "报名审核表",
}
REQUIRED_COLUMNS = ("real_name", "document_number", "phone", "level", "education")
MAX_ROWS = 500
MAX_ARCHIVE_MEMBERS = 5000

_YES = {"是", "yes", "y", "true", "1", "√", "有"}
_NO = {"否", "no", "n", "false", "0", "", "无"}
_EDUCATION_NAMES = {"高中": "high_school", "中专": "secondary_vocational", "大专": "junior_college",
                    "本科": "bachelor", "研究生": "postgraduate"}
_LEVEL_NAMES = {"初级": "junior", "中级": "intermediate", "高级": "senior"}
_DOCUMENT_NAMES = {"身份证": "mainland_id", "居民身份证": "mainland_id", "香港身份证": "hong_kong",
                   "澳门身份证": "macau", "台湾": "taiwan", "护照": "passport"}


@dataclass
class BatchResult:
    errors: list[str] = field(default_factory=list)
    created: list[Registration] = field(default_factory=list)


def template_dataset() -> tablib.Dataset:
    """The empty spreadsheet organisations fill in (Chinese headers, one example row)."""
    headers = [*COLUMNS.values(), *FILE_COLUMNS.values()]
    data = tablib.Dataset(headers=headers)
    data.append(["张三", "身份证", "110105199003070019", "13800138000", "", "中级", "本科", "能源与动力工程", "是",
                 "1", "否", "", "", "", "zhangsan.jpg", "zhangsan-id-front.jpg", "zhangsan-id-back.jpg",
                 "zhangsan-diploma.pdf", "zhangsan-work.pdf", "", ""])
    return data


def read_spreadsheet(upload) -> tablib.Dataset:
    name = (upload.name or "").lower()
    raw = upload.read()
    try:
        if name.endswith(".csv"):
            text = raw.decode("utf-8-sig")
            return tablib.Dataset().load(text, format="csv")
        if name.endswith(".xlsx"):
            return tablib.Dataset().load(io.BytesIO(raw), format="xlsx")
    except Exception as err:  # noqa: BLE001 - any parser failure is the same user error
        raise ValidationError(_("The spreadsheet could not be read: %(error)s") % {"error": err}) from err
    raise ValidationError(_("Please upload the spreadsheet as .xlsx or .csv."))


def _header_map(headers) -> dict[str, str]:
    by_name = {}
    for key, label in [*COLUMNS.items(), *FILE_COLUMNS.items()]:
        by_name[label] = key
        by_name[str(key)] = key
    return {str(h).strip(): by_name[str(h).strip()] for h in headers if h and str(h).strip() in by_name}


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _bool(value, label, problems) -> bool:
    text = _text(value).lower()
    if text in _YES:
        return True
    if text in _NO:
        return False
    problems.append(_("%(column)s must be 是 or 否, not “%(value)s”.") % {"column": label, "value": text})
    return False


def _int(value, label, problems, allow_empty=False):
    text = _text(value)
    if not text:
        return None if allow_empty else 0
    if text.isdigit() and int(text) <= 60:
        return int(text)
    problems.append(_("%(column)s must be a whole number of years, not “%(value)s”.") % {"column": label, "value": text})
    return None if allow_empty else 0


def _choice(value, names, choices, label, problems, allow_empty=False) -> str:
    text = _text(value)
    if not text and allow_empty:
        return ""
    code = names.get(text, text.lower())
    if code in choices.values:
        return code
    problems.append(_("%(column)s: “%(value)s” is not one of the allowed values.") % {"column": label, "value": text})
    return ""


class _Archive:
    """The zip of files, read member by member with declared-size checks (zip bombs)."""

    def __init__(self, upload):
        self.members = {}
        if upload is None:
            self.zip = None
            return
        try:
            self.zip = zipfile.ZipFile(upload)
        except zipfile.BadZipFile as err:
            raise ValidationError(_("The file archive is not a valid zip file.")) from err
        infos = [info for info in self.zip.infolist() if not info.is_dir()]
        if len(infos) > MAX_ARCHIVE_MEMBERS:
            raise ValidationError(_("The zip holds too many files."))
        for info in infos:
            self.members[PurePosixPath(info.filename.replace("\\", "/")).name] = info

    def get(self, name):
        info = self.members.get(PurePosixPath(name.replace("\\", "/")).name)
        if info is None:
            return None
        if info.file_size > max_upload_bytes():
            return SimpleUploadedFile(name, b"", content_type="application/octet-stream"), info.file_size
        with self.zip.open(info) as member:
            content = member.read(max_upload_bytes() + 1)
        return SimpleUploadedFile(PurePosixPath(info.filename).name, content), len(content)


def _row_registration(program, organisation, row, problems, archive, user):
    levels = {level.code: level for level in program.levels.all()}
    values = {key: row.get(key) for key in [*COLUMNS, *FILE_COLUMNS]}
    for key in REQUIRED_COLUMNS:
        if not _text(values.get(key)):
            problems.append(_("%(column)s is empty.") % {"column": COLUMNS[key]})
    document_type = _choice(values["document_type"] or "身份证", _DOCUMENT_NAMES, DocumentType, COLUMNS["document_type"], problems)
    number, phone = "", ""
    if _text(values["document_number"]) and document_type:
        try:
            number = clean_document_number(document_type, _text(values["document_number"]))
        except ValidationError as err:
            problems.extend(f"{COLUMNS['document_number']}: {m}" for m in err.messages)
    if _text(values["phone"]):
        try:
            phone = clean_phone(_text(values["phone"]))
        except ValidationError as err:
            problems.extend(f"{COLUMNS['phone']}: {m}" for m in err.messages)
    level_code = _LEVEL_NAMES.get(_text(values["level"]), _text(values["level"]).lower())
    level = levels.get(level_code)
    if _text(values["level"]) and level is None:
        problems.append(_("报考等级: “%(value)s” is not a level of this program.") % {"value": _text(values["level"])})
    registration = Registration(
        program=program, level=level, organisation=organisation, created_by=user,
        real_name=_text(values["real_name"]), document_type=document_type or DocumentType.MAINLAND_ID,
        document_number=number, phone=phone, email=_text(values["email"]), major=_text(values["major"]),
        education=_choice(values["education"], _EDUCATION_NAMES, Education, COLUMNS["education"], problems),
        related_major=_bool(values["related_major"], COLUMNS["related_major"], problems),
        work_years=_int(values["work_years"], COLUMNS["work_years"], problems),
        is_current_student=_bool(values["is_current_student"], COLUMNS["is_current_student"], problems),
        lower_certificate_years=_int(values["lower_certificate_years"], COLUMNS["lower_certificate_years"], problems, allow_empty=True),
        other_certificate_level=_choice(values["other_certificate_level"], _LEVEL_NAMES, CertificateLevel,
                                        COLUMNS["other_certificate_level"], problems, allow_empty=True),
        other_certificate_years=_int(values["other_certificate_years"], COLUMNS["other_certificate_years"], problems),
    )
    if number:
        registration.candidate = get_user_model().objects.filter(document_number=number).first()
    if level is not None and number:
        if Registration.objects.filter(level=level, document_number=number).exclude(status=Registration.Status.REJECTED).exists():
            problems.append(_("This candidate is already registered for this level."))
    files = []
    rule = None
    if level is not None:
        result = eligibility.evaluate(level, eligibility.CandidateFacts.of(registration))
        rule = result.met_rule
        if not result.eligible:
            lower = eligibility.best_lower_level(level, eligibility.CandidateFacts.of(registration))
            problems.append(
                _("The candidate meets none of the conditions for %(level)s.") % {"level": level.name}
                + (" " + _("They qualify for %(level)s.") % {"level": lower.name} if lower else "")
            )
        else:
            registration.eligibility_rule = rule.description if rule else ""
    needed = set(registrations.REQUIRED_KINDS)
    if rule is not None and rule.min_work_years:
        needed.add(Material.Kind.WORK_PROOF)
    if rule is not None and (rule.certificate or rule.current_student_required):
        needed.add(Material.Kind.OTHER_PROOF)
    for kind, label in FILE_COLUMNS.items():
        name = _text(values.get(kind))
        if not name:
            if kind in needed:
                problems.append(_("%(column)s: no file given.") % {"column": label})
            continue
        found = archive.get(name) if archive else None
        if found is None:
            problems.append(_("%(column)s: “%(name)s” is not in the zip.") % {"column": label, "name": name})
            continue
        upload, size = found
        upload.size = size
        try:
            checked = check_upload(upload, kind, program=program, level=level)
        except ValidationError as err:
            problems.extend(f"{label}: {m}" for m in err.messages)
        else:
            files.append((kind, upload, checked.content_type))
    return registration, files


def import_batch(organisation, program, spreadsheet, archive_upload, user, now=None) -> BatchResult:
    """Validate every row; if all pass, create the submitted registrations (atomically)."""
    result = BatchResult()
    if not organisation.is_active or not organisation.programs.filter(pk=program.pk).exists():
        result.errors.append(_("Your organisation is not authorised for this program."))
        return result
    try:
        dataset = read_spreadsheet(spreadsheet)
        archive = _Archive(archive_upload)
    except ValidationError as err:
        result.errors.extend(err.messages)
        return result
    headers = _header_map(dataset.headers or [])
    missing = [COLUMNS[key] for key in REQUIRED_COLUMNS if key not in headers.values()]
    if missing:
        result.errors.append(_("Columns missing from the spreadsheet: %(columns)s.") % {"columns": "、".join(missing)})
        return result
    if not dataset.height:
        result.errors.append(_("The spreadsheet has no rows."))
        return result
    if dataset.height > MAX_ROWS:
        result.errors.append(_("At most %(n)s rows per upload.") % {"n": MAX_ROWS})
        return result
    prepared, seen = [], set()
    for index, raw in enumerate(dataset.dict, start=2):  # row 1 is the header
        row = {headers[h]: v for h, v in raw.items() if h in headers}
        if not any(_text(v) for v in row.values()):
            continue
        problems = []
        registration, files = _row_registration(program, organisation, row, problems, archive, user)
        key = (registration.document_number, registration.level_id)
        if registration.document_number and key in seen:
            problems.append(_("The same candidate and level appear twice in the spreadsheet."))
        seen.add(key)
        result.errors.extend(_("Row %(row)s: %(problem)s") % {"row": index, "problem": p} for p in problems)
        prepared.append((registration, files))
    if result.errors:
        return result
    now = now or timezone.now()
    with transaction.atomic():
        for registration, files in prepared:
            registration.status = Registration.Status.SUBMITTED
            registration.submitted_at = now
            registration.review_deadline = registrations.review_deadline_for(now)
            registration.save()
            for kind, upload, content_type in files:
                upload.seek(0)
                registrations.store_material(registration, kind, upload, content_type)
            result.created.append(registration)
    return result
