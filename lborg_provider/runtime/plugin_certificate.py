"""The TLS certificate the provider offers Terraform in its plugin handshake, kept between starts.

go-plugin (Terraform's side of the plugin protocol) accepts any certificate the provider names in
its handshake line, as the one root it trusts for that connection: a self-signed certificate for
`localhost` whose key may sign certificates and that serves as a TLS server. `tf`'s runner makes
one and caches it, but reading its cache back parses the certificate with `cryptography` to check
its expiry: that import alone costs more CPU than the rest of the handshake, and Terraform starts
the provider three or four times per command (`make test` starts it about 1,300 times).

The cache here stores the expiry beside the PEM and DER forms, so a start reads JSON and builds
gRPC's credentials, and `cryptography` is imported only to make a new certificate: the first
start, and once a week after. The file holds a private key: it is written mode 0600, atomically
(providers of parallel Terraform runs start side by side), and a file that cannot be read or
parsed is replaced rather than trusted.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import time
from pathlib import Path
from typing import Any

#: How long a certificate is used; Terraform verifies it only during the handshake of one start.
VALIDITY_SECONDS = 7 * 24 * 3600
#: A certificate this close to its expiry is replaced before a start offers it.
RENEW_MARGIN_SECONDS = 3600
CACHE_ENV = "LBORG_PLUGIN_CERT_CACHE"


def cache_path() -> Path:
    """`$LBORG_PLUGIN_CERT_CACHE`, else `plugin-certificate.json` in the user's cache folder."""
    override = os.environ.get(CACHE_ENV)
    if override:
        return Path(override)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "lborg-provider" / "plugin-certificate.json"


def server_certificate() -> tuple[bytes, Any]:
    """The certificate's DER bytes (for the handshake line) and gRPC server credentials.

    The signature `tf.runner.run_provider` expects of `_self_signed_cert`."""
    import grpc

    key_pem, cert_pem, cert_der = _cached() or _renewed()
    credentials = grpc.ssl_server_credentials(
        private_key_certificate_chain_pairs=[(key_pem, cert_pem)], require_client_auth=False
    )
    return cert_der, credentials


def install() -> None:
    """Make `tf`'s runner take its certificate from here; call before `run_provider`."""
    import tf.runner

    tf.runner._self_signed_cert = server_certificate


def _cached() -> tuple[bytes, bytes, bytes] | None:
    try:
        record = json.loads(cache_path().read_text(encoding="utf-8"))
        if float(record["not_valid_after"]) - RENEW_MARGIN_SECONDS <= time.time():
            return None
        return (
            record["key_pem"].encode("ascii"),
            record["cert_pem"].encode("ascii"),
            base64.b64decode(record["cert_der"], validate=True),
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None  # missing, expired, or not ours: made again below


def _renewed() -> tuple[bytes, bytes, bytes]:
    key_pem, cert_pem, cert_der, not_valid_after = _new_certificate()
    record = {
        "not_valid_after": not_valid_after,
        "key_pem": key_pem.decode("ascii"),
        "cert_pem": cert_pem.decode("ascii"),
        "cert_der": base64.b64encode(cert_der).decode("ascii"),
    }
    _write_private(cache_path(), json.dumps(record))
    return key_pem, cert_pem, cert_der


def _new_certificate() -> tuple[bytes, bytes, bytes, float]:
    """A self-signed `localhost` certificate with the uses go-plugin checks (module docstring)."""
    from datetime import UTC, datetime, timedelta

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.now(UTC)
    not_valid_after = now + timedelta(seconds=VALIDITY_SECONDS)
    usage = x509.KeyUsage(
        digital_signature=True,
        content_commitment=False,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=True,
        key_cert_sign=True,
        crl_sign=False,
        encipher_only=False,
        decipher_only=False,
    )
    # Alike lborg_simulator/tls.py's _create_ca (a self-signed X.509); the provider never imports it.
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(seconds=30))
        .not_valid_after(not_valid_after)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
        .add_extension(usage, critical=True)
        .add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH]),
            critical=False,
        )
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return (
        key_pem,
        certificate.public_bytes(serialization.Encoding.PEM),
        certificate.public_bytes(serialization.Encoding.DER),
        not_valid_after.timestamp(),
    )


def _write_private(path: Path, text: str) -> None:
    """Write `text` readable by the owner only; a failure leaves the certificate unsaved (the next
    start makes another), never a provider that cannot start."""
    from lborg_support.files import write_private

    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        write_private(path, text.encode("ascii"))
