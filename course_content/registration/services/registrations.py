"""Registration domain operations: start, store materials, submit, approve, reject.

Views and the batch import call these; tests call them directly. Every state change of
a registration happens here so the rules (eligibility, required materials, the sitting's
closing time, the review deadline, the signals) cannot be skipped by a view.
"""

from datetime import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from course_content.models import Enrolment
from course_content.services.calendar import add_working_days, sign_up_closes_at
from course_content.services.enrolment import create_learner_account, enrol

from ..models import Material, Registration, TrainingOrganisation
from ..signals import exam_sittings_for_registration, registration_approved, registration_reviewed
from . import eligibility

REQUIRED_KINDS = (Material.Kind.ID_FRONT, Material.Kind.ID_BACK, Material.Kind.DIPLOMA, Material.Kind.PHOTO)
REVIEW_WORKING_DAYS = 1


# --- who may see what -------------------------------------------------------------------

def can_review(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.has_perm("registration.review_registration"))


def organisations_of(user):
    if not user.is_authenticated:
        return TrainingOrganisation.objects.none()
    return TrainingOrganisation.objects.filter(members=user, is_active=True)


def visible_registrations(user):
    """Registrations ``user`` may open: their own, their organisation's, or all for reviewers."""
    if not user.is_authenticated:
        return Registration.objects.none()
    if can_review(user):
        return Registration.objects.all()
    return Registration.objects.filter(
        Q(candidate=user) | Q(organisation__in=organisations_of(user))
    ).distinct()


def editable_by(registration, user) -> bool:
    """The candidate or their organisation edits drafts and returned registrations."""
    if not registration.is_editable or not user.is_authenticated:
        return False
    if registration.candidate_id == user.pk:
        return True
    return registration.organisation_id is not None and organisations_of(user).filter(pk=registration.organisation_id).exists()


# --- starting and filling in ------------------------------------------------------------

def start_registration(user, level) -> Registration:
    """The candidate's registration for ``level`` (whatever its status: one per level),
    or a new draft prefilled from the account."""
    existing = Registration.objects.filter(candidate=user, level=level).order_by("-created_at").first()
    if existing is not None:
        return existing
    return Registration.objects.create(
        program=level.program, level=level, candidate=user, created_by=user,
        real_name=user.real_name, document_type=user.document_type,
        document_number=user.document_number or "", phone=user.phone or "", email=user.email or "",
    )


def save_valid_fields(registration, values: dict) -> Registration:
    """Store ``values`` (fields that passed validation, ``RegistrationForm.valid_values``)
    on the stored registration and nothing else.

    The instance a failed form validated holds the rejected values too, so it is never
    saved: the row is read afresh, only ``values`` are set and only their columns written.
    """
    fresh = Registration.objects.get(pk=registration.pk)
    for name, value in values.items():
        setattr(fresh, name, value)
    fresh.save(update_fields=[*values, "updated_at"])
    return fresh


def preview_with(registration, values: dict) -> Registration:
    """An unsaved copy of the stored registration with ``values`` applied (what the
    eligibility preview evaluates; rejected values never take part)."""
    preview = Registration.objects.get(pk=registration.pk)
    for name, value in values.items():
        setattr(preview, name, value)
    return preview


def store_material(registration, kind, upload, content_type) -> Material:
    """Save an already-checked upload as the registration's ``kind`` file (replacing any)."""
    old = registration.materials.filter(kind=kind).first()
    if old is not None:
        old.file.delete(save=False)
        old.delete()
    material = Material(
        registration=registration, kind=kind, content_type=content_type,
        original_name=upload.name[:255], size=upload.size,
    )
    material.file.save(upload.name, upload, save=False)
    material.save()
    return material


# --- exam sittings and the registration deadline ---------------------------------------

def exam_sittings(program, level, now=None) -> list[dict]:
    """Sittings an installed exam plugin offers for ``level`` that are still open.

    Empty when no plugin answers (registration is then for study only).
    """
    now = now or timezone.now()
    sittings = []
    for _receiver, answer in exam_sittings_for_registration.send_robust(sender=program, level=level):
        if not isinstance(answer, list):
            continue
        for sitting in answer:
            try:
                if sign_up_closes_at(sitting["starts_at"]) > now:
                    sittings.append({**sitting, "id": str(sitting["id"]), "closes_at": sign_up_closes_at(sitting["starts_at"])})
            except (KeyError, TypeError):
                continue
    return sorted(sittings, key=lambda s: s["starts_at"])


# --- submission -------------------------------------------------------------------------

def missing_materials(registration, rule=None) -> list[str]:
    """Kinds still to upload: the four always needed, proof of work when the rule met
    counts work years, other proof when it counts a certificate or student status."""
    have = set(registration.materials.values_list("kind", flat=True))
    needed = list(REQUIRED_KINDS)
    if rule is not None and rule.min_work_years:
        needed.append(Material.Kind.WORK_PROOF)
    if rule is not None and (rule.certificate or rule.current_student_required):
        needed.append(Material.Kind.OTHER_PROOF)
    return [kind for kind in needed if kind not in have]


def submission_problems(registration, now=None) -> list[str]:
    """Everything that stops ``registration`` from being submitted (translated)."""
    problems = []
    labels = {
        "real_name": _("real name"), "document_number": _("document number"), "phone": _("phone"),
        "education": _("education"),
    }
    for name, label in labels.items():
        if not getattr(registration, name):
            problems.append(_("Please fill in: %(field)s.") % {"field": label})
    result = eligibility.evaluate(registration.level, eligibility.CandidateFacts.of(registration))
    if not result.eligible:
        problems.append(_("You do not meet any of the conditions for this level yet."))
    kinds = dict(Material.Kind.choices)
    for kind in missing_materials(registration, result.met_rule):
        problems.append(_("Please upload: %(material)s.") % {"material": kinds[kind]})
    if registration.exam_sitting_starts_at and sign_up_closes_at(registration.exam_sitting_starts_at) <= (now or timezone.now()):
        problems.append(
            _("Registration for the sitting %(sitting)s closed on %(date)s; choose another sitting or study only.")
            % {
                "sitting": registration.exam_sitting_label,
                "date": timezone.localtime(sign_up_closes_at(registration.exam_sitting_starts_at)).strftime("%Y-%m-%d %H:%M"),
            }
        )
    return problems


def review_deadline_for(submitted_at: datetime):
    """One working day after the submission day (Chinese working-day calendar)."""
    return add_working_days(timezone.localdate(submitted_at), REVIEW_WORKING_DAYS)


@transaction.atomic
def submit(registration, now=None) -> Registration:
    """Submit for review; raises ``ValidationError`` listing what is missing (nothing changes)."""
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if not registration.is_editable:
        raise ValidationError(_("This registration has already been submitted."))
    problems = submission_problems(registration, now=now)
    if problems:
        raise ValidationError(problems)
    now = now or timezone.now()
    rule = eligibility.evaluate(registration.level, eligibility.CandidateFacts.of(registration)).met_rule
    registration.status = Registration.Status.SUBMITTED
    registration.submitted_at = now
    registration.review_deadline = review_deadline_for(now)
    registration.eligibility_rule = rule.description if rule else ""
    registration.save()
    return registration


def is_overdue(registration, today=None) -> bool:
    today = today or timezone.localdate()
    return (
        registration.status == Registration.Status.SUBMITTED
        and registration.review_deadline is not None
        and today > registration.review_deadline
    )


# --- review -----------------------------------------------------------------------------

def _candidate_account(registration):
    """The candidate's account: the linked one, the one with this document number, or a
    new learner account with the program's initial password (must be changed)."""
    if registration.candidate_id:
        return registration.candidate
    User = get_user_model()
    user = User.objects.filter(document_number=registration.document_number).first()
    if user is not None:
        return user
    phone = registration.phone or None
    if phone and User.objects.filter(phone=phone).exists():
        phone = None  # the phone belongs to someone else; the account still identifies by ID
    return create_learner_account(
        registration.program, real_name=registration.real_name, document_type=registration.document_type,
        document_number=registration.document_number, phone=phone,
    )


def approve(registration, reviewer) -> Enrolment:
    """Approve: create the account if needed, enrol (source=registration), send signals."""
    with transaction.atomic():
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.status != Registration.Status.SUBMITTED:
            raise ValidationError(_("Only a submitted registration can be approved."))
        candidate = _candidate_account(registration)
        enrolment, _created = enrol(candidate, registration.level, source=Enrolment.Source.REGISTRATION)
        registration.candidate = candidate
        registration.enrolment = enrolment
        registration.status = Registration.Status.APPROVED
        registration.reviewed_at = timezone.now()
        registration.reviewed_by = reviewer
        registration.rejection_reason = ""
        registration.save()
    photo = registration.material(Material.Kind.PHOTO)
    photo_path = photo.file.path if photo else None
    registration_approved.send_robust(
        sender=registration.program, registration=registration, enrolment=enrolment, photo_path=photo_path
    )
    registration_reviewed.send_robust(sender=registration.program, registration=registration, approved=True, reason="")
    return enrolment


def reject(registration, reviewer, reason: str) -> Registration:
    """Return the registration for correction with a reason the candidate sees."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Please give the reason, so the candidate knows what to fix."))
    with transaction.atomic():
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.status != Registration.Status.SUBMITTED:
            raise ValidationError(_("Only a submitted registration can be returned."))
        registration.status = Registration.Status.REJECTED
        registration.rejection_reason = reason
        registration.reviewed_at = timezone.now()
        registration.reviewed_by = reviewer
        registration.save()
    registration_reviewed.send_robust(
        sender=registration.program, registration=registration, approved=False, reason=reason
    )
    return registration
