"""Certificate URLs.

``urlpatterns`` (site-wide, namespace ``cert_plugin_global``): the public lookup and the
verify URL printed as a QR code; they work whether or not the plugin is on for the
certificate's program (an issued certificate stays verifiable).

``retained_patterns`` (``/programs/<program>/certificates/``, namespace ``cert_plugin``):
the holder's own certificates. Retained, not plain ``program_patterns``: switching the plugin
off stops new issuing, but what was issued stays with its holder, so the gate still serves
these (read-only) when the plugin is off; the views then show existing certificates only.
"""

from django.urls import path

from .views import learner, public

urlpatterns = [
    path("certificates/lookup/", public.lookup_view, name="lookup"),
    path("certificates/verify/<str:number>/", public.verify_view, name="verify"),
]

retained_patterns = [
    path("", learner.my_certificates, name="mine"),
    path("<str:number>/pdf/", learner.download_pdf, name="download"),
]
