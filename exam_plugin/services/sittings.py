"""Formal sittings from the program calendar, candidates and admission numbers.

The calendar rule is per-program settings (``sitting_months``, ``sitting_saturday``,
``sitting_start``/``sitting_end``, ``mock_days_before``…): energy — the third Saturday
of Feb/Apr/Jun/Aug/Oct/Dec 09:00–11:00; each dual-carbon track its own slot on the same
Saturday, with an unscored mock sitting the Tuesday before, 09:00–18:00.
"""

import calendar as pycalendar
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from course_content.models import Enrolment
from course_content.services.calendar import add_working_days
from course_content.services.calendar import sign_up_closes_at as exam_sign_up_closes_at
from course_content.services.ledger import hours_met
from plugins.signals import certificate_dates as certificate_dates_signal

from ..models import Candidate, ExamSitting
from .clock import exam_settings


def nth_saturday(year: int, month: int, n: int) -> date:
    """The ``n``-th Saturday of a month ("the Saturday of the third week" is n = 3;
    the handbook's example 2022-05-21 is the third Saturday of May 2022)."""
    first = date(year, month, 1)
    offset = (pycalendar.SATURDAY - first.weekday()) % 7
    return first + timedelta(days=offset + 7 * (n - 1))


@dataclass(frozen=True)
class PlannedSitting:
    kind: str
    starts_at: datetime
    ends_at: datetime
    scored: bool
    key: str


def _at(day: date, hhmm: str) -> datetime:
    hour, minute = (int(x) for x in hhmm.split(":"))
    return datetime.combine(day, time(hour, minute), tzinfo=ZoneInfo(settings.TIME_ZONE))


def exam_dates(rules: dict, start: date, end: date) -> list[date]:
    """Exam days of the rule between ``start`` and ``end`` (inclusive)."""
    months = sorted({int(m) for m in str(rules["sitting_months"]).split(",") if m.strip()})
    days = []
    for year in range(start.year, end.year + 1):
        for month in months:
            day = nth_saturday(year, month, int(rules["sitting_saturday"]))
            if start <= day <= end:
                days.append(day)
    return days


def planned_sittings(rules: dict, start: date, end: date) -> list[PlannedSitting]:
    """The formal (and mock) sittings the calendar rule gives between two dates."""
    planned = []
    for day in exam_dates(rules, start, end):
        if int(rules.get("mock_days_before") or 0):
            mock_day = day - timedelta(days=int(rules["mock_days_before"]))
            planned.append(PlannedSitting(
                "mock", _at(mock_day, rules["mock_start"]), _at(mock_day, rules["mock_end"]), False, f"mock-{day:%Y-%m-%d}"
            ))
        planned.append(PlannedSitting(
            "formal", _at(day, rules["sitting_start"]), _at(day, rules["sitting_end"]), True, f"formal-{day:%Y-%m-%d}"
        ))
    return planned


def results_release_at(program, sitting_day: date) -> datetime:
    days = int(exam_settings(program)["result_release_working_days"])
    return _at(add_working_days(sitting_day, days), "09:00")


@transaction.atomic
def generate_sittings(program, start: date, end: date, log=None) -> list[ExamSitting]:
    """Create the calendar's sittings between two dates that do not exist yet
    (idempotent: keyed by date; admins' edits to existing ones are kept)."""
    rules = exam_settings(program)
    created = []
    for plan in planned_sittings(rules, start, end):
        if ExamSitting.objects.filter(program=program, calendar_key=plan.key).exists():
            continue
        sitting = ExamSitting.objects.create(
            program=program, kind=plan.kind, starts_at=plan.starts_at, ends_at=plan.ends_at, scored=plan.scored,
            calendar_key=plan.key,
            results_released_at=results_release_at(program, timezone.localdate(plan.starts_at)) if plan.scored else None,
        )
        created.append(sitting)
        if log:
            log(f"  {program.program_path}: {sitting}")
    return created


def paired_formal(sitting):
    """The formal sitting a calendar mock sitting prepares for (same program, the
    Saturday ``mock_days_before`` later), or None."""
    if sitting.kind != sitting.Kind.MOCK or not sitting.calendar_key.startswith("mock-"):
        return None
    return ExamSitting.objects.filter(
        program_id=sitting.program_id, calendar_key="formal-" + sitting.calendar_key.removeprefix("mock-")
    ).first()


def paired_mock(sitting):
    """The calendar mock sitting before a formal sitting (the dual-carbon Tuesday), or None."""
    if sitting.kind != sitting.Kind.FORMAL or not sitting.calendar_key.startswith("formal-"):
        return None
    return ExamSitting.objects.filter(
        program_id=sitting.program_id, kind=ExamSitting.Kind.MOCK,
        calendar_key="mock-" + sitting.calendar_key.removeprefix("formal-"),
    ).first()


def sign_up_closes_at(sitting) -> datetime:
    """Sign-up rule (``course_content.services.calendar.sign_up_closes_at``: one week before the
    exam); a mock sitting follows its formal sitting (its candidates are admitted to the
    mock with the exam, see ``admit``)."""
    formal = paired_formal(sitting) or sitting
    return exam_sign_up_closes_at(formal.starts_at)


def certificate_dates(program, passed_on: date) -> dict | None:
    """``{"issue_date", "searchable_from"}`` of a certificate for a pass on ``passed_on``,
    as the certificate plugin answers ``plugins.signals.certificate_dates``; None when
    nobody answers (no certificate plugin on for the program): then no page shows one."""
    for _receiver, answer in certificate_dates_signal.send_robust(sender=program, passed_on=passed_on):
        if isinstance(answer, dict) and answer.get("issue_date") and answer.get("searchable_from"):
            return answer
    return None


def result_certificate_dates(attempt) -> dict | None:
    """Certificate dates for the result page: only for a released, valid, passed formal
    result of a scored sitting, counted from the sitting's day."""
    sitting = attempt.sitting
    if (
        sitting is None or attempt.mode != "formal" or not attempt.scored or attempt.status != "released"
        or not attempt.passed or attempt.invalidated
    ):
        return None
    return certificate_dates(sitting.program, timezone.localdate(sitting.starts_at))


def derived_dates(sitting) -> dict:
    """Dates a learner is shown for a sitting, counted in working days. An unscored
    sitting (the mock test) has no results, certificate or searchable date: those keys
    are None and pages leave them out; so are the certificate dates where no certificate
    plugin answers for the program."""
    day = timezone.localdate(sitting.starts_at)
    dates = {
        "exam_day": day,
        "registration_closes": timezone.localdate(sign_up_closes_at(sitting)),
        "results": None, "certificate": None, "searchable": None,
    }
    if sitting.kind == sitting.Kind.MOCK or not sitting.scored:
        return dates
    rules = exam_settings(sitting.program)
    dates["results"] = add_working_days(day, int(rules["result_release_working_days"]))
    certificate = certificate_dates(sitting.program, day)
    if certificate is not None:
        dates.update(certificate=certificate["issue_date"], searchable=certificate["searchable_from"])
    return dates


def upcoming_sittings(program, level=None, now=None, kinds=("formal", "make_up")):
    now = now or timezone.now()
    qs = ExamSitting.objects.filter(program=program, ends_at__gte=now, kind__in=kinds).prefetch_related("levels")
    return [s for s in qs.order_by("starts_at") if level is None or s.admits_level(level)]


def _registration_model():
    from django.apps import apps

    try:
        model = apps.get_model("registration", "Registration")
    except LookupError:
        return None
    fields = {f.name for f in model._meta.get_fields()}
    return model if {"candidate", "level", "status", "enrolment"} <= fields else None


def approved_registrations(enrolment):
    Registration = _registration_model()
    if Registration is None:
        return None
    return Registration.objects.filter(status="approved").filter(
        models.Q(enrolment=enrolment) | models.Q(candidate=enrolment.learner, level=enrolment.level)
    )


def registration_approved(enrolment) -> bool | None:
    """True/False for an enrolment that came from a registration (approved or not);
    None when the learner was enrolled otherwise (by an admin, a training-room pack) or
    the registration app is absent: then enrolment suffices."""
    approved = approved_registrations(enrolment)
    if approved is None or enrolment.source != Enrolment.Source.REGISTRATION:
        return None
    return approved.exists()


def admit_registered(enrolment, now=None) -> list[Candidate]:
    """Admit ``enrolment`` to the sittings chosen in its approved registrations, once it
    is eligible (called on approval and when the hours requirement is newly met)."""
    approved = approved_registrations(enrolment)
    if approved is None:
        return []
    now = now or timezone.now()
    admitted = []
    for sitting_id in approved.exclude(exam_sitting_id="").values_list("exam_sitting_id", flat=True):
        sitting = ExamSitting.objects.filter(pk=int(sitting_id) if str(sitting_id).isdigit() else 0,
                                             program=enrolment.program, starts_at__gt=now).first()
        if sitting is not None and not eligibility_problems(enrolment, sitting):
            admitted.append(admit(sitting, enrolment, check=False))
    return admitted


def eligibility_problems(enrolment, sitting) -> list[str]:
    """Why ``enrolment`` cannot sit ``sitting`` (translated), empty when it can."""
    problems = []
    if sitting.program_id != enrolment.program_id or not sitting.admits_level(enrolment.level):
        problems.append(_("This sitting is not for your program or level."))
    if registration_approved(enrolment) is False:
        problems.append(_("Your registration has not been approved yet."))
    if not hours_met(enrolment):
        problems.append(
            _("You need %(hours)s class hours before the exam.")
            % {"hours": f"{enrolment.level.required_hours.normalize():f}"}
        )
    if sitting.kind == sitting.Kind.MAKE_UP and sitting.repeats_id:
        from ..models import Attempt

        if not Attempt.objects.filter(sitting_id=sitting.repeats_id, enrolment=enrolment).exists() and not (
            Candidate.objects.filter(sitting_id=sitting.repeats_id, enrolment=enrolment).exists()
        ):
            problems.append(_("A make-up exam is for candidates of the sitting it repeats."))
    return problems


def admission_number(sitting, enrolment) -> str:
    """准考证号: exam date, program id, level digit, running number — e.g. 20261219-03-1-0007."""
    day = timezone.localdate(sitting.starts_at)
    level_digit = {"junior": 1, "intermediate": 2, "senior": 3}.get(enrolment.level.code, 0)
    serial = Candidate.objects.filter(sitting=sitting).count() + 1
    return f"{day:%Y%m%d}{sitting.pk:04d}{level_digit}{serial:04d}"


def admit(sitting, enrolment, *, check=True) -> Candidate:
    """Make ``enrolment`` a candidate of ``sitting`` (idempotent). Raises ValueError
    with the translated problems when it is not eligible and ``check`` is on.

    A candidate of a formal sitting is also admitted to the calendar mock sitting
    before it (the dual-carbon Tuesday mock test), which needs no separate sign-up."""
    existing = Candidate.objects.filter(sitting=sitting, enrolment=enrolment).first()
    if existing:
        return existing
    if check:
        problems = eligibility_problems(enrolment, sitting)
        if problems:
            raise ValueError(" ".join(problems))
    mock = paired_mock(sitting)
    if mock is not None and mock.admits_level(enrolment.level):
        _create_candidate(mock, enrolment)
    return _create_candidate(sitting, enrolment)


def _create_candidate(sitting, enrolment) -> Candidate:
    existing = Candidate.objects.filter(sitting=sitting, enrolment=enrolment).first()
    if existing:
        return existing
    for _try in range(5):
        try:
            with transaction.atomic():
                return Candidate.objects.create(
                    sitting=sitting, enrolment=enrolment, admission_number=admission_number(sitting, enrolment),
                    fee_paid=not sitting.fee_required,
                )
        except IntegrityError:
            existing = Candidate.objects.filter(sitting=sitting, enrolment=enrolment).first()
            if existing:
                return existing
    raise RuntimeError("could not allocate an admission number")


def admit_eligible(sitting) -> tuple[int, int]:
    """Admit every eligible enrolment of the sitting's program/levels; (admitted, skipped)."""
    admitted = skipped = 0
    for enrolment in Enrolment.objects.filter(program=sitting.program).select_related("level", "program", "learner"):
        if Candidate.objects.filter(sitting=sitting, enrolment=enrolment).exists():
            continue
        if eligibility_problems(enrolment, sitting):
            skipped += 1
            continue
        admit(sitting, enrolment, check=False)
        admitted += 1
    return admitted, skipped


def create_make_up(sitting, *, starts_at, ends_at, fee_required=None, by=None) -> ExamSitting:
    """A make-up sitting (补考) repeating ``sitting``; the fee follows the program setting
    unless given."""
    fee = int(exam_settings(sitting.program)["make_up_fee_cny"])
    make_up = ExamSitting.objects.create(
        program=sitting.program, kind=ExamSitting.Kind.MAKE_UP, title=_("Make-up exam"), starts_at=starts_at,
        ends_at=ends_at, repeats=sitting, fee_required=bool(fee) if fee_required is None else fee_required,
        fee_cny=fee, results_released_at=results_release_at(sitting.program, timezone.localdate(starts_at)),
    )
    make_up.levels.set(sitting.levels.all())
    return make_up
