"""The site API: every site-wide JSON endpoint, one django-ninja API mounted at ``/api/``.

Apps contribute a ninja ``Router`` from their own ``api.py``; registering one is one line
below (``api.add_router(prefix, "dotted.path.router")``, the router is imported lazily by
ninja). Program-scoped plugin APIs are separate NinjaAPIs mounted under
``/programs/<program>/<segment>/api/`` and share the error shape through
``cms_site.api.common.install_error_handlers``.

Contract: session auth (``django_auth``) on every operation unless it says otherwise, CSRF
on unsafe methods (ninja's cookie auth checks it), errors ``{"detail": "<translated>"}``
(422 ``{"detail": [...]}`` for validation), schema published at ``/api/openapi.json``.
"""

from ninja.security import django_auth

from .common import AppAPI, install_error_handlers

api = AppAPI(
    title="Site API",
    version="1.0",
    description="Site-wide JSON endpoints: study heartbeats and offline replay, offline modules, web push.",
    urls_namespace="site_api",
    auth=django_auth,
    docs_url=None,  # Swagger UI loads from a CDN; the schema is served at /api/openapi.json
)
install_error_handlers(api)

# Routers contributed by apps: one line each.
api.add_router("/study/", "course_content.api.study.router")
api.add_router("/offline/", "course_content.api.offline.router")
api.add_router("/push/", "cms_site.pwa.api.router")
