from django.urls import path

from . import media, views

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("lesson-media/<int:document_id>/", media.lesson_video, name="lesson_video"),
]
