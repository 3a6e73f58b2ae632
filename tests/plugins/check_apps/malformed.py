from django.apps import AppConfig


class Config(AppConfig):
    name = "tests.plugins.check_apps.malformed"
    label = "check_malformed"

    class PluginMeta:
        name = "Malformed"
        version = "1"
        description = "every attribute has the wrong form"
        depends_on = "exam_plugin"
        restricted = "no"
        url_segment = "a/b"
        settings_form = "tests.plugins.check_apps.nowhere.Form"
