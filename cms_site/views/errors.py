"""The site's error handlers (``handler400`` in ``cms_site/urls.py``)."""

from django.core.exceptions import RequestDataTooBig
from django.views import defaults


def bad_request(request, exception=None):
    """``handler400``: Django answers every SuspiciousOperation with 400; a body over
    ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (``RequestDataTooBig``, e.g. a huge form post) is a 413."""
    response = defaults.bad_request(request, exception)
    if isinstance(exception, RequestDataTooBig):
        response.status_code = 413
    return response
