"""Public verification views (no login) and the learner's own certificates.

Public views are site-wide (``cert_plugin_global``); the learner's views are mounted under
the program (``cert_plugin``) behind the plugin gate, and answer 404 for any certificate
that is not the signed-in learner's own.
"""

import hashlib
from io import BytesIO

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods
from django_ratelimit.decorators import ratelimit

from . import lookup, services
from .forms import LookupForm, VerifyUploadForm
from .learner import learner_certificates
from .models import Certificate
from .signing import verify_pdf


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
        {"record": lookup.PublicRecord.of(certificate), "upload_form": upload_form, "file_check": file_check},
        status=400 if request.method == "POST" and not upload_form.is_valid() else 200,
    )


@login_required
def my_certificates(request):
    today = timezone.localdate()
    certificates = learner_certificates(request.user, request.program)
    rows = [{"certificate": c, "issued": c.is_issued(today)} for c in certificates]
    return render(request, "cert_plugin/my_certificates.html", {"rows": rows, "program": request.program})


@login_required
def download_pdf(request, number):
    """The signed PDF, for its holder only, from the issue date, while valid."""
    certificate = (
        Certificate.objects.filter(
            number=number, learner=request.user, program=request.program, status=Certificate.Status.VALID
        ).first()
    )
    if certificate is None or not certificate.is_issued(timezone.localdate()):
        raise Http404
    return _pdf_response(certificate)


def _pdf_response(certificate):
    content = services.read_pdf(certificate)
    return FileResponse(
        BytesIO(content), as_attachment=True, filename=f"{certificate.number}.pdf", content_type="application/pdf"
    )
