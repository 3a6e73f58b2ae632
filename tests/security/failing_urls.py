"""The site's URLs plus one view that fails, to see how a real server error is logged."""

from django.urls import path

from cms_site.urls import handler400  # noqa: F401 - looked up in this module
from cms_site.urls import urlpatterns as site_patterns


def broken(request):
    raise RuntimeError("a genuine server bug")


urlpatterns = [path("test-broken/", broken), *site_patterns]
