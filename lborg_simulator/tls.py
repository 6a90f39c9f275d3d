"""Self-signed CA and server certificate, so clients can verify TLS instead of disabling it.

The CA lives in a directory that several simulators may share (`--ca-dir`): an HA pair created
by one parent then trusts each other without extra configuration. Creation is guarded by a lock
file so two simulators starting at the same moment end up with one CA.
"""

from __future__ import annotations

import datetime
import fcntl
import ipaddress
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from lborg_support.files import write_atomic, write_private

CA_CERT_NAME = "ca.pem"
CA_KEY_NAME = "ca-key.pem"
_VALIDITY = datetime.timedelta(days=3650)


@dataclass(frozen=True)
class ServerCredentials:
    """Paths of the files `ssl.SSLContext.load_cert_chain` needs, plus the CA clients trust."""

    ca_file: Path
    cert_file: Path
    key_file: Path


def _pem_key(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def _create_ca(ca_dir: Path) -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "lborg simulator CA")])
    now = datetime.datetime.now(datetime.UTC)
    # Alike the provider's plugin_certificate._new_certificate; the simulator never imports the provider.
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + _VALIDITY)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    write_private(ca_dir / CA_KEY_NAME, _pem_key(key))
    write_atomic(ca_dir / CA_CERT_NAME, cert.public_bytes(serialization.Encoding.PEM))


def ensure_ca(ca_dir: Path) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
    """Load the CA in `ca_dir`, creating it first if it does not exist yet."""
    ca_dir.mkdir(parents=True, exist_ok=True)
    with open(ca_dir / ".ca.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (ca_dir / CA_CERT_NAME).exists() or not (ca_dir / CA_KEY_NAME).exists():
            _create_ca(ca_dir)
        cert = x509.load_pem_x509_certificate((ca_dir / CA_CERT_NAME).read_bytes())
        key = serialization.load_pem_private_key((ca_dir / CA_KEY_NAME).read_bytes(), password=None)
    if not isinstance(key, ec.EllipticCurvePrivateKey):
        raise ValueError(f"CA key in {ca_dir} is not an EC key")
    return cert, key


def issue_server_certificate(state_dir: Path, host: str, ca_dir: Path) -> ServerCredentials:
    """Issue a fresh server certificate for `host` (an IP SAN plus `localhost`) signed by the CA.

    A new certificate on every start is cheap and keeps the SAN in step with `--listen`.
    The CA certificate is also copied to `state_dir/ca.pem`, the one place clients look.
    """
    ca_cert, ca_key = ensure_ca(ca_dir)
    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.datetime.now(datetime.UTC)
    san: list[x509.GeneralName] = [x509.DNSName("localhost")]
    try:
        san.insert(0, x509.IPAddress(ipaddress.ip_address(host)))
    except ValueError:
        san.insert(0, x509.DNSName(host))
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, host)]))
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + _VALIDITY)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.SubjectAlternativeName(san), critical=False)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    tls_dir = state_dir / "tls"
    tls_dir.mkdir(parents=True, exist_ok=True)
    cert_file = tls_dir / "server.pem"
    key_file = tls_dir / "server-key.pem"
    write_private(key_file, _pem_key(key))
    write_atomic(cert_file, cert.public_bytes(serialization.Encoding.PEM))
    ca_file = state_dir / CA_CERT_NAME
    if ca_dir.resolve() != state_dir.resolve():
        write_atomic(ca_file, ca_cert.public_bytes(serialization.Encoding.PEM))
    return ServerCredentials(ca_file=ca_file, cert_file=cert_file, key_file=key_file)
