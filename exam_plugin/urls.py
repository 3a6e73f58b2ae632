"""Program-scoped URLs (mounted at /programs/<program>/exam/, gated by the plugin switch)."""

from django.urls import path

from .api import api
from .views import learner
from .views import offline as offline_views

# Called by every candidate every few seconds: served past the middleware it does not need
# (plugins/services/hot_paths.py).
hot_path_names = {"save_answers"}

program_patterns = [
    path("", learner.home, name="home"),
    path("sittings/<int:sitting_id>/sign-up/", learner.sign_up, name="sign_up"),
    path("sittings/<int:sitting_id>/enter/", learner.enter, name="enter"),
    path("sittings/<int:sitting_id>/admission-ticket/", learner.admission_ticket, name="admission_ticket"),
    path("mock/", learner.mock_instructions, name="mock"),
    path("mock/start/", learner.start_mock, name="start_mock"),
    path("practice/", learner.practice_page, name="practice"),
    path("practice/offline/", offline_views.practice_offline_page, name="offline_practice"),
    path("attempts/<int:attempt_id>/", learner.attempt_page, name="attempt"),
    path("attempts/<int:attempt_id>/result/", learner.result_page, name="result"),
    path("api/", api.urls),
]
