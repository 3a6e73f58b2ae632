from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


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

    def clean(self):
        cleaned = super().clean()
        total, passing = cleaned.get("total_points"), cleaned.get("pass_points")
        if total is not None and passing is not None and passing > total:
            raise ValidationError(_("The pass mark cannot exceed the total points."))
        return cleaned
