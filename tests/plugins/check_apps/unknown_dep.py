from django.apps import AppConfig


class Config(AppConfig):
    name = "tests.plugins.check_apps.unknown_dep"
    label = "check_unknown_dep"

    class PluginMeta:
        name = "Unknown dependency"
        version = "1"
        description = "depends on a plugin that is not installed"
        depends_on = ("exam_plugn",)
