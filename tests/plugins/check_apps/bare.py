from django.apps import AppConfig


class Config(AppConfig):
    name = "tests.plugins.check_apps.bare"
    label = "check_bare"

    class PluginMeta:
        url_segment = "bare"
