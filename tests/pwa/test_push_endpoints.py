"""Web push cannot be turned against the server's network (SSRF) or another user's device.

Endpoint rules (``cms_site/pwa/services/endpoints.py``): HTTPS, allow-listed push services, public
addresses only; checked at subscribe time and again by the worker, which connects to the
checked address and follows no redirect. A bare TCP listener (``ConnectionCounter``)
proves the worker never even opened a connection to a refused endpoint.
"""

import json
import socket

import pytest
from django.core.checks import run_checks
from django.test import Client

from cms_site.pwa.models import PushSubscription
from cms_site.pwa.services import push
from cms_site.pwa.services.endpoints import EndpointRefused, host_allowed, is_public_address
from cms_site.pwa.tasks import deliver_push
from tests.pwa.conftest import allow_test_receiver
from tests.pwa.push_receiver import ConnectionCounter, PushReceiver, browser_keys

pytestmark = pytest.mark.django_db

SUBSCRIBE = "/api/push/subscribe"
KEYS = browser_keys()  # valid keys; nothing is ever delivered to them


@pytest.fixture
def listener():
    with ConnectionCounter() as counter:
        yield counter


@pytest.fixture
def fake_dns(monkeypatch):
    """Answers of the stdlib resolver for chosen names (``answers[name] = "1.2.3.4"``, a
    callable, or an exception); every other name resolves normally. ``lookups`` records
    each lookup of a chosen name."""
    real = socket.getaddrinfo
    state = {"answers": {}, "lookups": []}

    def getaddrinfo(host, port, *args, **kwargs):
        if host not in state["answers"]:
            return real(host, port, *args, **kwargs)
        state["lookups"].append(host)
        answer = state["answers"][host]
        answer = answer() if callable(answer) else answer
        if isinstance(answer, Exception):
            raise answer
        if ":" in answer:
            return [(socket.AF_INET6, socket.SOCK_STREAM, 6, "", (answer, port, 0, 0))]
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (answer, port))]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return state


def deliver(user):
    """Run the background task the way the worker does (the immediate backend in tests)."""
    return deliver_push.enqueue(user.pk, "test", "/pwa/notifications/", {}).return_value


# (endpoint, extra allow-list entries, expected reason); {port} is the listener's port.
REFUSED = {
    "loopback-address": ("https://127.0.0.1:{port}/push/1", ["127.0.0.1:{port}"], "address"),
    "name-resolving-to-loopback": ("https://localhost:{port}/push/1", ["localhost:{port}"], "address"),
    "ipv4-mapped-ipv6-loopback": ("https://[::ffff:127.0.0.1]:{port}/push/1", ["[::ffff:127.0.0.1]:{port}"], "address"),
    "ipv6-loopback": ("https://[::1]:{port}/push/1", ["[::1]:{port}"], "address"),
    "private-address": ("https://10.1.2.3/push/1", ["10.1.2.3"], "address"),
    "name-resolving-to-private": ("https://intranet.push.test:{port}/x", ["intranet.push.test:{port}"], "address"),
    "link-local-metadata": ("https://169.254.169.254/latest/meta-data", ["169.254.169.254"], "address"),
    "outside-the-allow-list": ("https://127.0.0.1:{port}/push/1", [], "host"),
    "allowed-host-other-port": ("https://fcm.googleapis.com:{port}/fcm/send/1", [], "host"),
    "lookalike-host": ("https://fcm.googleapis.com.evil.example/fcm/send/1", [], "host"),
    "plain-http": ("http://fcm.googleapis.com/fcm/send/1", [], "scheme"),
    "user-info": ("https://fcm.googleapis.com@127.0.0.1:{port}/x", ["127.0.0.1:{port}"], "malformed"),
    "malformed-ipv6": ("https://[::1/push/1", [], "malformed"),
    "malformed-ipv6-literal": ("https://[::ffff:127.0.0.1::zz]/push/1", [], "malformed"),
    "port-out-of-range": ("https://fcm.googleapis.com:99999/fcm/send/1", [], "malformed"),
}


@pytest.mark.parametrize("case", REFUSED.values(), ids=REFUSED.keys())
def test_bad_endpoint_is_refused_at_subscribe_and_the_worker_never_connects(
    case, client, make_learner, settings, listener, fake_dns
):
    endpoint, extra, reason = (
        case[0].format(port=listener.port), [e.format(port=listener.port) for e in case[1]], case[2]
    )
    fake_dns["answers"]["intranet.push.test"] = "192.168.10.20"
    settings.PWA_PUSH_EXTRA_SERVICE_HOSTS = extra
    user = make_learner()
    client.force_login(user)
    response = client.post(SUBSCRIBE, json.dumps({"endpoint": endpoint, "keys": KEYS}),
                           content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response.json() == {"detail": str(EndpointRefused.MESSAGES[reason])}
    assert not PushSubscription.objects.exists()

    # A bad row put into the database directly (an old row, a restore, a bug elsewhere).
    PushSubscription.objects.create(user=user, endpoint=endpoint, language="en", **KEYS)
    assert deliver(user) == {"sent": 0, "expired": 0, "refused": 1, "failed": 0}
    assert listener.total() == 0
    # Rows that can never be sent to are dropped; an address refusal may be a passing DNS fault.
    assert PushSubscription.objects.filter(endpoint=endpoint).exists() is (reason == "address")


def test_the_listener_does_see_a_connection_when_one_is_made(make_learner, settings, listener):
    """The control for the test above: an endpoint that is allowed gets connected to."""
    settings.PWA_PUSH_TEST_ORIGINS = [f"http://127.0.0.1:{listener.port}"]
    user = make_learner()
    PushSubscription.objects.create(user=user, endpoint=f"http://127.0.0.1:{listener.port}/push/1",
                                    language="en", **KEYS)
    assert deliver(user)["failed"] == 1  # the listener hangs up at once
    assert listener.total() >= 1


def test_a_host_that_turns_private_after_subscribing_is_not_contacted(client, make_learner, settings, fake_dns):
    settings.PWA_PUSH_EXTRA_SERVICE_HOSTS = ["push.example.org"]
    fake_dns["answers"]["push.example.org"] = "8.8.8.8"
    user = make_learner()
    client.force_login(user)
    endpoint = "https://push.example.org/send/abc"
    response = client.post(SUBSCRIBE, json.dumps({"endpoint": endpoint, "keys": KEYS}), content_type="application/json")
    assert response.status_code == 201

    fake_dns["answers"]["push.example.org"] = "127.0.0.1"  # DNS rebinding after the check
    assert deliver(user)["refused"] == 1
    assert PushSubscription.objects.filter(endpoint=endpoint).exists()


def test_the_send_connects_to_the_address_that_was_checked(make_learner, settings, fake_dns):
    """One lookup per send; the connection goes to its answer even when a later lookup
    would say otherwise; the push service still sees its own host name."""
    answers = iter(["127.0.0.1"])
    fake_dns["answers"]["rebind.push.test"] = lambda: next(answers, socket.gaierror(socket.EAI_NONAME, "gone"))
    user = make_learner()
    with PushReceiver() as receiver:
        host = f"rebind.push.test:{receiver.server.server_port}"
        settings.PWA_PUSH_TEST_ORIGINS = [f"http://{host}"]
        subscription_json = receiver.subscription_json()
        PushSubscription.objects.create(user=user, endpoint=f"http://{host}/push/1", language="en",
                                        **subscription_json["keys"])
        assert deliver(user)["sent"] == 1
        [request] = receiver.wait_for(1)
    assert fake_dns["lookups"] == ["rebind.push.test"]
    assert request["headers"]["host"] == host
    assert receiver.message(request)["kind"] == "test"


def test_redirects_are_not_followed(make_learner, settings, push_receiver):
    user = make_learner()
    with PushReceiver(status=307, location=push_receiver.endpoint) as redirector:
        allow_test_receiver(settings, redirector)
        PushSubscription.objects.create(user=user, endpoint=redirector.endpoint, language="en",
                                        **redirector.subscription_json()["keys"])
        assert deliver(user)["failed"] == 1
        assert len(redirector.wait_for(1)) == 1
    assert push_receiver.requests == []


def test_an_endpoint_bound_to_another_user_is_not_moved(make_learner, push_receiver):
    owner, intruder = make_learner(), make_learner()
    owner_client, intruder_client = Client(), Client()
    owner_client.force_login(owner)
    intruder_client.force_login(intruder)
    first = push_receiver.subscription_json()
    assert owner_client.post(SUBSCRIBE, json.dumps(first), content_type="application/json").status_code == 201

    stolen = {**first, "keys": browser_keys()}  # the intruder's own keys
    response = intruder_client.post(SUBSCRIBE, json.dumps(stolen), content_type="application/json",
                                    HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 409
    assert response.json() == {"detail": "此设备的通知订阅属于另一个账号。"}
    subscription = PushSubscription.objects.get()
    assert subscription.user == owner and subscription.p256dh == first["keys"]["p256dh"]

    response = owner_client.post(SUBSCRIBE, json.dumps(first), content_type="application/json",
                                 HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200 and response.json()["created"] is False
    assert PushSubscription.objects.get().language == "en"


@pytest.mark.parametrize("address,public", [
    ("8.8.8.8", True), ("2001:4860:4860::8888", True),
    ("127.0.0.1", False), ("127.8.9.10", False), ("::1", False),
    ("10.0.0.1", False), ("172.16.5.4", False), ("192.168.1.1", False), ("fc00::1", False), ("fd12::1", False),
    ("169.254.169.254", False), ("fe80::1", False),
    ("224.0.0.1", False), ("ff02::1", False),
    ("240.0.0.1", False), ("255.255.255.255", False),
    ("0.0.0.0", False), ("::", False),
    ("100.64.0.1", False),  # shared address space (CGNAT)
    ("::ffff:127.0.0.1", False), ("::ffff:10.0.0.1", False),
    ("::ffff:8.8.8.8", False),  # IPv4-mapped: never a push service's address, refused outright
    ("2002:7f00:1::", False),  # 6to4 around 127.0.0.1
    ("64:ff9b::7f00:1", False), ("64:ff9b::a00:1", False), ("64:ff9b::808:808", True),  # NAT64
    ("2001:0:4136:e378:8000:63bf:3fff:fdd2", False),  # Teredo
    ("not an address", False), ("", False),
])
def test_public_address_rule(address, public):
    assert is_public_address(address) is public


def test_allow_list_defaults_wildcards_and_ports(settings):
    settings.PWA_PUSH_EXTRA_SERVICE_HOSTS = ["push.example.cn", "alt.example.cn:8443"]
    assert host_allowed("fcm.googleapis.com") and host_allowed("updates.push.services.mozilla.com")
    assert host_allowed("web.push.apple.com") and host_allowed("wns2-par02p.notify.windows.com")
    assert not host_allowed("notify.windows.com") and not host_allowed("evilnotify.windows.com")
    assert not host_allowed("fcm.googleapis.com", 8443)
    assert host_allowed("push.example.cn") and not host_allowed("push.example.cn", 8443)
    assert host_allowed("alt.example.cn", 8443) and not host_allowed("alt.example.cn")


def test_default_push_service_is_accepted_when_it_resolves_to_a_public_address(fake_dns):
    fake_dns["answers"]["fcm.googleapis.com"] = "142.250.4.95"
    endpoint = "https://fcm.googleapis.com/fcm/send/abc:def"
    assert push.validate_subscription({"endpoint": endpoint, "keys": KEYS})[0] == endpoint
    fake_dns["answers"]["fcm.googleapis.com"] = socket.gaierror(socket.EAI_NONAME, "offline")
    with pytest.raises(push.SubscriptionError) as refused:
        push.validate_subscription({"endpoint": endpoint, "keys": KEYS})
    assert refused.value.messages == [EndpointRefused.MESSAGES["unresolvable"]]


def test_deploy_check_refuses_test_origins(settings):
    settings.PWA_PUSH_TEST_ORIGINS = ["http://127.0.0.1:8999"]
    assert "pwa.E001" in {m.id for m in run_checks(include_deployment_checks=True)}
    settings.PWA_PUSH_TEST_ORIGINS = []
    assert "pwa.E001" not in {m.id for m in run_checks(include_deployment_checks=True)}


def test_push_operations_are_in_the_published_schema(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    for operation in ("/api/push/key", "/api/push/subscribe", "/api/push/unsubscribe", "/api/push/test"):
        assert operation in paths


@pytest.fixture
def tls_receiver(tmp_path):
    """An HTTPS server on 127.0.0.1 with a self-signed certificate for push.local.test;
    records the SNI name and Host header it was reached with. Yields (port, ca_path, seen)."""
    import datetime
    import ssl
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "push.local.test")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(1).not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("push.local.test")]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    seen = {}

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - http.server's naming
            seen["host"] = self.headers["Host"]
            self.send_response(201)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_path, key_path)
    context.sni_callback = lambda sock, server_name, ctx: seen.__setitem__("sni", server_name)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_port, str(cert_path), seen
    server.shutdown()
    server.server_close()


def test_pinned_https_still_verifies_the_certificate_for_the_host_name(tls_receiver):
    from requests.exceptions import SSLError

    from cms_site.pwa.services.endpoints import CheckedEndpoint, PinnedSession

    port, ca_path, seen = tls_receiver

    def endpoint(host):
        return CheckedEndpoint(f"https://{host}:{port}/push/1", "https", host, port, f"{host}:{port}", "127.0.0.1")

    good = PinnedSession(endpoint("push.local.test"))
    good.verify = ca_path
    assert good.post(f"https://push.local.test:{port}/push/1", data=b"x", timeout=10).status_code == 201
    assert seen == {"sni": "push.local.test", "host": f"push.local.test:{port}"}

    wrong = PinnedSession(endpoint("other.local.test"))  # same address, a name the certificate lacks
    wrong.verify = ca_path
    with pytest.raises(SSLError):
        wrong.post(f"https://other.local.test:{port}/push/1", data=b"x", timeout=10)
