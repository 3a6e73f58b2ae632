from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import admin_views, console


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
    return [path("proctor/", include((urls, "proctor_console"), namespace="proctor_console"))]


class ConsoleMenuItem(MenuItem):
    def is_shown(self, request):
        return console.supervises_all(request.user) or request.user.has_perm("proctor_plugin.invigilate")


@hooks.register("register_admin_menu_item")
def register_menu_item():
    return ConsoleMenuItem(_("Proctor console"), reverse("proctor_console:index"), icon_name="view", order=820)
