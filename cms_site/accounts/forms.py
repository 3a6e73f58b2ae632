from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.users.forms import UserCreationForm, UserEditForm

from .services.identity import DocumentType


class IdentityLoginForm(AuthenticationForm):
    username = forms.CharField(
        label=_("ID number or phone"),
        max_length=64,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username", "autocapitalize": "characters"}),
        help_text=_("Hong Kong, Macau and Taiwan numbers without brackets, e.g. P9582702."),
    )
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("The ID number / phone or the password is wrong. Please check both and try again."),
    }


class InitialPasswordChangeForm(PasswordChangeForm):
    def clean_new_password1(self):
        new = self.cleaned_data.get("new_password1")
        if new and self.user.check_password(new):
            raise ValidationError(_("The new password must differ from the current one."), code="password_unchanged")
        return new

    def save(self, commit=True):
        self.user.must_change_password = False
        return super().save(commit=commit)


_IDENTITY_FIELDS = {
    "real_name": forms.CharField(label=_("real name"), max_length=100, required=False),
    "document_type": forms.ChoiceField(label=_("identity document type"), choices=DocumentType.choices),
    "document_number": forms.CharField(label=_("document number"), max_length=32, required=False),
    "phone": forms.CharField(label=_("phone"), max_length=20, required=False),
}


class AdminUserEditForm(UserEditForm):
    real_name = _IDENTITY_FIELDS["real_name"]
    document_type = _IDENTITY_FIELDS["document_type"]
    document_number = _IDENTITY_FIELDS["document_number"]
    phone = _IDENTITY_FIELDS["phone"]


class AdminUserCreationForm(UserCreationForm):
    real_name = _IDENTITY_FIELDS["real_name"]
    document_type = _IDENTITY_FIELDS["document_type"]
    document_number = _IDENTITY_FIELDS["document_number"]
    phone = _IDENTITY_FIELDS["phone"]
