"""Forms: the candidate's account (for newcomers), the registration with its uploads,
the reviewer's decision and the organisation's batch upload."""

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from cms_site.accounts.services.identity import DocumentType, clean_document_number, clean_phone

from .models import Material, Registration
from .services.uploads import check_upload, max_upload_bytes, too_large_message

MATERIAL_FIELDS = [f"file_{kind}" for kind in Material.Kind.values]


def column_bounds(model_field) -> tuple[int | None, int | None]:
    """The tightest ``(min, max)`` of an integer model field: its own validators and the
    range its database column stores (Django adds both to ``model_field.validators``)."""
    low = [v.limit_value for v in model_field.validators if isinstance(v, MinValueValidator)]
    high = [v.limit_value for v in model_field.validators if isinstance(v, MaxValueValidator)]
    return (max(low) if low else None), (min(high) if high else None)


def bound_integer_fields(form) -> None:
    """Give every integer field of a ModelForm the bounds of its column, so an
    out-of-range number (10**20 years) is a form error, never a database error."""
    for name, field in form.fields.items():
        if not isinstance(field, forms.IntegerField):
            continue
        try:
            model_field = form._meta.model._meta.get_field(name)
        except FieldDoesNotExist:  # a form-only field: nothing to bound it by
            continue
        low, high = column_bounds(model_field)
        if low is not None and (field.min_value is None or field.min_value < low):
            field.min_value = low
            field.validators.append(MinValueValidator(low))
            field.widget.attrs["min"] = low
        if high is not None and (field.max_value is None or field.max_value > high):
            field.max_value = high
            field.validators.append(MaxValueValidator(high))
            field.widget.attrs["max"] = high


class CandidateAccountForm(forms.Form):
    """A newcomer's learner account, created before the registration draft so the draft
    (and every accepted file) always has an owner."""

    real_name = forms.CharField(label=_("real name"), max_length=100)
    document_type = forms.ChoiceField(label=_("identity document type"), choices=DocumentType.choices)
    document_number = forms.CharField(label=_("document number"), max_length=32)
    phone = forms.CharField(label=_("mobile phone"), max_length=20)
    email = forms.EmailField(label=_("email"), required=False)
    password1 = forms.CharField(label=_("password"), widget=forms.PasswordInput, strip=False)
    password2 = forms.CharField(label=_("password again"), widget=forms.PasswordInput, strip=False)

    def clean(self):
        data = super().clean()
        User = get_user_model()
        if data.get("document_type") and data.get("document_number"):
            try:
                number = clean_document_number(data["document_type"], data["document_number"])
            except ValidationError as err:
                self.add_error("document_number", err)
            else:
                data["document_number"] = number
                if User.objects.filter(document_number=number).exists():
                    self.add_error(
                        "document_number",
                        _("An account with this document number exists already; please log in first."),
                    )
        if data.get("phone"):
            try:
                data["phone"] = clean_phone(data["phone"])
            except ValidationError as err:
                self.add_error("phone", err)
            else:
                if User.objects.filter(phone=data["phone"]).exists():
                    self.add_error("phone", _("This phone number belongs to another account."))
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
        elif data.get("password1"):
            candidate = User(real_name=data.get("real_name", ""), username=data.get("document_number", ""))
            try:
                password_validation.validate_password(data["password1"], candidate)
            except ValidationError as err:
                self.add_error("password1", err)
        return data

    def save(self):
        data = self.cleaned_data
        return get_user_model().objects.create_learner(
            real_name=data["real_name"], document_type=data["document_type"],
            document_number=data["document_number"], phone=data["phone"], password=data["password1"],
            email=data.get("email", ""),
        )


class RegistrationForm(forms.ModelForm):
    """The registration's data plus one optional file field per material kind.

    Every field is optional while drafting (``services.registrations.submission_problems`` says what is
    still needed); a file field that passes ``check_upload`` is in ``cleaned_data`` even
    when other fields fail, so the view can keep it. Integer fields carry the bounds of
    their columns.

    Validating fills ``self.instance`` with what was posted, rejected values included
    (Django's ``construct_instance``), so after a failed validation the instance must not
    be saved: ``valid_values()`` gives what may be kept (``services.registrations.save_valid_fields``).
    """

    exam_sitting = forms.ChoiceField(label=_("exam sitting"), required=False)

    class Meta:
        model = Registration
        fields = [
            "real_name", "document_type", "document_number", "phone", "email", "organisation",
            "education", "major", "related_major", "work_years", "is_current_student",
            "lower_certificate_years", "other_certificate_level", "other_certificate_years",
        ]

    def __init__(self, *args, sittings=(), **kwargs):
        super().__init__(*args, **kwargs)
        registration = self.instance
        self.sittings = {s["id"]: s for s in sittings}
        choices = [("", _("Study only (no exam sitting)"))]
        choices += [(s["id"], s["label"]) for s in sittings]
        self.fields["exam_sitting"].choices = choices
        self.fields["exam_sitting"].initial = registration.exam_sitting_id
        self.fields["organisation"].queryset = registration.program.training_organisations.filter(is_active=True)
        self.fields["organisation"].help_text = _("The authorised training organisation you register through, if any.")
        if registration.candidate_id is None or registration.created_by_id != registration.candidate_id:
            self.fields["organisation"].disabled = True  # registered by the organisation itself
        if registration.candidate_id:
            # The identity of an account holder's registration is the account's.
            for name in ("document_type", "document_number"):
                self.fields[name].disabled = True
        if registration.level.sort_order == min(registration.program.levels.values_list("sort_order", flat=True)):
            del self.fields["lower_certificate_years"]
        for kind, label in Material.Kind.choices:
            self.fields[f"file_{kind}"] = forms.FileField(label=label, required=False)
        bound_integer_fields(self)

    def clean_document_number(self):
        value = self.cleaned_data.get("document_number", "")
        if self.fields["document_number"].disabled or not value:
            return value
        return clean_document_number(self.cleaned_data.get("document_type") or DocumentType.MAINLAND_ID, value)

    def clean_phone(self):
        value = self.cleaned_data.get("phone", "")
        return clean_phone(value) if value else value

    def clean_exam_sitting(self):
        value = self.cleaned_data.get("exam_sitting", "")
        if value and value not in self.sittings:
            raise ValidationError(_("Registration for this sitting has closed."))
        return value

    def _clean_fields(self):
        super()._clean_fields()
        for kind in Material.Kind.values:
            name = f"file_{kind}"
            upload = self.cleaned_data.get(name)
            if not upload:
                continue
            try:
                checked = check_upload(upload, kind, program=self.instance.program, level=self.instance.level)
            except ValidationError as err:
                self.add_error(name, err)
            else:
                upload.checked_content_type = checked.content_type

    def accepted_uploads(self):
        """(kind, upload) for every file that passed its checks."""
        return [
            (kind, self.cleaned_data[f"file_{kind}"])
            for kind in Material.Kind.values
            if self.cleaned_data.get(f"file_{kind}") and hasattr(self.cleaned_data[f"file_{kind}"], "checked_content_type")
        ]

    def valid_values(self) -> dict:
        """``{field: value}`` of the editable fields that passed every check (form and
        model), with the chosen sitting; rejected fields are absent. Call after
        ``is_valid()``."""
        values = {
            name: self.cleaned_data[name]
            for name in self._meta.fields
            if name in self.cleaned_data and not self.fields.get(name, forms.Field()).disabled
        }
        if "exam_sitting" in self.cleaned_data:
            sitting = self.sittings.get(self.cleaned_data["exam_sitting"])
            values["exam_sitting_id"] = sitting["id"] if sitting else ""
            values["exam_sitting_label"] = str(sitting["label"]) if sitting else ""
            values["exam_sitting_starts_at"] = sitting["starts_at"] if sitting else None
        return values

    def _apply_sitting(self):
        if "exam_sitting" not in self.cleaned_data:
            return
        sitting = self.sittings.get(self.cleaned_data["exam_sitting"])
        self.instance.exam_sitting_id = sitting["id"] if sitting else ""
        self.instance.exam_sitting_label = str(sitting["label"]) if sitting else ""
        self.instance.exam_sitting_starts_at = sitting["starts_at"] if sitting else None

    def save(self, commit=True):
        self._apply_sitting()
        return super().save(commit=commit)


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("reject", _("Return for correction"))])
    reason = forms.CharField(label=_("reason (shown to the candidate)"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def clean(self):
        data = super().clean()
        if data.get("decision") == "reject" and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Please give the reason, so the candidate knows what to fix."))
        return data


class BatchUploadForm(forms.Form):
    program = forms.ModelChoiceField(label=_("program"), queryset=None)
    spreadsheet = forms.FileField(label=_("spreadsheet (XLSX or CSV)"))
    archive = forms.FileField(label=_("zip of photos and files"), required=False)

    def _capped(self, name, limit):
        upload = self.cleaned_data.get(name)
        if upload and upload.size > limit:
            raise ValidationError(too_large_message(upload.name, upload.size, limit))
        return upload

    def clean_spreadsheet(self):
        return self._capped("spreadsheet", max_upload_bytes())

    def clean_archive(self):
        return self._capped("archive", getattr(settings, "REGISTRATION_MAX_BATCH_ARCHIVE_BYTES", 300 * 1024 * 1024))

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = organisation.programs.live().order_by("path")
        self.fields["program"].label_from_instance = lambda program: program.display_name

