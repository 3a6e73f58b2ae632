"""The project's django-ninja APIs.

- ``site``: the site API (``api``), every site-wide JSON endpoint, mounted at ``/api/``;
  apps contribute their routers there
- ``common``: what every API of the project shares (site API, plugin APIs): one error
  shape (``install_error_handlers``), ``ProgramScopedAPI`` and bounded types

The site API is built in ``site``, not here: ``add_router`` imports each contributed router
at once, and those modules import ``cms_site.api.common`` (which runs this ``__init__``).
"""
