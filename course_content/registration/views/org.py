"""Training-organisation pages: their candidates' registrations and the batch upload."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from ..forms import BatchUploadForm
from ..models import Registration
from ..services import batch
from ..services.registrations import organisations_of


def _organisation_for(request, org_id):
    return get_object_or_404(organisations_of(request.user), pk=org_id)


@login_required
def organisation_home(request):
    organisations = list(organisations_of(request.user))
    if len(organisations) == 1:
        return redirect("registration:organisation", org_id=organisations[0].pk)
    return render(request, "registration/organisation_list.html", {"organisations": organisations})


@login_required
def organisation(request, org_id):
    """The organisation's registrations (filterable by status) and the batch upload form."""
    organisation = _organisation_for(request, org_id)
    form = BatchUploadForm(request.POST or None, request.FILES or None, organisation=organisation)
    errors = []
    if request.method == "POST" and form.is_valid():
        result = batch.import_batch(
            organisation, form.cleaned_data["program"], form.cleaned_data["spreadsheet"],
            form.cleaned_data.get("archive"), request.user,
        )
        if not result.errors:
            messages.success(
                request, _("%(n)s candidates registered and submitted for review.") % {"n": len(result.created)}
            )
            return redirect("registration:organisation", org_id=organisation.pk)
        errors = result.errors
        messages.error(request, _("Nothing was saved: please correct the rows below and upload again."))
    status = request.GET.get("status", "")
    registrations = organisation.registrations.select_related("program", "level").order_by("-created_at")
    if status in Registration.Status.values:
        registrations = registrations.filter(status=status)
    return render(request, "registration/organisation.html", {
        "organisation": organisation, "form": form, "errors": errors, "registrations": registrations,
        "status": status, "statuses": Registration.Status.choices,
    })


@login_required
def batch_template(request, org_id):
    _organisation_for(request, org_id)
    response = HttpResponse(
        batch.template_dataset().export("xlsx"),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="registration-batch.xlsx"'
    return response


@login_required
@never_cache
def reset_candidate_password(request, org_id, pk):
    """A training organisation resets the forgotten password of a candidate it registered
    (``cms_site.accounts.services.recovery``): GET confirms, POST shows the temporary password once."""
    from cms_site.accounts.services import recovery
    from cms_site.accounts.services.roles import is_staff_role

    organisation = _organisation_for(request, org_id)
    registration = get_object_or_404(organisation.registrations.select_related("candidate"), pk=pk, candidate__isnull=False)
    candidate = registration.candidate
    if candidate.is_superuser or candidate.is_staff or is_staff_role(candidate) or candidate.pk == request.user.pk:
        raise PermissionDenied
    password = None
    if request.method == "POST":
        password = recovery.reset_by_staff(candidate, request.user, via=f"organisation:{organisation.pk}")
    return render(request, "registration/organisation_reset.html", {
        "organisation": organisation, "registration": registration, "temporary_password": password,
    })
