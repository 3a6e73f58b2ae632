"""A way back in after a forgotten password.

1. **Reset by the exam office or a training organisation** (``reset_by_staff``): a one-time
   temporary password, shown once to the staff member who hands it over; the learner must
   change it at the next login (``must_change_password``); every reset is an entry in
   Wagtail's audit log (``accounts.password_reset``) naming who did it. Changing the password
   also ends the learner's other sessions (Django's session hash).
2. **By email** where the learner gave an address: Django's password-reset flow
   (``cms_site.accounts.views.account.PasswordReset*``), rate-limited per client address and per
   address typed; completing it is logged as ``accounts.password_reset_by_email``.
"""

import secrets

from django.contrib.auth import get_user_model
from django.db import transaction
from wagtail.log_actions import log

#: No 0/O, 1/l/I: the temporary password is read out or copied by hand.
_ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
RESET_BY_STAFF = "accounts.password_reset"
RESET_BY_EMAIL = "accounts.password_reset_by_email"


def temporary_password(length: int = 10) -> str:
    """Random, readable, with letters and digits (groups of five: ``abcde-12345``)."""
    while True:
        raw = "".join(secrets.choice(_ALPHABET) for _ in range(length))
        if any(c.isdigit() for c in raw) and any(c.isalpha() for c in raw):
            return f"{raw[:5]}-{raw[5:]}"


def can_reset_passwords(actor) -> bool:
    """The exam office: superusers, user administrators and registration reviewers."""
    if not (actor and actor.is_authenticated and actor.is_active):
        return False
    label = get_user_model()._meta.app_label
    return actor.is_superuser or actor.has_perm(f"{label}.change_user") or actor.has_perm("registration.review_registration")


@transaction.atomic
def reset_by_staff(learner, actor, *, via: str = "admin") -> str:
    """Give ``learner`` a temporary password that must be changed at the next login and
    write the audit entry; returns the temporary password (never stored in clear)."""
    password = temporary_password()
    learner.set_password(password)
    learner.must_change_password = True
    learner.save(update_fields=["password", "must_change_password"])
    log(instance=learner, action=RESET_BY_STAFF, user=actor, data={"via": via, "learner": learner.pk})
    return password


def record_email_reset(user) -> None:
    """The learner chose a new password through the emailed link."""
    if user.must_change_password:
        user.must_change_password = False
        user.save(update_fields=["must_change_password"])
    log(instance=user, action=RESET_BY_EMAIL, user=user, data={"via": "email"})
