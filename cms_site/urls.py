from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from plugins.urls import plugin_urlpatterns

from .api.site import api
from .views import health

handler400 = "cms_site.views.errors.bad_request"

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("api/", api.urls),
    path("", include("cms_site.pwa.urls")),
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("cms_site.accounts.urls")),
    path("", include("course_content.urls")),
    path("register/", include("course_content.registration.urls")),
    *plugin_urlpatterns(),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Wagtail's page serving comes last: it catches every path not matched above.
urlpatterns.append(path("", include(wagtail_urls)))
