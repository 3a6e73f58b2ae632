from django.contrib.auth import get_user_model
from django.db.models import Q
from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import BasePermissionPolicy
from wagtail.permissions import register_permission_policy

from .models import ConsoleSitting, FaceImageAccess
from .services import access
from .views import admin as admin_views


def _users_holding(*codenames):
    """Active users holding one of the proctor plugin's permissions ``codenames`` (directly
    or through a group), and superusers."""
    return get_user_model().objects.filter(is_active=True).filter(
        Q(is_superuser=True)
        | Q(user_permissions__content_type__app_label="proctor_plugin", user_permissions__codename__in=codenames)
        | Q(groups__permissions__content_type__app_label="proctor_plugin", groups__permissions__codename__in=codenames)
    ).distinct()


class ReadOnlyPolicy(BasePermissionPolicy):
    """Only "view", for the users ``may_view`` lets in (``viewers`` lists them); nobody
    adds, changes or deletes rows of these models in the admin."""

    viewer_codenames: tuple[str, ...] = ()

    def may_view(self, user) -> bool:
        raise NotImplementedError

    def user_has_permission(self, user, action):
        return action == "view" and self.may_view(user)

    def user_has_any_permission(self, user, actions):
        return "view" in actions and self.may_view(user)

    def users_with_any_permission(self, actions):
        if "view" not in actions:
            return get_user_model().objects.none()
        return _users_holding(*self.viewer_codenames)

    def users_with_permission(self, action):
        return self.users_with_any_permission([action])


class ConsolePolicy(ReadOnlyPolicy):
    """The console's sitting list: proctors and chief proctors (which rows each sees is
    ``access.sittings_for``; the console's own views check every sitting)."""

    viewer_codenames = ("invigilate", "supervise_all_sittings")

    def may_view(self, user) -> bool:
        return access.may_use_console(user)


register_permission_policy(ConsoleSitting, ConsolePolicy(ConsoleSitting))


class ConsoleViewSet(ModelViewSet):
    """The proctor console under /admin/proctor/ (URL namespace ``proctor_plugin_admin``):
    the sitting list as this viewset's index, and the console's own screens
    (views/admin.py) beside it. Menu entry "Proctor console" for whoever the policy lets in."""

    model = ConsoleSitting
    name = "proctor"
    url_namespace = "proctor_plugin_admin"
    icon = "view"
    menu_label = _("Proctor console")
    menu_name = "proctor-console"
    menu_order = 830
    add_to_admin_menu = True
    add_to_reference_index = False
    index_view_class = admin_views.SittingListView
    list_per_page = 50

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("sittings/<int:sitting_id>/", admin_views.sitting_console, name="sitting"),
            path("sittings/<int:sitting_id>/grid/", admin_views.sitting_grid, name="grid"),
            path("sittings/<int:sitting_id>/assign/", admin_views.assign, name="assign"),
            path("candidates/<int:ps_id>/", admin_views.timeline, name="timeline"),
            path("candidates/<int:ps_id>/<str:action>/", admin_views.act, name="act"),
        ]


@hooks.register("register_admin_viewset")
def register_console():
    return ConsoleViewSet()


class AccessLogPolicy(ReadOnlyPolicy):
    """The face-image access log is read by the exam office only and written by
    ``privacy.photo_view`` only: nobody adds, changes or deletes rows in the admin."""

    viewer_codenames = ("supervise_all_sittings",)

    def may_view(self, user) -> bool:
        return access.supervises_all(user)


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
