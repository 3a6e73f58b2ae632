from django.apps import AppConfig


class Config(AppConfig):
    name = "tests.plugins.check_apps.menu"
    label = "check_menu"

    class PluginMeta:
        name = "Menu"
        version = "1"
        description = "a menu item at the order of another plugin's"


def menu_item():
    """Registered temporarily by the test: the same order as the proctor console."""
    from wagtail.admin.menu import MenuItem

    return MenuItem("Check menu", "/admin/check-menu/", order=830)
