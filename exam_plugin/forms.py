import json
import re
import string

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from course_content.models import ProgramPage

_TIME_RE = r"^([01]\d|2[0-3]):[0-5]\d$"


class ExamSettingsForm(forms.Form):
    """Per-program exam rules. Defaults are the energy handbook's; fixtures set others."""

    total_points = forms.IntegerField(label=_("Total points of a paper"), initial=100, min_value=1)
    pass_points = forms.IntegerField(label=_("Points needed to pass"), initial=60, min_value=0)
    attempts_per_sitting = forms.IntegerField(label=_("Attempts per sitting"), initial=1, min_value=1)
    result_release_working_days = forms.IntegerField(
        label=_("Results released after (working days)"), initial=15, min_value=0
    )
    entry_opens_minutes = forms.IntegerField(
        label=_("Login opens before the start (minutes)"), initial=30, min_value=0
    )
    late_entry_minutes = forms.IntegerField(
        label=_("Late entry closes after the start (minutes)"), initial=30, min_value=0
    )
    earliest_hand_in_minutes = forms.IntegerField(
        label=_("Earliest hand-in after the start (minutes)"), initial=30, min_value=0
    )
    make_up_fee_cny = forms.IntegerField(label=_("Make-up exam fee (CNY)"), initial=0, min_value=0)
    multiple_choice_partial_credit = forms.BooleanField(
        label=_("Partial credit for multiple choice"), initial=False, required=False,
        help_text=_("Off: all or nothing. On: a share of the points for each correct option chosen, "
                    "nothing if any wrong option is chosen."),
    )
    answer_review_after_release = forms.BooleanField(
        label=_("Candidates may review their answers after release"), initial=True, required=False
    )
    double_marking = forms.BooleanField(
        label=_("Double marking of short answers"), initial=False, required=False
    )
    double_marking_margin = forms.DecimalField(
        label=_("Third mark when two marks differ by more than (points)"), initial=1, min_value=0,
        max_digits=4, decimal_places=1,
    )
    sitting_months = forms.RegexField(
        label=_("Exam months"), initial="2,4,6,8,10,12", regex=r"^\s*\d{1,2}(\s*,\s*\d{1,2})*\s*$",
        help_text=_("Comma-separated month numbers."),
    )
    sitting_saturday = forms.IntegerField(
        label=_("Which Saturday of the month"), initial=3, min_value=1, max_value=4,
        help_text=_("3 = the Saturday of the third week."),
    )
    sitting_start = forms.RegexField(label=_("Exam starts (HH:MM)"), initial="09:00", regex=_TIME_RE)
    sitting_end = forms.RegexField(label=_("Exam ends (HH:MM)"), initial="11:00", regex=_TIME_RE)
    mock_days_before = forms.IntegerField(
        label=_("Unscored mock sitting, days before (0 = none)"), initial=0, min_value=0, max_value=30
    )
    mock_start = forms.RegexField(label=_("Mock sitting starts (HH:MM)"), initial="09:00", regex=_TIME_RE)
    mock_end = forms.RegexField(label=_("Mock sitting ends (HH:MM)"), initial="18:00", regex=_TIME_RE)
    mock_minutes = forms.IntegerField(label=_("Length of a mock paper (minutes)"), initial=120, min_value=5)
    offline_reconnect_minutes = forms.IntegerField(
        label=_("Reconnect window for answers journaled offline (minutes)"), initial=15, min_value=0,
        help_text=_("Answers written before the deadline on a device that lost its connection are accepted "
                    "if they arrive within this many minutes after it. With proctoring on, the proctor's "
                    "reconnect window applies when it is set."),
    )

    entry_identity = forms.ChoiceField(
        label=_("Identity check at exam entry"), initial="session",
        choices=[
            ("session", _("None beyond the platform login")),
            ("admission_and_id", _("Admission number (or registered phone) and ID document number")),
        ],
        help_text=_("With the second choice, candidates type both before a formal or mock sitting starts "
                    "or resumes (dual-carbon: 准考证号 and 身份证件号码)."),
    )
    admission_ticket_notes = forms.CharField(
        label=_("Extra rules on the admission ticket"), initial="", required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One rule per line, printed after the rules read off these settings."),
    )

    def clean(self):
        cleaned = super().clean()
        total, passing = cleaned.get("total_points"), cleaned.get("pass_points")
        if total is not None and passing is not None and passing > total:
            raise ValidationError(_("The pass mark cannot exceed the total points."))
        months = cleaned.get("sitting_months")
        if months and any(not 1 <= int(m) <= 12 for m in months.split(",")):
            self.add_error("sitting_months", _("Months are numbers from 1 to 12."))
        for start, end in (("sitting_start", "sitting_end"), ("mock_start", "mock_end")):
            if cleaned.get(start) and cleaned.get(end) and cleaned[end] <= cleaned[start]:
                self.add_error(end, _("The end must be after the start."))
        return cleaned


# Forms of the exam office admin screens.
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


class OptionLinesWidget(forms.Textarea):
    """A question's options (stored as ``[{"key": "A", "text": "…"}, …]``) edited as one line per
    option, "A. text". A line without a letter gets the next one; anything that is not a list of
    options is shown as the JSON it is, so the field's own validation still reports it."""

    LINE = re.compile(r"^\s*([A-Z])\s*[.．、:：)）]\s*(.*)$")

    def format_value(self, value):
        try:
            options = json.loads(value) if isinstance(value, str) else value
        except ValueError:
            return super().format_value(value)
        if isinstance(options, list) and all(isinstance(o, dict) and set(o) == {"key", "text"} for o in options):
            return "\n".join(f"{o['key']}. {o['text']}" for o in options)
        return super().format_value(value)

    def value_from_datadict(self, data, files, name):
        text = super().value_from_datadict(data, files, name)
        if text is None or text.lstrip().startswith(("[", "{")):
            return text
        options = []
        for line in filter(None, (raw.strip() for raw in text.splitlines())):
            match = self.LINE.match(line)
            key, body = match.groups() if match else (string.ascii_uppercase[len(options) % 26], line)
            options.append({"key": key, "text": body.strip()})
        return json.dumps(options, ensure_ascii=False)
