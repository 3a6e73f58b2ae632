from django.apps import AppConfig


class CmsSiteConfig(AppConfig):
    name = "cms_site"
    verbose_name = "Site"

    def ready(self):
        from .services.wagtail_i18n import keep_wagtail_labels_lazy

        keep_wagtail_labels_lazy()  # first: before anything imports those Wagtail form modules

        from .services.images import configure_pillow

        configure_pillow()  # Pillow's bomb guard = settings.MAX_IMAGE_PIXELS (cms_site/services/images.py)

        from .services import log_filters

        log_filters.install()  # client errors are warnings without tracebacks

        from . import checks  # noqa: F401  (registers the deployment checks)
        from .services.admin_csp import add_nonce_to_chooser_scripts

        add_nonce_to_chooser_scripts()

        from .forms import install as install_page_chooser

        install_page_chooser()  # page choosers' labels follow the request's language
