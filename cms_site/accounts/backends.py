from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import Q

from .identity import normalise_document_number, normalise_phone


class IdentityBackend(ModelBackend):
    """Log in with a document number (any spelling: brackets, spaces, lower-case x)
    **or** a phone number **or** a staff username, plus the password."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if not username or password is None:
            return None
        identifier = username.strip()
        query = Q(username=identifier) | Q(document_number=normalise_document_number(identifier))
        phone = normalise_phone(identifier)
        if phone:
            query |= Q(phone=phone)
        candidates = list(get_user_model()._default_manager.filter(query)[:3])
        if not candidates:
            # Same cost as a real check, so timing does not reveal which identifiers exist.
            get_user_model()().set_password(password)
            return None
        for user in candidates:
            if user.check_password(password) and self.user_can_authenticate(user):
                return user
        return None
