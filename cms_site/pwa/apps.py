from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PwaConfig(AppConfig):
    """Installable app shell (manifest, service worker, offline page) and web push."""

    name = "cms_site.pwa"
    label = "pwa"
    verbose_name = _("Progressive web app")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import checks, receivers  # noqa: F401 - system checks; push notifications on core signals

    def load_initial_data(self, fixtures_dir, log):
        """Create the site's VAPID key pair for web push if it does not exist yet (kept
        under ``DATA_DIR/keys``, never in the repository); an existing key is kept."""
        from .services.vapid import key_path, vapid_key

        existed = key_path().exists()
        vapid_key()
        log(f"  VAPID key {'kept' if existed else 'created'}: {key_path()}")
