"""Demo accounts for the dev site: one per role, credentials printed by the run command."""

from django.contrib.auth import get_user_model

from cms_site.accounts.services import roles
from cms_site.accounts.services.identity import DocumentType, mainland_check_character

from ..models import ProgramLevel, ProgramPage
from .enrolment import create_learner_account, enrol


def demo_mainland_id(serial: int) -> str:
    first17 = f"11010519900307{serial:03d}"
    return first17 + mainland_check_character(first17)


STAFF = [
    ("admin", "Admin-Demo-2026", None, "superuser"),
    ("editor", "Editor-Demo-2026", roles.CONTENT_EDITOR, "content editor"),
    ("programadmin", "Program-Demo-2026", roles.PROGRAM_ADMIN, "program admin"),
    ("proctor", "Proctor-Demo-2026", roles.PROCTOR, "proctor"),
    ("grader", "Grader-Demo-2026", roles.GRADER, "grader"),
]


def _staff(username, password, role):
    User = get_user_model()
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, real_name=username.title(), is_staff=True, is_superuser=role is None)
        user.set_password(password)
        user.save()
    if role:
        user.groups.add(roles.group(role))
    return user


def create_demo_accounts() -> list[str]:
    """Idempotent; returns printable credential lines."""
    lines = []
    for username, password, role, label in STAFF:
        _staff(username, password, role)
        lines.append(f"{label:15} {username} / {password}  (/admin/)")

    User = get_user_model()
    energy = ProgramPage.objects.get(slug="energy")
    hk = User.objects.filter(document_number="P9582702").first() or create_learner_account(
        energy, real_name="陈大文", document_type=DocumentType.HONG_KONG, document_number="P958270(2)", phone="13800138000"
    )
    enrol(hk, ProgramLevel.objects.get(program=energy, code="junior"))
    lines.append("learner         P9582702 / 2702  (energy 初级; initial password, you will be asked to change it)")

    number = demo_mainland_id(1)
    learner = User.objects.filter(document_number=number).first()
    if learner is None:
        learner = User.objects.create_learner(
            real_name="李晓明", document_type=DocumentType.MAINLAND_ID, document_number=number,
            phone="13900139000", password="Learner-Demo-2026",
        )
    enrol(learner, ProgramLevel.objects.get(program=energy, code="intermediate"))
    asset = ProgramPage.objects.get(slug="asset")
    enrol(learner, ProgramLevel.objects.get(program=asset, code="junior"))
    lines.append(f"learner         {number} or 13900139000 / Learner-Demo-2026  (energy 中级, dual-carbon asset 初级)")
    lines.append(_dual_carbon_learner())
    return lines


def _dual_carbon_learner() -> str:
    """A dual-carbon candidate as the pre-read has them: the account is the registered phone
    (the admission number), the password the program-set initial one, changed at first login."""
    User = get_user_model()
    emission = ProgramPage.objects.get(slug="emission")
    phone = "13700137000"
    learner = User.objects.filter(phone=phone).first() or create_learner_account(
        emission, real_name="王碳", document_type=DocumentType.MAINLAND_ID, document_number=demo_mainland_id(2), phone=phone,
    )
    enrol(learner, ProgramLevel.objects.get(program=emission, code="junior"))
    password = emission.initial_password or "(the program's initial password)"
    return (f"dual-carbon     {phone} / {password}  (碳排放管理技术 初级; phone = admission number, "
            "or the ID number; initial password, you will be asked to change it)")
