"""System checks of web push settings.

``pwa.E001`` (deploy): ``PWA_PUSH_TEST_ORIGINS`` is a test-suite escape from the push
endpoint rules (``services/endpoints.py``); a deployment that sets it could be made to connect to
those origins, so ``check --deploy`` fails while it is set.
"""

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def push_test_origins_unset(app_configs, **kwargs):
    if getattr(settings, "PWA_PUSH_TEST_ORIGINS", None):
        return [Error(
            "PWA_PUSH_TEST_ORIGINS is set: it lets web push reach non-public addresses and is for tests only.",
            hint="Remove PWA_PUSH_TEST_ORIGINS; add real push services with PWA_PUSH_EXTRA_SERVICE_HOSTS.",
            id="pwa.E001",
        )]
    return []
