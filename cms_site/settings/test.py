import os
import tempfile
from pathlib import Path

from .base import *  # noqa: F401,F403
from .base import INSTALLED_APPS, STORAGES

# Each test run writes into its own throwaway data directory.
DATA_DIR = Path(os.environ.get("CERTPLATFORM_TEST_DATA_DIR") or tempfile.mkdtemp(prefix="certplatform-test-"))
MEDIA_ROOT = DATA_DIR / "media"
PRIVATE_MEDIA_ROOT = DATA_DIR / "private"
STORAGES = {
    **STORAGES,
    "private": {**STORAGES["private"], "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": None}},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

SECRET_KEY = "test-only-not-secret"
DEBUG = False
ALLOWED_HOSTS = ["*"]
DEMO_ACCOUNTS_ALLOWED = True

# The dummy plugin proves the framework's guarantees (see tests/plugins/); the survey plugin
# is the example docs/plugins.md builds (registered here, its only registration point).
INSTALLED_APPS = ["tests.dummy_plugin", "tests.dummy_addon", "tests.survey_plugin", *INSTALLED_APPS]

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
WHITENOISE_AUTOREFRESH = True

# Counts the requests the live server is handling, so a browser test's database flush waits
# for them (tests/inflight.py).
MIDDLEWARE = ["tests.inflight.InFlightMiddleware", *MIDDLEWARE]  # noqa: F405
