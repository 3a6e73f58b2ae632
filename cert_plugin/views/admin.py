"""Wagtail admin screens: one certificate (revoke, re-issue, PDF), batch issue.

The list is the Wagtail viewset in ``wagtail_hooks``. Every view requires
``cert_plugin.manage_certificates`` (program admins get it from
``load_initial_data``; superusers always have it).

Switching the plugin off for a program stops new issuing there, nothing else: batch issue
offers only programs with the plugin on (and refuses the others), re-issuing is hidden and
refused; listing, the PDF and revoking issued certificates keep working.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cms_site.services.masking import mask_document_number
from course_content.models import ProgramPage
from plugins.services import enabled_labels, is_enabled

from .. import services
from ..forms import BatchIssueForm, RevokeForm
from ..models import Certificate
from ..services import triggers
from .learner import pdf_response

PERMISSION = "cert_plugin.manage_certificates"


def can_manage(user) -> bool:
    """The one check of the plugin's admin: these screens and the list (``wagtail_hooks``'s
    permission policy)."""
    return bool(user and user.is_authenticated and user.is_active and user.has_perm(PERMISSION))


def _require(request):
    if not can_manage(request.user):
        raise PermissionDenied


def certificate_detail(request, pk):
    _require(request)
    certificate = get_object_or_404(
        Certificate.objects.select_related("program", "replaced_by", "learner"), pk=pk
    )
    previous = Certificate.objects.filter(replaced_by=certificate).first()
    return TemplateResponse(
        request,
        "cert_plugin/admin/detail.html",
        {
            "certificate": certificate,
            "previous": previous,
            "revoke_form": RevokeForm(),
            "issuing": is_enabled(certificate.program, "cert_plugin"),
            "masked_document": mask_document_number(certificate.document_number),
        },
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
        messages.success(
            request, _("Certificate %(number)s revoked.") % {"number": certificate.number}
        )
    return redirect("cert_plugin_admin:detail", pk=pk)


@require_POST
def certificate_reissue(request, pk):
    _require(request)
    certificate = get_object_or_404(Certificate, pk=pk)
    if not is_enabled(certificate.program, "cert_plugin"):
        messages.error(
            request,
            _("Certificates are switched off for this program: no new certificate can be issued."),
        )
        return redirect("cert_plugin_admin:detail", pk=pk)
    try:
        new = services.reissue(certificate, user=request.user)
    except ValidationError as err:
        messages.error(request, " ".join(err.messages))
        return redirect("cert_plugin_admin:detail", pk=pk)
    messages.success(
        request,
        _("Certificate re-issued as %(new)s; %(old)s is now replaced.")
        % {"new": new.number, "old": certificate.number},
    )
    return redirect("cert_plugin_admin:detail", pk=new.pk)


def certificate_pdf(request, pk):
    _require(request)
    return pdf_response(get_object_or_404(Certificate, pk=pk))


def _programs_with_certificates():
    ids = [p.pk for p in ProgramPage.objects.all() if "cert_plugin" in enabled_labels(p)]
    return ProgramPage.objects.filter(pk__in=ids).order_by("path")


def batch_issue(request):
    _require(request)
    programs = _programs_with_certificates()
    form = BatchIssueForm(request.POST or None, programs=programs)
    if request.method == "POST" and form.is_valid():
        count = triggers.batch_issue(
            form.cleaned_data["program"],
            passed_on=form.cleaned_data["passed_on"],
            user=request.user,
        )
        messages.success(
            request, _("%(count)d certificate(s) queued for issue.") % {"count": count}
        )
        return redirect("cert_plugin_admin:batch")
    status = 400 if request.method == "POST" else 200
    return TemplateResponse(request, "cert_plugin/admin/batch.html", {"form": form}, status=status)
