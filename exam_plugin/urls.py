"""Program-scoped URLs (mounted at /programs/<program>/exam/, gated by the plugin switch)."""

from django.urls import path

from .api import api
from .views import learner

program_patterns = [
    path("", learner.home, name="home"),
    path("sittings/<int:sitting_id>/sign-up/", learner.sign_up, name="sign_up"),
    path("sittings/<int:sitting_id>/enter/", learner.enter, name="enter"),
    path("mock/start/", learner.start_mock, name="start_mock"),
    path("practice/", learner.practice_page, name="practice"),
    path("attempts/<int:attempt_id>/", learner.attempt_page, name="attempt"),
    path("attempts/<int:attempt_id>/result/", learner.result_page, name="result"),
    path("api/", api.urls),
]
