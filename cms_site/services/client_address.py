"""The client's network address, for login lockouts (django-axes) and rate limits
(django-ratelimit).

By default it is ``REMOTE_ADDR``: the peer of this process. Behind a reverse proxy every
visitor would then share the proxy's address, so production names the header the trusted
proxy *sets* in ``CLIENT_IP_HEADER`` (environment variable of the same name, e.g.
``X-Real-IP``). Only that header is read — never ``X-Forwarded-For`` or the like on a guess,
because a client can send any header the proxy does not overwrite. When the named header
holds a list (``X-Forwarded-For`` style), the last entry is used: the one the proxy appended.
A missing or malformed value falls back to ``REMOTE_ADDR``.
"""

import ipaddress

from django.conf import settings


def header_meta_key(header_name):
    """``X-Real-IP`` → ``HTTP_X_REAL_IP`` (as found in ``request.META``)."""
    return "HTTP_" + header_name.strip().upper().replace("-", "_")


def client_ip(request):
    """The client address as configured (see the module docstring); a string."""
    remote = request.META.get("REMOTE_ADDR") or "0.0.0.0"
    header = getattr(settings, "CLIENT_IP_HEADER", None)
    if not header:
        return remote
    value = request.META.get(header_meta_key(header), "")
    candidate = value.split(",")[-1].strip()
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
