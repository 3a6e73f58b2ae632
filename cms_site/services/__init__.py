"""The project package's services: site-wide code every app may use.

- ``admin_csp``: the nonce on the inline scripts of Wagtail's chooser widgets (installed from
  ``CmsSiteConfig.ready``)
- ``backups``: consistent backups of the database and the uploaded files, and their restore
- ``client_address``: the client's network address for lockouts and rate limits
- ``images``: the one checker for uploaded images (pixel limit from the header, bounded decoding)
- ``log_filters``: client errors logged as warnings without tracebacks
- ``masking``: masking document numbers and phone numbers on public pages and prints
- ``pdf_fonts``: the CJK font every PDF of the site draws with
- ``prepared``: the exam autosave's one statement as a prepared statement on PostgreSQL
- ``server_errors``: the server's 5xx rate per minute (counted by ``cms_site.middleware``)
- ``wagtail_i18n``: Wagtail form labels kept lazy (installed from ``CmsSiteConfig.ready``)
"""
