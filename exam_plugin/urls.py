"""Program-scoped URLs (mounted at /programs/<program>/exam/, gated by the plugin switch)."""

from django.urls import path

from .api import api
from .views import learner
from .views import offline as offline_views

program_patterns = [
    path("", learner.home, name="home"),
    path("sittings/<int:sitting_id>/sign-up/", learner.sign_up, name="sign_up"),
    path("sittings/<int:sitting_id>/enter/", learner.enter, name="enter"),
    path("mock/start/", learner.start_mock, name="start_mock"),
    path("practice/", learner.practice_page, name="practice"),
    path("practice/offline/", offline_views.practice_offline_page, name="offline_practice"),
    path("practice/offline/set/", offline_views.practice_offline_set, name="offline_practice_set"),
    path("practice/offline/results/", offline_views.practice_offline_results, name="offline_practice_results"),
    path("attempts/<int:attempt_id>/", learner.attempt_page, name="attempt"),
    path("attempts/<int:attempt_id>/result/", learner.result_page, name="result"),
    path("attempts/<int:attempt_id>/offline-replay/", offline_views.replay, name="offline_replay"),
    path("api/", api.urls),
]
