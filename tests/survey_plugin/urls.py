"""Step 7: ``program_patterns`` are mounted at /programs/<program>/survey/ behind the gate."""

from django.urls import path

from .views import learner, office

program_patterns = [
    path("", learner.survey, name="survey"),
    path("results/", office.results, name="results"),
]
