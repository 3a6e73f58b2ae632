"""Wagtail admin: the review queue for program admins (reviewers)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from course_content.models import ProgramPage

from ..forms import ReviewForm
from ..models import Material, Registration
from ..services import eligibility
from ..services.registrations import approve, can_review, is_overdue, reject


def _require_reviewer(request):
    if not can_review(request.user):
        raise PermissionDenied


def queue(request):
    """Registrations by status (submitted first, oldest deadline first); overdue marked."""
    _require_reviewer(request)
    status = request.GET.get("status", Registration.Status.SUBMITTED)
    registrations = Registration.objects.select_related("program", "level", "organisation")
    if status in Registration.Status.values:
        registrations = registrations.filter(status=status)
    program_id = request.GET.get("program", "")
    if program_id.isdigit():
        registrations = registrations.filter(program_id=int(program_id))
    registrations = registrations.order_by("review_deadline", "submitted_at", "pk")
    today = timezone.localdate()
    rows = [{"registration": r, "overdue": is_overdue(r, today)} for r in registrations[:500]]
    return TemplateResponse(request, "registration/admin/queue.html", {
        "rows": rows, "status": status, "statuses": Registration.Status.choices,
        "programs": ProgramPage.objects.order_by("path"), "program_id": program_id, "today": today,
        "overdue_count": sum(1 for row in rows if row["overdue"]),
    })


def review(request, pk):
    """One registration with its materials and the eligibility check; approve or return."""
    _require_reviewer(request)
    registration = get_object_or_404(Registration.objects.select_related("program", "level", "organisation"), pk=pk)
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            if form.cleaned_data["decision"] == "approve":
                approve(registration, request.user)
                messages.success(request, _("Approved; the candidate is enrolled."))
            else:
                reject(registration, request.user, form.cleaned_data["reason"])
                messages.success(request, _("Returned to the candidate with your reason."))
        except ValidationError as err:
            for message in err.messages:
                messages.error(request, message)
            return redirect("registration_admin:review", pk=registration.pk)
        return redirect("registration_admin:queue")
    facts = eligibility.CandidateFacts.of(registration)
    return TemplateResponse(request, "registration/admin/review.html", {
        "registration": registration, "form": form,
        "materials": registration.materials.all(),
        "eligibility": eligibility.evaluate(registration.level, facts),
        "overdue": is_overdue(registration),
        "photo": registration.material(Material.Kind.PHOTO),
    })
