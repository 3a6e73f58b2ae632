"""Learner- and organisation-facing registration views (thin: the rules are in services).

Object-scoped views answer 404 for anyone but the candidate, their training
organisation and reviewers (``services.registrations.visible_registrations``);
anonymous visitors are sent to the login page.
"""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import RequestDataTooBig, ValidationError
from django.http import FileResponse, Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from course_content.models import ProgramLevel, ProgramPage

from ..forms import CandidateAccountForm, RegistrationForm
from ..models import Material, Registration
from ..services import eligibility, registrations
from ..services.uploads import SizeCapUploadHandler, too_large_message


def index(request):
    """Programs and levels open for registration, and the visitor's own registrations."""
    programs = ProgramPage.objects.live().order_by("path").prefetch_related("levels")
    mine = (
        Registration.objects.filter(candidate=request.user).select_related("program", "level")
        if request.user.is_authenticated else []
    )
    return render(request, "registration/index.html", {
        "programs": programs, "registrations": mine,
        "organisations": registrations.organisations_of(request.user),
    })


def start(request, level_id):
    """Newcomers create their account first; account holders get their draft for the level."""
    level = get_object_or_404(ProgramLevel.objects.select_related("program"), pk=level_id, program__live=True)
    if request.user.is_authenticated:
        return redirect("registration:detail", pk=registrations.start_registration(request.user, level).pk)
    form = CandidateAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="cms_site.accounts.backends.IdentityBackend")
        messages.success(request, _("Your account was created. You log in with your document number or phone."))
        return redirect("registration:detail", pk=registrations.start_registration(user, level).pk)
    return render(request, "registration/start.html", {"form": form, "level": level})


def _registration_for(request, pk) -> Registration:
    return get_object_or_404(
        registrations.visible_registrations(request.user).select_related("program", "level", "organisation"), pk=pk
    )


def _eligibility_context(registration):
    facts = eligibility.CandidateFacts.of(registration)
    result = eligibility.evaluate(registration.level, facts)
    lower = None if result.eligible else eligibility.best_lower_level(registration.level, facts)
    return {"eligibility": result, "lower_level": lower}


@csrf_exempt
@login_required
def detail(request, pk):
    """The registration: status and reason, the form while editable, eligibility, files.

    CSRF is checked by ``_detail`` after the size-capping upload handler is installed
    (handlers must be set before the request body is read, which the CSRF check does).
    """
    request.upload_handlers.insert(0, SizeCapUploadHandler(request))
    if request.method == "POST":
        try:
            request.POST  # noqa: B018 - parse now, with the handler above, to catch oversize bodies
        except RequestDataTooBig:
            _registration_for(request, pk)
            messages.error(request, _("The form was too large to be received; nothing was changed. Upload fewer files at once."))
            return redirect("registration:detail", pk=pk)
    return _detail(request, pk)


@csrf_protect
def _detail(request, pk):
    registration = _registration_for(request, pk)
    editable = registrations.editable_by(registration, request.user)
    sittings = registrations.exam_sittings(registration.program, registration.level) if editable else []
    form = None
    if editable:
        if request.method == "POST":
            form = RegistrationForm(request.POST, request.FILES, instance=registration, sittings=sittings)
            valid = form.is_valid()
            for field, file_name in getattr(request, "skipped_uploads", {}).items():
                if field in form.fields:
                    form.add_error(field, too_large_message(file_name))
                    valid = False
            for kind, upload in form.accepted_uploads():
                registrations.store_material(registration, kind, upload, upload.checked_content_type)
            if valid:
                form.save()
                if request.POST.get("action") == "submit":
                    try:
                        registrations.submit(registration)
                    except ValidationError as err:
                        for message in err.messages:
                            messages.error(request, message)
                        return redirect("registration:detail", pk=registration.pk)
                    messages.success(request, _("Submitted. The review takes one working day."))
                else:
                    messages.success(request, _("Saved."))
                return redirect("registration:detail", pk=registration.pk)
            registrations.save_valid_fields(registration, form.valid_values())
            messages.error(request, _("Some entries need correcting; everything else was kept."))
        else:
            form = RegistrationForm(instance=registration, sittings=sittings)
    elif request.method == "POST":
        messages.error(request, _("This registration can no longer be changed."))
        return redirect("registration:detail", pk=registration.pk)
    registration.refresh_from_db()
    materials = {m.kind: m for m in registration.materials.all()}
    context = {
        "registration": registration, "form": form, "editable": editable, "sittings": sittings,
        "material_fields": [
            (kind, label, form[f"file_{kind}"], materials.get(kind))
            for kind, label in Material.Kind.choices
        ] if form else [],
        **_eligibility_context(registration),
    }
    if editable:
        context["problems"] = registrations.submission_problems(registration)
    return render(request, "registration/detail.html", context)


@login_required
def eligibility_preview(request, pk):
    """The eligibility panel for the answers currently in the form (nothing is saved).

    The registration page posts its fields here as they change, so the candidate sees
    which rule they meet, or why none, before saving or submitting.
    """
    registration = _registration_for(request, pk)
    if not registrations.editable_by(registration, request.user):
        raise Http404
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = RegistrationForm(request.POST, instance=registration)
    form.is_valid()
    preview = registrations.preview_with(registration, form.valid_values())  # unsaved
    return render(request, "registration/_eligibility.html", _eligibility_context(preview))


@login_required
def print_form(request, pk):
    """The printable 报名审核表 filled in from the registration."""
    registration = _registration_for(request, pk)
    return render(request, "registration/print.html", {
        "registration": registration, "photo": registration.material(Material.Kind.PHOTO),
        **_eligibility_context(registration),
    })


@login_required
def material_file(request, pk):
    """A material from private storage, for the candidate, their organisation and reviewers."""
    material = get_object_or_404(Material, pk=pk, registration__in=registrations.visible_registrations(request.user))
    try:
        handle = material.file.open("rb")
    except FileNotFoundError as err:
        raise Http404 from err
    response = FileResponse(handle, content_type=material.content_type)
    response["Content-Disposition"] = "inline"
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def material_url(material) -> str:
    return reverse("registration:material", kwargs={"pk": material.pk})
