"""Candidate URLs under /programs/<program>/proctor/ (gated), and site-wide URLs for
the phone page (token-scoped) and photos (permission-checked)."""

from django.urls import path

from .privacy import photo_view
from .views import candidate, phone

program_patterns = [
    path("device-test/", candidate.device_test, name="device_test"),
    path("s/<int:sitting_id>/preflight/", candidate.preflight_page, name="preflight"),
    path("s/<int:sitting_id>/device-test-done/", candidate.device_test_done, name="device_test_done"),
    path("s/<int:sitting_id>/status/", candidate.preflight_status, name="status"),
    path("s/<int:sitting_id>/rules/", candidate.accept_rules, name="accept_rules"),
    path("s/<int:sitting_id>/camera/", candidate.camera_ready, name="camera_ready"),
    path("s/<int:sitting_id>/face/", candidate.verify_face, name="verify_face"),
    path("s/<int:sitting_id>/face/photo/", candidate.photo_fallback, name="photo_fallback"),
    path("s/<int:sitting_id>/pairing/", candidate.new_pairing, name="pairing"),
    path("s/<int:sitting_id>/fullscreen/", candidate.enter_fullscreen, name="fullscreen"),
    path("s/<int:sitting_id>/heartbeat/", candidate.heartbeat, name="heartbeat"),
    path("s/<int:sitting_id>/leave/", candidate.leave_started, name="leave"),
    path("s/<int:sitting_id>/back/", candidate.leave_ended, name="back"),
    path("s/<int:sitting_id>/snapshot/", candidate.snapshot, name="snapshot"),
    path("s/<int:sitting_id>/break/", candidate.request_break, name="break"),
    path("s/<int:sitting_id>/break/return/", candidate.return_from_break, name="break_return"),
    path("s/<int:sitting_id>/warnings/seen/", candidate.warnings_seen, name="warnings_seen"),
]

urlpatterns = [
    path("proctor/phone/<str:token>/", phone.phone_page, name="phone"),
    path("proctor/phone/<str:token>/pair/", phone.phone_pair, name="phone_pair"),
    path("proctor/phone/<str:token>/snapshot/", phone.phone_snapshot, name="phone_snapshot"),
    path("proctor/photos/<str:kind>/<int:pk>/", photo_view, name="photo"),
]
