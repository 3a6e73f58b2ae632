from django.templatetags.static import static
from django.utils.html import format_html
from wagtail import hooks


@hooks.register("insert_global_admin_js")
def site_behaviours():
    """The site's small delegated behaviours (``data-autosubmit`` selects) in the admin too:
    the CSP allows no inline event handlers."""
    return format_html('<script src="{}" defer></script>', static("cms_site/site.js"))
