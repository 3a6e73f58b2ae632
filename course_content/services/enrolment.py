from django.contrib.auth import get_user_model
from django.db import transaction

from cms_site.accounts.services.roles import LEARNER, group

from ..models import Enrolment, InitialPasswordRule


@transaction.atomic
def enrol(learner, level, source=Enrolment.Source.ADMIN) -> tuple[Enrolment, bool]:
    """Enrol ``learner`` at ``level`` (idempotent); sends ``enrolment_created`` once."""
    from ..signals import enrolment_created

    enrolment, created = Enrolment.objects.get_or_create(
        learner=learner, program=level.program, level=level, defaults={"source": source}
    )
    if created:
        learner.groups.add(group(LEARNER))
        enrolment_created.send_robust(sender=enrolment.program, enrolment=enrolment)
    return enrolment, created


def create_learner_account(program, *, real_name, document_type, document_number, phone=None):
    """A learner account with the program's initial password, to be changed at first login.

    Raises ``ValidationError`` for a malformed document number or phone.
    """
    from cms_site.accounts.services.identity import clean_document_number

    number = clean_document_number(document_type, document_number)
    return get_user_model().objects.create_learner(
        real_name=real_name,
        document_type=document_type,
        document_number=number,
        phone=phone,
        password=initial_password_for(program, number),
        must_change_password=True,
    )


def initial_password_for(program, document_number: str) -> str:
    """The program's conventional initial password for a learner (must be changed)."""
    from cms_site.accounts.services.identity import last_four

    if program.initial_password_rule == InitialPasswordRule.PROGRAM_SET and program.initial_password:
        return program.initial_password
    return last_four(document_number)
