"""The learner's own certificates, mounted under the program (``cert_plugin``) as retained
routes of the plugin gate (``plugins.urls``): served read-only when the plugin is off for
the program, so issued certificates stay with their holders. They answer 404 for any
certificate that is not the signed-in learner's own, and "my certificates" answers 404
when the plugin is off and the learner holds nothing there.
"""

from io import BytesIO

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils import timezone

from .. import services
from ..models import Certificate
from ..services.learner import learner_certificates


@login_required
def my_certificates(request):
    today = timezone.localdate()
    certificates = learner_certificates(request.user, request.program)
    issuing = getattr(request, "plugin_enabled", True)
    if not issuing and not certificates:
        raise Http404
    rows = [{"certificate": c, "issued": c.is_issued(today)} for c in certificates]
    return render(
        request, "cert_plugin/my_certificates.html", {"rows": rows, "program": request.program, "issuing": issuing}
    )


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
    return pdf_response(certificate)


def pdf_response(certificate):
    content = services.read_pdf(certificate)
    return FileResponse(
        BytesIO(content), as_attachment=True, filename=f"{certificate.number}.pdf", content_type="application/pdf"
    )
