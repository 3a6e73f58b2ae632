"""Candidate pages under /programs/<program>/proctor/ (gated) with the JSON API at
``api/`` (``proctor_plugin.api``), and site-wide URLs for the phone page (token-scoped)
and face images (permission-checked and logged, ``proctor_plugin.services.privacy``)."""

from django.urls import path

from .api import api
from .services.privacy import photo_view
from .views import candidate, phone

program_patterns = [
    path("device-test/", candidate.device_test, name="device_test"),
    path("s/<int:sitting_id>/preflight/", candidate.preflight_page, name="preflight"),
    path("s/<int:sitting_id>/device-test-done/", candidate.device_test_done, name="device_test_done"),
    path("api/", api.urls),
]

urlpatterns = [
    path("proctor/phone/<str:token>/", phone.phone_page, name="phone"),
    path("proctor/photos/<str:kind>/<int:pk>/", photo_view, name="photo"),
]
