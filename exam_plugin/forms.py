from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

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
