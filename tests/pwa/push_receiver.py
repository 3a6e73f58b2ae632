"""A local stand-in for a browser's push service *and* the browser behind it.

It holds the subscription's private key and auth secret (as the browser would), accepts
pushes over HTTP on 127.0.0.1, checks the VAPID signature (RFC 8292) and decrypts the
payload per RFC 8291 (aes128gcm, RFC 8188) with its own implementation on
``cryptography``, independent of the encryption library the site uses.
"""

import base64
import json
import os
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from cryptography.hazmat.primitives import hashes, hmac, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from cryptography.hazmat.primitives.ciphers.aead import AESGCM


def b64url_encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _hkdf(salt: bytes, ikm: bytes, info: bytes, length: int) -> bytes:
    """HKDF-SHA256 (RFC 5869) with a single expand block, as RFC 8291 uses it."""
    extract = hmac.HMAC(salt, hashes.SHA256())
    extract.update(ikm)
    prk = extract.finalize()
    expand = hmac.HMAC(prk, hashes.SHA256())
    expand.update(info + b"\x01")
    return expand.finalize()[:length]


def _public_bytes(key) -> bytes:
    return key.public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)


def browser_keys() -> dict:
    """A fresh ``keys`` part of a subscription (a P-256 public key and an auth secret), as a
    browser would make it, for endpoints that are never really pushed to."""
    private_key = ec.generate_private_key(ec.SECP256R1())
    return {"p256dh": b64url_encode(_public_bytes(private_key.public_key())), "auth": b64url_encode(os.urandom(16))}


class PushReceiver:
    """``status``: the reply to every push; ``location``: a ``Location`` header to send
    with it (to prove redirects are not followed)."""

    def __init__(self, status=201, location=None):
        self.status = status
        self.location = location
        self.private_key = ec.generate_private_key(ec.SECP256R1())
        self.auth_secret = os.urandom(16)
        self.requests = []
        self._lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's naming
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with receiver._lock:
                    receiver.requests.append({"path": self.path, "headers": {k.lower(): v for k, v in self.headers.items()}, "body": body})
                self.send_response(receiver.status)
                if receiver.location:
                    self.send_header("Location", receiver.location)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    @property
    def origin(self):
        return f"http://127.0.0.1:{self.server.server_port}"

    @property
    def endpoint(self):
        return f"{self.origin}/push/{id(self):x}"

    def subscription_json(self):
        """What ``PushSubscription.toJSON()`` gives in a browser."""
        return {
            "endpoint": self.endpoint,
            "expirationTime": None,
            "keys": {"p256dh": b64url_encode(_public_bytes(self.private_key.public_key())),
                     "auth": b64url_encode(self.auth_secret)},
        }

    def wait_for(self, count, timeout=10.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                if len(self.requests) >= count:
                    return list(self.requests)
            time.sleep(0.02)
        raise AssertionError(f"expected {count} push request(s), got {len(self.requests)}")

    def decrypt(self, body: bytes) -> bytes:
        """RFC 8291 + RFC 8188 aes128gcm, single record."""
        salt, record_size, id_len = body[:16], int.from_bytes(body[16:20], "big"), body[20]
        sender_public = body[21:21 + id_len]
        ciphertext = body[21 + id_len:]
        assert len(ciphertext) <= record_size
        sender_key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), sender_public)
        shared = self.private_key.exchange(ec.ECDH(), sender_key)
        key_info = b"WebPush: info\x00" + _public_bytes(self.private_key.public_key()) + sender_public
        ikm = _hkdf(self.auth_secret, shared, key_info, 32)
        cek = _hkdf(salt, ikm, b"Content-Encoding: aes128gcm\x00", 16)
        nonce = _hkdf(salt, ikm, b"Content-Encoding: nonce\x00", 12)
        plaintext = AESGCM(cek).decrypt(nonce, ciphertext, None)
        padded = plaintext.rstrip(b"\x00")
        assert padded.endswith(b"\x02"), "last record must end with the 0x02 delimiter"
        return padded[:-1]

    def message(self, request) -> dict:
        return json.loads(self.decrypt(request["body"]).decode("utf-8"))

    def verify_vapid(self, request, application_server_key: str) -> dict:
        """Check the ``Authorization: vapid t=…, k=…`` header; returns the JWT claims."""
        scheme, _, params = request["headers"]["authorization"].partition(" ")
        assert scheme == "vapid"
        fields = dict(part.strip().split("=", 1) for part in params.split(","))
        assert fields["k"] == application_server_key
        header_b64, claims_b64, signature_b64 = fields["t"].split(".")
        assert json.loads(b64url_decode(header_b64))["alg"] == "ES256"
        signature = b64url_decode(signature_b64)
        der = encode_dss_signature(int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big"))
        public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), b64url_decode(fields["k"]))
        public.verify(der, f"{header_b64}.{claims_b64}".encode(), ec.ECDSA(hashes.SHA256()))
        claims = json.loads(b64url_decode(claims_b64))
        assert claims["aud"] == self.origin and claims["exp"] > time.time()
        return claims


class ConnectionCounter:
    """A bare TCP listener on 127.0.0.1 that counts every connection it accepts (and closes
    it at once): proof that the server never even tried to reach an address."""

    def __init__(self):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.1)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self._stop = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)

    def _serve(self):
        while not self._stop.is_set():
            try:
                conn, _address = self.sock.accept()
            except (TimeoutError, OSError):
                continue
            self.connections += 1
            conn.close()

    def __enter__(self):
        self.thread.start()
        return self

    def total(self) -> int:
        """Stop accepting and return every connection made so far, including any still
        waiting in the kernel's backlog (a connect() returns once the handshake is done)."""
        self._stop.set()
        self.thread.join()
        self.sock.setblocking(False)
        while True:
            try:
                conn, _address = self.sock.accept()
            except (BlockingIOError, OSError):
                return self.connections
            self.connections += 1
            conn.close()

    def __exit__(self, *exc):
        self._stop.set()
        self.thread.join()
        self.sock.close()
