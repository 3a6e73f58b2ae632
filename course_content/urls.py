from django.urls import path

from .views import learner, media

urlpatterns = [
    path("dashboard/", learner.dashboard, name="dashboard"),
    path("lesson-media/<int:document_id>/", media.lesson_video, name="lesson_video"),
]
