"""Certificate URLs.

``urlpatterns`` (site-wide, namespace ``cert_plugin_global``): the public lookup and the
verify URL printed as a QR code. ``program_patterns`` (``/programs/<program>/certificates/``,
namespace ``cert_plugin``, gated): the learner's own certificates.
"""

from django.urls import path

from . import views

urlpatterns = [
    path("certificates/lookup/", views.lookup_view, name="lookup"),
    path("certificates/verify/<str:number>/", views.verify_view, name="verify"),
]

program_patterns = [
    path("", views.my_certificates, name="mine"),
    path("<str:number>/pdf/", views.download_pdf, name="download"),
]
