from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import Case, IntegerField, Q, Value, When

from .services.identity import normalise_document_number, normalise_phone


def login_accounts(identifier):
    """The accounts a typed login identifier can mean, most specific first.

    One function decides this for both the password check (``IdentityBackend``) and the
    lockout key (``cms_site.accounts.services.lockout``), so every spelling that logs in to an
    account also counts against that account's lockout. Accepted spellings: a staff
    username as typed; a document number in any spelling (letter case, spaces, hyphens,
    half- or full-width brackets); a phone with or without ``+86``/``0086`` and with
    spaces, hyphens or brackets. Order: exact username, then document number, then phone.
    """
    identifier = (identifier or "").strip()
    if not identifier:
        return []
    query = Q(username=identifier)
    document_number = normalise_document_number(identifier)
    if document_number:
        query |= Q(document_number=document_number)
    phone = normalise_phone(identifier)
    if phone:
        query |= Q(phone=phone)
    rank = Case(
        When(username=identifier, then=Value(0)),
        When(document_number=document_number, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return list(get_user_model()._default_manager.filter(query).annotate(login_rank=rank).order_by("login_rank", "pk")[:3])


class IdentityBackend(ModelBackend):
    """Log in with a document number (any spelling: brackets, spaces, lower-case x)
    **or** a phone number **or** a staff username, plus the password.

    Known and unknown identifiers cost the same: one password hash each."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if not username or password is None:
            return None
        candidates = login_accounts(username)
        if not candidates:
            # Same cost as a real check, so timing does not reveal which identifiers exist.
            get_user_model()().set_password(password)
            return None
        for user in candidates:
            if user.check_password(password) and self.user_can_authenticate(user):
                return user
        return None
