from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import services
from .services.programs import program_model
from .views import admin


@hooks.register("register_admin_urls")
def register_admin_urls():
    urls = [
        path("", admin.program_list, name="program_list"),
        path("<int:program_id>/", admin.program_plugins, name="program_plugins"),
        path("<int:program_id>/<str:label>/<str:action>/", admin.switch, name="switch"),
    ]
    return [path("program-plugins/", include((urls, "plugins_admin"), namespace="plugins_admin"))]


class PluginsMenuItem(MenuItem):
    def is_shown(self, request):
        return services.can_manage(request.user)


@hooks.register("register_admin_menu_item")
def register_menu_item():
    return PluginsMenuItem(_("Program plugins"), reverse("plugins_admin:program_list"), icon_name="cogs", order=800)


@hooks.register("register_log_actions")
def register_log_actions(actions):
    actions.register_action("plugins.enabled", _("Plugin switched on"), _("Plugin switched on"))
    actions.register_action("plugins.disabled", _("Plugin switched off"), _("Plugin switched off"))
    actions.register_action("plugins.settings_changed", _("Plugin settings changed"), _("Plugin settings changed"))


def _plugins_button(page, user, priority):
    from wagtail.admin.widgets import Button

    if page.specific_class is program_model() and services.can_manage(user):
        yield Button(
            _("Plugins"), reverse("plugins_admin:program_plugins", args=[page.pk]), icon_name="cogs", priority=priority
        )


@hooks.register("register_page_header_buttons")
def page_header_plugins_button(page, user, view_name, next_url=None):
    yield from _plugins_button(page, user, priority=68)


@hooks.register("register_page_listing_more_buttons")
def page_listing_plugins_button(page, user, next_url=None):
    yield from _plugins_button(page, user, priority=55)
