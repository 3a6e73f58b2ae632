from django.apps import AppConfig


class Config(AppConfig):
    name = "tests.plugins.check_apps.typo"
    label = "check_typo"

    class PluginMeta:
        name = "Typo"
        version = "1"
        description = "depends_on misspelt"
        depend_on = ("exam_plugin",)
