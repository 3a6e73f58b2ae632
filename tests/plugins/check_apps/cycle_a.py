from django.apps import AppConfig


class Config(AppConfig):
    name = "tests.plugins.check_apps.cycle_a"
    label = "check_cycle_a"

    class PluginMeta:
        name = "A"
        version = "1"
        description = "needs B"
        depends_on = ("check_cycle_b",)
