"""Mounted at the site root (before Wagtail's catch-all): the manifest and the service
worker must live at the root for the worker's scope to be the whole site."""

from django.urls import path

from . import push_views, views

app_name = "pwa"

urlpatterns = [
    path("sw.js", views.service_worker, name="service_worker"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("pwa/offline/", views.offline, name="offline"),
    path("pwa/offline-storage/", views.offline_storage, name="offline_storage"),
    path("pwa/icons/<str:purpose>-<int:size>.png", views.icon, name="icon"),
    path("pwa/notifications/", push_views.devices, name="devices"),
    path("pwa/notifications/<int:pk>/remove/", push_views.remove_device, name="remove_device"),
]
