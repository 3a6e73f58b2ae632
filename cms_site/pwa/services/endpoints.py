"""Where the server may send web push: the guard against SSRF through push endpoints.

A push subscription's ``endpoint`` is a URL chosen by the browser, or by anyone who posts
to the subscribe API. A background worker later POSTs to it, so an unchecked endpoint
would let a learner make the server connect to loopback or the internal network.
``check_endpoint`` applies these rules when a device subscribes AND again just before
every send:

- ``https``, no user info, and host and port are on the allow-list of push services:
  ``DEFAULT_PUSH_SERVICE_HOSTS`` plus ``settings.PWA_PUSH_EXTRA_SERVICE_HOSTS`` (entries
  ``"push.example.com"`` allow port 443 only, ``"push.example.com:8443"`` that port;
  ``"*.example.com"`` matches sub-domains of example.com only; IP literals must be listed
  literally). Being on the list does not exempt a host from the address rule below;
- every address the host resolves to is public unicast: not loopback, private,
  link-local, multicast, reserved, unspecified or shared (CGNAT), also when wrapped in
  IPv6 (IPv4-mapped, 6to4, Teredo, NAT64). A host that does not resolve is refused;
- the send connects to the address that was checked (``PinnedSession``): no second DNS
  lookup, so there is no rebinding window. TLS still verifies the certificate for the
  host name (SNI and ``Host`` carry the name), redirects are never followed and proxy
  settings from the environment are ignored.

Test-only escape: ``settings.PWA_PUSH_TEST_ORIGINS`` lists exact origins
(``"http://127.0.0.1:54321"``) of the local push receivers the test-suite runs. Those
skip the scheme, allow-list and address rules but are still pinned and never redirected.
The deploy check ``pwa.E001`` refuses any production configuration that sets it.
"""

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from requests import Session
from requests.adapters import HTTPAdapter
from requests.exceptions import InvalidURL

#: The push services of the common browsers.
DEFAULT_PUSH_SERVICE_HOSTS = (
    "fcm.googleapis.com",  # Chrome, Edge on Android, Opera, Samsung Internet, other Chromium
    "android.googleapis.com",  # older Chrome subscriptions (GCM-era endpoints)
    "updates.push.services.mozilla.com",  # Firefox
    "*.notify.windows.com",  # Edge on Windows (WNS)
    "web.push.apple.com",  # Safari on macOS and iOS 16.4+
)

MAX_ENDPOINT_LENGTH = 2048  # PushSubscription.endpoint's column
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


class EndpointRefused(ValueError):
    """The endpoint breaks a rule; ``reason`` is a code, ``message`` is translated."""

    MESSAGES = {
        "malformed": _("The push service address is not valid."),
        "scheme": _("The push service address is not valid."),
        "host": _("This push service is not supported. Please use a current version of Chrome, Edge, Firefox or Safari."),
        "address": _("The push service address points to a network the site does not send to."),
        "unresolvable": _("The push service could not be found. Please try again later."),
    }

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason

    @property
    def message(self):
        return self.MESSAGES[self.reason]


@dataclass(frozen=True)
class CheckedEndpoint:
    """An endpoint that passed the rules, with the one address the send may connect to."""

    url: str
    scheme: str
    host: str
    port: int
    netloc: str
    address: str


def allowed_hosts() -> tuple[tuple[str, int], ...]:
    """``(host pattern, port)`` pairs: defaults plus ``PWA_PUSH_EXTRA_SERVICE_HOSTS``
    (entries ``"push.example.com"`` or ``"push.example.com:8443"``; the port defaults to 443)."""
    extra = tuple(getattr(settings, "PWA_PUSH_EXTRA_SERVICE_HOSTS", ()) or ())
    return tuple(_host_and_port(entry) for entry in (*DEFAULT_PUSH_SERVICE_HOSTS, *extra))


def _host_and_port(entry) -> tuple[str, int]:
    text = str(entry).strip().lower()
    if text.startswith("["):  # "[2001:db8::1]" or "[2001:db8::1]:8443"
        host, _sep, rest = text[1:].partition("]")
        port = rest[1:] if rest.startswith(":") else ""
    elif text.count(":") == 1:
        host, _sep, port = text.partition(":")
    else:
        host, port = text, ""
    return host.rstrip("."), int(port) if port.isdigit() else 443


def test_origins() -> set[str]:
    return {o.lower().rstrip("/") for o in getattr(settings, "PWA_PUSH_TEST_ORIGINS", ()) or ()}


test_origins.__test__ = False  # not a pytest test, whatever its name


def host_allowed(host: str, port: int = 443) -> bool:
    for pattern, allowed_port in allowed_hosts():
        if port != allowed_port:
            continue
        if pattern.startswith("*."):
            if host.endswith(pattern[1:]) and len(host) > len(pattern) - 1:
                return True
        elif host == pattern:
            return True
    return False


def is_public_address(text: str) -> bool:
    """True for a public unicast address; False for anything else, including garbage."""
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return False
    if address.version == 6 and address in _NAT64:  # DNS64 on an IPv6-only network
        return _plainly_public(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF))
    candidates = [address]
    if address.version == 6:
        candidates += [a for a in (address.ipv4_mapped, address.sixtofour) if a is not None]
        candidates += list(address.teredo or ())
    return all(_plainly_public(a) for a in candidates)


def _plainly_public(address) -> bool:
    return address.is_global and not (
        address.is_loopback or address.is_private or address.is_link_local or address.is_multicast
        or address.is_reserved or address.is_unspecified or getattr(address, "is_site_local", False)
    )


def resolve(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to (IP literals resolve to themselves)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as err:
        raise EndpointRefused("unresolvable") from err
    addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
    if not addresses:
        raise EndpointRefused("unresolvable")
    return addresses


def _split(endpoint):
    if not isinstance(endpoint, str) or not endpoint or len(endpoint) > MAX_ENDPOINT_LENGTH:
        raise EndpointRefused("malformed")
    if any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in endpoint):
        raise EndpointRefused("malformed")
    try:
        parts = urlsplit(endpoint)
        host, port = parts.hostname, parts.port
    except ValueError as err:  # e.g. "https://[::1/x" or a port of 99999
        raise EndpointRefused("malformed") from err
    if not host or parts.username is not None or parts.password is not None or not host.isascii():
        raise EndpointRefused("malformed")
    scheme = parts.scheme.lower()
    return scheme, host.rstrip("."), port, parts.netloc


def check_endpoint(endpoint) -> CheckedEndpoint:
    """Apply the module's rules; returns the endpoint pinned to a checked address or
    raises ``EndpointRefused``. Resolves DNS (call it where a lookup is acceptable)."""
    scheme, host, port, netloc = _split(endpoint)
    if f"{scheme}://{netloc.lower()}" in test_origins() and scheme in ("http", "https"):
        port = port or (443 if scheme == "https" else 80)
        return CheckedEndpoint(endpoint, scheme, host, port, netloc, resolve(host, port)[0])
    if scheme != "https":
        raise EndpointRefused("scheme")
    port = port or 443
    if not host_allowed(host, port):
        raise EndpointRefused("host")
    addresses = resolve(host, port)
    if not all(is_public_address(a) for a in addresses):
        raise EndpointRefused("address")
    return CheckedEndpoint(endpoint, scheme, host, port, netloc, addresses[0])


class _PinnedAdapter(HTTPAdapter):
    """Opens connections to the checked address only, whatever the URL's host resolves to now."""

    def __init__(self, target: CheckedEndpoint):
        self.target = target
        super().__init__(max_retries=0)

    def build_connection_pool_key_attributes(self, request, verify, cert=None):
        host_params, pool_kwargs = super().build_connection_pool_key_attributes(request, verify, cert)
        host = (host_params.get("host") or "").lower().rstrip(".").strip("[]")
        if host != self.target.host.strip("[]") or host_params.get("scheme") != self.target.scheme:
            raise InvalidURL(f"push request to {request.url!r} does not match the checked endpoint")
        host_params = {**host_params, "host": self.target.address, "port": self.target.port}
        if self.target.scheme == "https":
            pool_kwargs = {**pool_kwargs, "server_hostname": self.target.host, "assert_hostname": self.target.host}
        return host_params, pool_kwargs


class PinnedSession(Session):
    """A ``requests`` session for one checked endpoint: pinned address, no redirects, no
    proxies from the environment. Pass it to ``pywebpush.webpush(requests_session=…)``."""

    def __init__(self, target: CheckedEndpoint):
        super().__init__()
        self.trust_env = False
        self.max_redirects = 0
        self.headers["Host"] = target.netloc
        adapter = _PinnedAdapter(target)
        self.mount("https://", adapter)
        self.mount("http://", adapter)

    def request(self, method, url, **kwargs):
        kwargs["allow_redirects"] = False
        return super().request(method, url, **kwargs)
