from django.apps import AppConfig


class Config(AppConfig):
    name = "tests.plugins.check_apps.segment"
    label = "check_segment"

    class PluginMeta:
        name = "Second exam"
        version = "1"
        description = "mounts where the exam plugin mounts"
        url_segment = "exam"
