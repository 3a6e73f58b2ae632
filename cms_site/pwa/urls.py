"""Mounted at the site root (before Wagtail's catch-all): the manifest and the service
worker must live at the root for the worker's scope to be the whole site."""

from django.urls import path

from .views import push, shell

app_name = "pwa"

urlpatterns = [
    path("sw.js", shell.service_worker, name="service_worker"),
    path("manifest.webmanifest", shell.manifest, name="manifest"),
    path("pwa/offline/", shell.offline, name="offline"),
    path("pwa/offline-storage/", shell.offline_storage, name="offline_storage"),
    path("pwa/icons/<str:purpose>-<int:size>.png", shell.icon, name="icon"),
    path("pwa/notifications/", push.devices, name="devices"),
    path("pwa/notifications/<int:pk>/remove/", push.remove_device, name="remove_device"),
]
