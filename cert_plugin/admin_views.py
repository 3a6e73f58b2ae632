"""Wagtail admin screens: list/search, one certificate (revoke, re-issue, PDF), batch issue.

Every view requires ``cert_plugin.manage_certificates`` (program admins get it from
``load_initial_data``; superusers always have it).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cms_site.accounts.identity import normalise_document_number
from course_content.models import ProgramPage
from plugins.services import enabled_labels

from . import numbering, services
from .forms import BatchIssueForm, RevokeForm
from .masking import mask_document_number
from .models import Certificate
from .views import _pdf_response

PERMISSION = "cert_plugin.manage_certificates"


def can_manage(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.has_perm(PERMISSION))


def _require(request):
    if not can_manage(request.user):
        raise PermissionDenied


def certificate_list(request):
    _require(request)
    certificates = Certificate.objects.select_related("program", "replaced_by").order_by("-created_at")
    query = (request.GET.get("q") or "").strip()
    if query:
        certificates = certificates.filter(
            Q(number=numbering.normalise(query))
            | Q(holder_name__icontains=query)
            | Q(document_number=normalise_document_number(query))
        )
    status = request.GET.get("status") or ""
    if status in Certificate.Status.values:
        certificates = certificates.filter(status=status)
    program_id = request.GET.get("program") or ""
    if program_id.isdigit():
        certificates = certificates.filter(program_id=int(program_id))
    page = Paginator(certificates, 50).get_page(request.GET.get("p"))
    rows = [{"certificate": c, "masked_document": mask_document_number(c.document_number)} for c in page]
    return TemplateResponse(
        request,
        "cert_plugin/admin/list.html",
        {
            "rows": rows, "page": page, "query": query, "status": status, "program_id": program_id,
            "statuses": Certificate.Status.choices, "programs": ProgramPage.objects.order_by("path"),
        },
    )


def certificate_detail(request, pk):
    _require(request)
    certificate = get_object_or_404(Certificate.objects.select_related("program", "replaced_by", "learner"), pk=pk)
    previous = Certificate.objects.filter(replaced_by=certificate).first()
    return TemplateResponse(
        request,
        "cert_plugin/admin/detail.html",
        {"certificate": certificate, "previous": previous, "revoke_form": RevokeForm(),
         "masked_document": mask_document_number(certificate.document_number)},
    )


@require_POST
def certificate_revoke(request, pk):
    _require(request)
    certificate = get_object_or_404(Certificate, pk=pk)
    form = RevokeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please give the reason for revoking the certificate."))
        return redirect("cert_plugin_admin:detail", pk=pk)
    try:
        services.revoke(certificate, reason=form.cleaned_data["reason"], user=request.user)
    except ValidationError as err:
        messages.error(request, " ".join(err.messages))
    else:
        messages.success(request, _("Certificate %(number)s revoked.") % {"number": certificate.number})
    return redirect("cert_plugin_admin:detail", pk=pk)


@require_POST
def certificate_reissue(request, pk):
    _require(request)
    certificate = get_object_or_404(Certificate, pk=pk)
    try:
        new = services.reissue(certificate, user=request.user)
    except ValidationError as err:
        messages.error(request, " ".join(err.messages))
        return redirect("cert_plugin_admin:detail", pk=pk)
    messages.success(
        request, _("Certificate re-issued as %(new)s; %(old)s is now replaced.") % {"new": new.number, "old": certificate.number}
    )
    return redirect("cert_plugin_admin:detail", pk=new.pk)


def certificate_pdf(request, pk):
    _require(request)
    return _pdf_response(get_object_or_404(Certificate, pk=pk))


def _programs_with_certificates():
    ids = [p.pk for p in ProgramPage.objects.all() if "cert_plugin" in enabled_labels(p)]
    return ProgramPage.objects.filter(pk__in=ids).order_by("path")


def batch_issue(request):
    _require(request)
    programs = _programs_with_certificates()
    form = BatchIssueForm(request.POST or None, programs=programs)
    if request.method == "POST" and form.is_valid():
        count = services.batch_issue(
            form.cleaned_data["program"], passed_on=form.cleaned_data["passed_on"], user=request.user
        )
        messages.success(request, _("%(count)d certificate(s) queued for issue.") % {"count": count})
        return redirect("cert_plugin_admin:batch")
    status = 400 if request.method == "POST" else 200
    return TemplateResponse(request, "cert_plugin/admin/batch.html", {"form": form}, status=status)
