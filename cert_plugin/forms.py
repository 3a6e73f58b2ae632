import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from course_content.models import ProgramPage


class CertSettingsForm(forms.Form):
    """Per-program certificate settings. Issuer, titles and number prefix have no
    defaults: each program sets its own (fixtures/programs.toml for the shipped programs),
    and the plugin cannot be switched on for a program until they are filled in
    (``plugins.services.settings_problems``). The lags default to the energy handbook's
    45/50 working days, the only figures the sources give."""

    issuer = forms.CharField(label=pgettext_lazy("certificate", "Issuer"), max_length=200)
    title_junior = forms.CharField(label=_("Certificate title, junior level"), max_length=200)
    title_intermediate = forms.CharField(label=_("Certificate title, intermediate level"), max_length=200)
    title_senior = forms.CharField(label=_("Certificate title, senior level"), max_length=200)
    number_prefix = forms.CharField(
        label=_("Certificate number prefix"), max_length=12,
        help_text=_("Upper-case letters and digits; the year, a random part and a check character follow."),
    )
    issue_lag_working_days = forms.IntegerField(label=_("Issued after passing (working days)"), initial=45, min_value=0)
    search_lag_working_days = forms.IntegerField(label=_("Searchable after passing (working days)"), initial=50, min_value=0)

    def clean_number_prefix(self):
        prefix = self.cleaned_data["number_prefix"].strip().upper()
        if not re.fullmatch(r"[A-Z0-9]{2,12}", prefix):
            raise ValidationError(_("Use 2 to 12 upper-case letters and digits."))
        return prefix

    def clean(self):
        cleaned = super().clean()
        issue, search = cleaned.get("issue_lag_working_days"), cleaned.get("search_lag_working_days")
        if issue is not None and search is not None and search < issue:
            raise ValidationError(_("A certificate cannot be searchable before it is issued."))
        return cleaned


class LookupForm(forms.Form):
    """Public lookup: by certificate number alone, or ID number + name, or phone + name.

    The name is required with an ID or phone number so that nobody can enumerate the
    certificates of a number they hold.
    """

    BY_NUMBER, BY_DOCUMENT, BY_PHONE = "number", "document", "phone"
    mode = forms.ChoiceField(
        label=_("Look up by"),
        choices=[
            (BY_NUMBER, _("Certificate number")),
            (BY_DOCUMENT, _("ID number and name")),
            (BY_PHONE, _("Phone number and name")),
        ],
        initial=BY_NUMBER,
        widget=forms.RadioSelect,
    )
    number = forms.CharField(label=_("Certificate number"), max_length=60, required=False)
    document_number = forms.CharField(label=_("ID number"), max_length=40, required=False)
    phone = forms.CharField(label=_("Phone number"), max_length=30, required=False)
    name = forms.CharField(label=_("Name"), max_length=100, required=False)

    def clean(self):
        cleaned = super().clean()
        mode = cleaned.get("mode")
        required = {
            self.BY_NUMBER: ["number"],
            self.BY_DOCUMENT: ["document_number", "name"],
            self.BY_PHONE: ["phone", "name"],
        }.get(mode, [])
        for field in required:
            if not (cleaned.get(field) or "").strip():
                self.add_error(field, _("Please fill in this field for this kind of lookup."))
        return cleaned


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}))


class BatchIssueForm(forms.Form):
    program = forms.ModelChoiceField(label=_("Program"), queryset=ProgramPage.objects.none())
    passed_on = forms.DateField(
        label=_("Exam sitting date"), required=False,
        help_text=_("Leave empty to issue every certificate that is due in the program."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args, programs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = programs if programs is not None else ProgramPage.objects.none()
        self.fields["program"].label_from_instance = lambda program: program.display_name


class VerifyUploadForm(forms.Form):
    pdf = forms.FileField(label=_("Certificate PDF file"))

    MAX_BYTES = 5 * 1024 * 1024

    def clean_pdf(self):
        upload = self.cleaned_data["pdf"]
        if upload.size > self.MAX_BYTES:
            raise ValidationError(_("The file is too large for a certificate (at most 5 MB)."))
        return upload
