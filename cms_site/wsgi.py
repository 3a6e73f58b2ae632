import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms_site.settings.production")
application = get_wsgi_application()


def _refuse_to_start_on_check_errors():
    """With ``CHECK_AT_STARTUP`` (production) a worker does not boot while a system check
    reports an error (e.g. a per-process cache with several workers): gunicorn stops."""
    from django.conf import settings

    if getattr(settings, "CHECK_AT_STARTUP", False):
        from django.core.management import call_command

        call_command("check", fail_level="ERROR")


_refuse_to_start_on_check_errors()
