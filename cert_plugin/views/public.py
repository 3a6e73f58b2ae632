"""Public verification views (no login), site-wide (``cert_plugin_global``): the look-up
and the verify URL printed as a QR code. They work whether or not the plugin is on for
the certificate's program (an issued certificate stays verifiable)."""

import hashlib

from django.conf import settings
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods
from django_ratelimit.decorators import ratelimit

from ..forms import LookupForm, VerifyUploadForm
from ..models import Certificate
from ..services import lookup
from ..services.signing import verify_pdf


def lookup_rate(group, request):
    return getattr(settings, "CERT_PLUGIN_LOOKUP_RATE", "10/m")


def verify_rate(group, request):
    return getattr(settings, "CERT_PLUGIN_VERIFY_RATE", "60/m")


def _rate_limited(request):
    return render(request, "cert_plugin/rate_limited.html", status=429)


@require_http_methods(["GET", "POST"])
@ratelimit(key="ip", rate=lookup_rate, method="POST", block=False, group="cert_plugin.lookup")
def lookup_view(request):
    """Find certificates by number, ID number + name or phone + name (POST keeps numbers out of URLs)."""
    if getattr(request, "limited", False):
        return _rate_limited(request)
    records, searched = [], False
    if request.method == "POST":
        form = LookupForm(request.POST)
        if form.is_valid():
            searched = True
            data, today = form.cleaned_data, timezone.localdate()
            if data["mode"] == LookupForm.BY_NUMBER:
                found = lookup.by_number(data["number"], today=today)
            elif data["mode"] == LookupForm.BY_DOCUMENT:
                found = lookup.by_document(data["document_number"], data["name"], today=today)
            else:
                found = lookup.by_phone(data["phone"], data["name"], today=today)
            records = [lookup.PublicRecord.of(certificate) for certificate in found]
    else:
        form = LookupForm()
    status = 400 if request.method == "POST" and not form.is_valid() else 200
    return render(
        request, "cert_plugin/lookup.html", {"form": form, "records": records, "searched": searched}, status=status
    )


@require_http_methods(["GET", "POST"])
@ratelimit(key="ip", rate=verify_rate, method=["GET", "POST"], block=False, group="cert_plugin.verify")
def verify_view(request, number):
    """The QR target: the full public record of one issued certificate, and a PDF check."""
    if getattr(request, "limited", False):
        return _rate_limited(request)
    certificate = lookup.by_verify_number(number, today=timezone.localdate())
    if certificate is None:
        return render(request, "cert_plugin/not_found.html", status=404)
    upload_form, file_check = VerifyUploadForm(), None
    if request.method == "POST":
        upload_form = VerifyUploadForm(request.POST, request.FILES)
        if upload_form.is_valid():
            content = upload_form.cleaned_data["pdf"].read()
            signature = verify_pdf(content)
            same_file = bool(certificate.pdf_sha256) and hashlib.sha256(content).hexdigest() == certificate.pdf_sha256
            file_check = {"signature_ok": signature.ok, "is_this_certificate": signature.ok and same_file}
    return render(
        request,
        "cert_plugin/verify.html",
        {"record": lookup.PublicRecord.of(certificate), "upload_form": upload_form, "file_check": file_check,
         "holder_download_url": _holder_download_url(request, certificate)},
        status=400 if request.method == "POST" and not upload_form.is_valid() else 200,
    )


def _holder_download_url(request, certificate):
    """The PDF link for the signed-in holder of a valid certificate (whether or not the
    plugin is still on for its program), else None."""
    from plugins.urls import program_url

    if not request.user.is_authenticated or certificate.learner_id != request.user.pk:
        return None
    if certificate.status != Certificate.Status.VALID:
        return None
    return program_url(certificate.program, "cert_plugin:download", number=certificate.number)
