"""Accounts: one ``User`` per person, learners identified by their identity document."""

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..services.identity import DocumentType, clean_document_number, clean_phone


class LearnerManager(UserManager):
    def create_learner(self, *, real_name, document_type, document_number, password, phone=None, **extra):
        """A learner account; the normalised document number doubles as the username."""
        number = clean_document_number(document_type, document_number)
        user = self.model(
            username=number,
            real_name=real_name,
            document_type=document_type,
            document_number=number,
            phone=clean_phone(phone) if phone else None,
            **extra,
        )
        user.set_password(password)
        user.save()
        return user


class User(AbstractUser):
    """A person: learner, editor, admin, proctor or grader (roles are groups).

    ``document_number`` is stored normalised (see ``services.identity``) and is unique; staff
    accounts created from the command line may have none. ``phone`` is optional but
    unique, so either identifies one account at login.
    """

    real_name = models.CharField(_("real name"), max_length=100, blank=True)
    document_type = models.CharField(
        _("identity document type"), max_length=20, choices=DocumentType.choices, default=DocumentType.MAINLAND_ID
    )
    document_number = models.CharField(_("document number"), max_length=32, unique=True, null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=20, unique=True, null=True, blank=True)
    must_change_password = models.BooleanField(
        _("must change password"), default=False,
        help_text=_("Set when the account has an initial password; cleared when the user changes it."),
    )

    objects = LearnerManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def clean(self):
        super().clean()
        errors = {}
        if self.document_number:
            try:
                self.document_number = clean_document_number(self.document_type, self.document_number)
            except ValidationError as err:
                errors["document_number"] = err.messages
        else:
            self.document_number = None
        if self.phone:
            try:
                self.phone = clean_phone(self.phone)
            except ValidationError as err:
                errors["phone"] = err.messages
        else:
            self.phone = None
        if errors:
            raise ValidationError(errors)

    def get_full_name(self):
        return self.real_name or super().get_full_name() or self.username

    def __str__(self):
        return self.real_name or self.username
