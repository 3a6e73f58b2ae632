from django.contrib.auth import get_user_model
from django.db.models import Q
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import BasePermissionPolicy
from wagtail.permissions import register_permission_policy

from .models import FaceImageAccess
from .services import access
from .views import admin as admin_views


@hooks.register("register_admin_urls")
def register_admin_urls():
    urls = [
        path("", admin_views.sitting_list, name="index"),
        path("sittings/<int:sitting_id>/", admin_views.sitting_console, name="sitting"),
        path("sittings/<int:sitting_id>/grid/", admin_views.sitting_grid, name="grid"),
        path("sittings/<int:sitting_id>/assign/", admin_views.assign, name="assign"),
        path("candidates/<int:ps_id>/", admin_views.timeline, name="timeline"),
        path("candidates/<int:ps_id>/<str:action>/", admin_views.act, name="act"),
    ]
    return [path("proctor/", include((urls, "proctor_plugin_admin"), namespace="proctor_plugin_admin"))]


class ConsoleMenuItem(MenuItem):
    def is_shown(self, request):
        return access.supervises_all(request.user) or request.user.has_perm("proctor_plugin.invigilate")


@hooks.register("register_admin_menu_item")
def register_menu_item():
    return ConsoleMenuItem(_("Proctor console"), reverse("proctor_plugin_admin:index"), icon_name="view", order=830)


class AccessLogPolicy(BasePermissionPolicy):
    """The face-image access log is read by the exam office only and written by
    ``privacy.photo_view`` only: nobody adds, changes or deletes rows in the admin."""

    def user_has_permission(self, user, action):
        return action == "view" and access.supervises_all(user)

    def user_has_any_permission(self, user, actions):
        return "view" in actions and access.supervises_all(user)

    def users_with_any_permission(self, actions):
        users = get_user_model().objects.filter(is_active=True)
        if "view" not in actions:
            return users.none()
        return users.filter(
            Q(is_superuser=True)
            | Q(user_permissions__codename="supervise_all_sittings")
            | Q(groups__permissions__codename="supervise_all_sittings")
        ).distinct()

    def users_with_permission(self, action):
        return self.users_with_any_permission([action])


register_permission_policy(FaceImageAccess, AccessLogPolicy(FaceImageAccess))


class FaceImageAccessViewSet(ModelViewSet):
    """Read-only list of every face-image fetch, filterable by viewer, person and image."""

    model = FaceImageAccess
    icon = "view"
    menu_label = _("Face image access log")
    menu_order = 831
    add_to_admin_menu = True
    copy_view_enabled = False
    form_fields: list[str] = []  # no add or edit screens (see get_urlpatterns)
    inspect_view_enabled = True
    list_display = ["at", "viewer_name", "subject_name", "kind", "image_id", "granted", "address"]
    list_filter = ["kind", "granted", "at"]
    search_fields = ["viewer_name", "subject_name", "address"]
    list_export = ["at", "viewer_name", "subject_name", "kind", "image_id", "granted", "address", "user_agent"]
    inspect_view_fields = ["at", "viewer_name", "subject_name", "kind", "image_id", "granted", "address", "user_agent"]

    def get_urlpatterns(self):
        keep = {"index", "index_results", "inspect"}
        return [pattern for pattern in super().get_urlpatterns() if pattern.name in keep]


@hooks.register("register_admin_viewset")
def register_access_log():
    return FaceImageAccessViewSet("face_image_access")
