"""Step 3: the per-program settings form (defaults are the initial values) and the
learner's survey form."""

from django import forms
from django.utils.translation import gettext_lazy as _


class SurveySettingsForm(forms.Form):
    question = forms.CharField(
        label=_("Question"), max_length=200, initial="本次考试内容与培训大纲是否相符？"
    )


class SurveyForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Rating"), choices=[(n, str(n)) for n in range(1, 6)], coerce=int
    )
    comment = forms.CharField(label=_("Comment"), max_length=500, required=False, widget=forms.Textarea)
