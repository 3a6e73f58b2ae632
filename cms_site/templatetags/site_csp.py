"""``{% csp_nonce %}``: the CSP nonce of the current request, also where the template is
rendered without the request (Wagtail panels and form widgets). Use it only on script
elements whose content the template itself writes — never on user content."""

from django import template

from cms_site.middleware import current_csp_nonce

register = template.Library()


@register.simple_tag
def csp_nonce():
    return current_csp_nonce()
