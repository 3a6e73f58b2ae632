"""Forms of the learning core's admin: the enrolment admin (enrol an existing learner or
create the account first), the hours report's program choice and the curriculum archive
upload."""

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from cms_site.accounts.services.identity import DocumentType, clean_document_number, clean_phone

from .models import Enrolment, ProgramLevel
from .services.curriculum.archive import Archive, ArchiveRefused
from .services.enrolment import create_learner_account, enrol


class EnrolmentCreateForm(WagtailAdminModelForm):
    """Find the learner by identity-document number; create the account (with the program's
    initial password, to be changed at first login) when there is none yet."""

    document_type = forms.ChoiceField(label=_("Document type"), choices=DocumentType.choices, initial=DocumentType.MAINLAND_ID)
    document_number = forms.CharField(label=_("Document number"), max_length=32)
    real_name = forms.CharField(
        label=_("Real name"), max_length=100, required=False,
        help_text=_("Needed only when the learner has no account yet."),
    )
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)

    class Meta:
        model = Enrolment
        fields = ["level"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level"].queryset = ProgramLevel.objects.select_related("program").order_by("program__path", "sort_order")
        self.fields["level"].label_from_instance = lambda level: f"{level.program.display_name} · {level.name}"
        self.learner = None

    def clean(self):
        cleaned = super().clean()
        number, doc_type = cleaned.get("document_number"), cleaned.get("document_type")
        if not number or not doc_type:
            return cleaned
        try:
            number = clean_document_number(doc_type, number)
        except ValidationError as err:
            self.add_error("document_number", err)
            return cleaned
        cleaned["document_number"] = number
        self.learner = get_user_model().objects.filter(document_number=number).first()
        if self.learner is None and not cleaned.get("real_name"):
            self.add_error("real_name", _("There is no account with this document number yet; enter the real name to create one."))
        if self.learner is None and cleaned.get("phone"):
            try:
                cleaned["phone"] = clean_phone(cleaned["phone"])
            except ValidationError as err:
                self.add_error("phone", err)
            else:
                if get_user_model().objects.filter(phone=cleaned["phone"]).exists():
                    self.add_error("phone", _("Another account already uses this phone number."))
        level = cleaned.get("level")
        if self.learner is not None and level is not None and Enrolment.objects.filter(learner=self.learner, level=level).exists():
            self.add_error("level", _("This learner is already enrolled at this level."))
        return cleaned

    def enrol(self) -> Enrolment:
        level = self.cleaned_data["level"]
        learner = self.learner
        if learner is None:
            learner = create_learner_account(
                level.program, real_name=self.cleaned_data["real_name"],
                document_type=self.cleaned_data["document_type"],
                document_number=self.cleaned_data["document_number"],
                phone=self.cleaned_data.get("phone") or None,
            )
        enrolment, _created = enrol(learner, level, source=Enrolment.Source.ADMIN)
        self.instance = enrolment
        return enrolment


class ProgramChoiceForm(forms.Form):
    program = forms.ModelChoiceField(label=_("Program"), queryset=None, empty_label=None)

    def __init__(self, *args, **kwargs):
        from .models import ProgramPage

        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = ProgramPage.objects.all().order_by("path")
        self.fields["program"].label_from_instance = lambda program: program.display_name


MAX_UPLOAD_BYTES = 1024 * 1024 * 1024


class ArchiveUploadForm(forms.Form):
    archive = forms.FileField(label=_("Curriculum archive (.zip)"))

    def clean_archive(self):
        upload = self.cleaned_data["archive"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(gettext("The archive is larger than 1 GB."))
        try:
            self.opened = Archive(upload)
        except ArchiveRefused as err:
            raise forms.ValidationError(str(err)) from err
        return upload
