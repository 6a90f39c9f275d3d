"""The plugin handshake's certificate (`lborg_provider.runtime.plugin_certificate`): what go-plugin
needs of it, made once and reused, replaced when near its expiry or unreadable, never readable by
others, and read back without importing `cryptography` (the point of the cache)."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.x509.oid import ExtendedKeyUsageOID

from lborg_provider.runtime import plugin_certificate
from tests.support.paths import REPO_ROOT


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "cache" / "plugin-certificate.json"
    monkeypatch.setenv(plugin_certificate.CACHE_ENV, str(path))
    return path


def test_a_new_certificate_is_what_go_plugin_trusts_and_only_its_owner_reads_it(cache: Path) -> None:
    der, _credentials = plugin_certificate.server_certificate()
    certificate = x509.load_der_x509_certificate(der)
    assert certificate.subject == certificate.issuer  # self-signed: the one root of the connection
    names = certificate.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert names.get_values_for_type(x509.DNSName) == ["localhost"]
    assert certificate.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    assert certificate.extensions.get_extension_for_class(x509.KeyUsage).value.key_cert_sign
    usages = certificate.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    assert ExtendedKeyUsageOID.SERVER_AUTH in usages
    lifetime = certificate.not_valid_after_utc.timestamp() - time.time()
    assert plugin_certificate.VALIDITY_SECONDS - 60 < lifetime <= plugin_certificate.VALIDITY_SECONDS
    assert stat.S_IMODE(cache.stat().st_mode) == 0o600
    assert json.loads(cache.read_text())["not_valid_after"] == pytest.approx(
        certificate.not_valid_after_utc.timestamp(), abs=1
    )


def test_the_next_start_offers_the_same_certificate(cache: Path) -> None:
    first, _ = plugin_certificate.server_certificate()
    second, _ = plugin_certificate.server_certificate()
    assert first == second


@pytest.mark.parametrize(
    "spoil",
    [
        lambda record: {**record, "not_valid_after": time.time() + 60},  # within the renewal margin
        lambda record: {**record, "cert_der": "not base64!"},
        lambda record: "a string, not a record",
    ],
    ids=["near-expiry", "damaged", "not-a-record"],
)
def test_a_certificate_near_its_expiry_or_unreadable_is_made_again(cache: Path, spoil: object) -> None:
    first, _ = plugin_certificate.server_certificate()
    record = json.loads(cache.read_text())
    cache.write_text(json.dumps(spoil(record)))  # type: ignore[operator]
    renewed, _ = plugin_certificate.server_certificate()
    assert renewed != first
    assert json.loads(cache.read_text())["not_valid_after"] > time.time() + 3600


def test_an_unwritable_cache_still_serves_a_certificate(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv(plugin_certificate.CACHE_ENV, str(blocker / "plugin-certificate.json"))
    der, _ = plugin_certificate.server_certificate()
    assert x509.load_der_x509_certificate(der).subject.rfc4514_string() == "CN=localhost"


def test_a_cached_certificate_is_read_without_importing_cryptography(cache: Path) -> None:
    plugin_certificate.server_certificate()  # made here, with cryptography
    probe = (
        "import sys; from lborg_provider.runtime import plugin_certificate as c; c.server_certificate(); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'cryptography'))"
    )
    shown = subprocess.run(
        [sys.executable, "-c", probe],
        env={**os.environ, plugin_certificate.CACHE_ENV: str(cache), "PYTHONPATH": str(REPO_ROOT)},
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    assert shown.strip() == "[]"
