"""The site's certificate-signing key and PDF signatures (pyHanko).

The key pair and a self-signed X.509 certificate are generated on first use and kept in
``settings.DATA_DIR / "keys"`` (override: ``CERT_PLUGIN_KEY_DIR``), never in the
repository. Key and certificate live in one PEM file written atomically (temp file +
``os.link``), so two workers racing on first use agree on one key: the loser reads the
winner's file.

``verify_pdf`` checks a PDF against the site's certificate: an edited byte inside the
signed range breaks the digest, an appended edit is reported as not covering the whole
file.
"""

import asyncio
import datetime
import os
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from io import BytesIO
from pathlib import Path

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from django.conf import settings

KEY_FILE_NAME = "cert_plugin_signing.pem"
CERT_VALID_YEARS = 30
SIGNATURE_BYTES_RESERVED = 4096  # an ECDSA CMS container with the certificate is ~1.5 KB


def key_dir() -> Path:
    return Path(getattr(settings, "CERT_PLUGIN_KEY_DIR", None) or Path(settings.DATA_DIR) / "keys")


def _generate_pem(common_name: str) -> bytes:
    # ECDSA P-256: accepted by PDF readers, and far cheaper per signature than RSA.
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, common_name),
        ]
    )
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=365 * CERT_VALID_YEARS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True, content_commitment=True, key_encipherment=False, data_encipherment=False,
                key_agreement=False, key_cert_sign=True, crl_sign=False, encipher_only=False, decipher_only=False,
            ),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return key_pem + cert.public_bytes(serialization.Encoding.PEM)


def ensure_key_file() -> Path:
    """The PEM file (private key + self-signed certificate), created on first use."""
    directory = key_dir()
    path = directory / KEY_FILE_NAME
    if path.exists():
        return path
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    common_name = getattr(settings, "CERT_PLUGIN_SIGNER_NAME", "Certificate issuer (platform signing key)")
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=".signing-", suffix=".pem")
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(_generate_pem(common_name))
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass  # another process won the race; use its key
    finally:
        os.unlink(tmp)
    return path


@dataclass(frozen=True)
class SigningMaterial:
    key: asn1_keys.PrivateKeyInfo
    cert: asn1_x509.Certificate


@lru_cache(maxsize=4)
def _load(path: str, mtime: float) -> SigningMaterial:
    data = Path(path).read_bytes()
    key = serialization.load_pem_private_key(data, password=None)
    cert = x509.load_pem_x509_certificate(data)
    key_der = key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    return SigningMaterial(
        key=asn1_keys.PrivateKeyInfo.load(key_der),
        cert=asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER)),
    )


def signing_material() -> SigningMaterial:
    path = ensure_key_file()
    return _load(str(path), path.stat().st_mtime)


def _outside_event_loop(function, *args, **kwargs):
    """Call ``function`` where no asyncio loop runs in the thread.

    pyHanko's synchronous API uses ``asyncio.run``, which refuses to run inside a thread
    whose event loop is running (ASGI handlers, Playwright's sync API in tests).
    """
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return function(*args, **kwargs)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(function, *args, **kwargs).result()


def sign_pdf(pdf_bytes: bytes, *, reason: str, location: str = "") -> bytes:
    """``pdf_bytes`` with an approval signature of the site's key over the whole file."""
    return _outside_event_loop(_sign_pdf, pdf_bytes, reason=reason, location=location)


@lru_cache(maxsize=4)
def _signer(path: str, mtime: float):
    """One pyHanko signer per key file, reused for every signature of the process."""
    from pyhanko.sign import signers
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    material = _load(path, mtime)
    return signers.SimpleSigner(
        signing_cert=material.cert,
        signing_key=material.key,
        cert_registry=SimpleCertificateStore.from_certs([material.cert]),
    )


def _sign_pdf(pdf_bytes: bytes, *, reason: str, location: str = "") -> bytes:
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers

    path = ensure_key_file()
    signer = _signer(str(path), path.stat().st_mtime)
    writer = IncrementalPdfFileWriter(BytesIO(pdf_bytes))
    meta = signers.PdfSignatureMetadata(field_name="CertificateSignature", reason=reason, location=location or None)
    # A fixed reservation skips pyHanko's dry-run signature used to measure the size.
    out = signers.sign_pdf(writer, meta, signer=signer, bytes_reserved=SIGNATURE_BYTES_RESERVED)
    return out.getvalue()


@dataclass(frozen=True)
class SignatureCheck:
    ok: bool
    intact: bool
    trusted: bool
    covers_whole_file: bool
    detail: str


def verify_pdf(pdf_bytes: bytes) -> SignatureCheck:
    """Check the first signature of ``pdf_bytes`` against the site's certificate.

    ``ok`` only when the signed bytes are untouched (digest matches), the signer is the
    site's certificate, and nothing was appended after signing.
    """
    return _outside_event_loop(_verify_pdf, pdf_bytes)


def _verify_pdf(pdf_bytes: bytes) -> SignatureCheck:
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    try:
        reader = PdfFileReader(BytesIO(pdf_bytes), strict=False)
        signatures = reader.embedded_signatures
    except Exception as err:  # noqa: BLE001 - any parse failure means "not a valid signed PDF"
        return SignatureCheck(False, False, False, False, f"unreadable: {err}")
    if not signatures:
        return SignatureCheck(False, False, False, False, "no signature")
    context = ValidationContext(trust_roots=[signing_material().cert], allow_fetching=False)
    try:
        status = validate_pdf_signature(signatures[0], context)
    except Exception as err:  # noqa: BLE001 - a mangled signature object is a failed check
        return SignatureCheck(False, False, False, False, f"invalid: {err}")
    covers = status.coverage is not None and status.coverage.name == "ENTIRE_FILE"
    trusted = bool(status.trusted)
    ok = bool(status.intact and status.valid and trusted and covers)
    return SignatureCheck(ok, bool(status.intact), trusted, covers, status.summary())
