from django.apps import AppConfig


class DummyAddonConfig(AppConfig):
    name = "tests.dummy_addon"
    label = "dummy_addon"
    default_auto_field = "django.db.models.BigAutoField"

    class PluginMeta:
        name = "Dummy add-on"
        version = "0.1"
        description = "Restricted test plugin"
        depends_on = ("dummy_plugin",)
        restricted = True
