import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


class CertSettingsForm(forms.Form):
    """Per-program certificate settings (the energy handbook's values as defaults)."""

    issuer = forms.CharField(label=_("Issuer"), initial="中国节能协会", max_length=200)
    title_junior = forms.CharField(label=_("Certificate title, junior level"), initial="综合能源服务专业技能人才（初级）", max_length=200)
    title_intermediate = forms.CharField(label=_("Certificate title, intermediate level"), initial="综合能源服务专业技能人才（中级）", max_length=200)
    title_senior = forms.CharField(label=_("Certificate title, senior level"), initial="综合能源服务专业技能人才（高级）", max_length=200)
    number_prefix = forms.CharField(
        label=_("Certificate number prefix"), initial="CECAES", max_length=12,
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
