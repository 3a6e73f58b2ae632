from django import forms
from django.apps import AppConfig


class DummySettingsForm(forms.Form):
    greeting = forms.CharField(initial="hello", max_length=20)
    limit = forms.IntegerField(initial=3, min_value=0)


class DummyPluginConfig(AppConfig):
    name = "tests.dummy_plugin"
    label = "dummy_plugin"
    default_auto_field = "django.db.models.BigAutoField"
    periodic_jobs = [(60, "dummy_tick", {"label": "fail"}), (60, "dummy_tick", {"label": "tick"})]
    installed_calls: list = []
    uninstalled_calls: list = []

    class PluginMeta:
        name = "Dummy"
        version = "0.1"
        description = "Test plugin"
        depends_on = ()
        restricted = False
        settings_form = "tests.dummy_plugin.apps.DummySettingsForm"
        url_segment = "dummy"

    def installed(self, program):
        self.installed_calls.append(program.pk)

    def uninstalled(self, program):
        self.uninstalled_calls.append(program.pk)

    def ready(self):
        from . import signals  # noqa: F401
