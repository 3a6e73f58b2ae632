from django.apps import AppConfig


class Config(AppConfig):
    name = "tests.plugins.check_apps.cycle_b"
    label = "check_cycle_b"

    class PluginMeta:
        name = "B"
        version = "1"
        description = "needs A"
        depends_on = ("check_cycle_a",)
