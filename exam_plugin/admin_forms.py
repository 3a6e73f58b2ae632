"""Forms of the exam office admin screens."""

from django import forms
from django.utils.translation import gettext_lazy as _

from course_content.models import ProgramPage


class ProgramChoiceForm(forms.Form):
    program = forms.ModelChoiceField(label=_("Program"), queryset=ProgramPage.objects.live().order_by("path"))


class BankImportForm(ProgramChoiceForm):
    file = forms.FileField(label=_("Spreadsheet (XLSX or CSV)"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        name = upload.name.lower()
        if not name.endswith((".xlsx", ".csv")):
            raise forms.ValidationError(_("Upload an .xlsx or .csv file."))
        if upload.size > 5 * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        return upload


class CompensationForm(forms.Form):
    attempts = forms.ModelMultipleChoiceField(label=_("Candidates"), queryset=None, widget=forms.CheckboxSelectMultiple)
    minutes = forms.IntegerField(label=_("Extra minutes"), min_value=1, max_value=240)
    reason = forms.CharField(label=_("Reason"), max_length=300)

    def __init__(self, *args, sitting=None, **kwargs):
        super().__init__(*args, **kwargs)
        from .models import Attempt

        self.fields["attempts"].queryset = Attempt.objects.filter(sitting=sitting, status=Attempt.Status.IN_PROGRESS)
        self.fields["attempts"].label_from_instance = lambda a: (
            f"{a.candidate.admission_number if a.candidate else a.anonymous_code} · {a.enrolment.learner.get_full_name()}"
        )


class MakeUpForm(forms.Form):
    starts_at = forms.DateTimeField(label=_("Starts at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    ends_at = forms.DateTimeField(label=_("Ends at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    fee_required = forms.BooleanField(label=_("Fee required"), required=False)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("starts_at") and cleaned.get("ends_at") and cleaned["ends_at"] <= cleaned["starts_at"]:
            self.add_error("ends_at", _("The end must be after the start."))
        return cleaned


class MarkForm(forms.Form):
    item = forms.IntegerField(widget=forms.HiddenInput)
    score = forms.DecimalField(label=_("Score"), min_value=0, max_digits=5, decimal_places=1)
    comment = forms.CharField(label=_("Comment"), max_length=500, required=False)
