"""Wagtail admin under a nonce-only script CSP.

Wagtail 8's admin runs from static files except for a few inline initialisers: panel
templates (``InlinePanel``, ``MultipleChooserPanel``) and date/time widget templates, which
are overridden under ``cms_site/templates/wagtailadmin/`` to carry ``nonce="{% csp_nonce %}"``,
and the chooser widgets (page, image, document, snippet choosers), whose ``render()`` appends
``<script>{init}</script>`` in Python. ``add_nonce_to_chooser_scripts`` wraps that method so
the appended element carries the nonce of the request being served. Only the script the
widget itself writes is touched (the last ``<script>`` of its own output), never content.
When a Wagtail upgrade changes these, tests/security/test_headers.py (crawl of the admin) and
tests/e2e/test_csp.py (Chromium's violation reports) fail.
"""

from django.utils.safestring import mark_safe

from cms_site.middleware import current_csp_nonce

_MARK = "_site_csp_nonce_wrapped"


def add_nonce_to_chooser_scripts():
    from wagtail.admin.widgets.chooser import BaseChooser

    original = BaseChooser.render
    if getattr(original, _MARK, False):
        return

    def render(self, name, value, attrs=None, renderer=None):
        html = original(self, name, value, attrs=attrs, renderer=renderer)
        nonce = current_csp_nonce()
        head, tag, tail = str(html).rpartition("<script>")
        if not tag or not nonce:
            return html
        return mark_safe(f'{head}<script nonce="{nonce}">{tail}')  # noqa: S308 - our own tag around Wagtail's init

    setattr(render, _MARK, True)
    BaseChooser.render = render
