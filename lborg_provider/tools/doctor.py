"""`eas-lb doctor`: a read-only first contact with an appliance.

Before Terraform manages anything on a real appliance, this shows what the provider would see
there: whether TLS is trusted (and the certificate's SHA-256 fingerprint when it is not), whether
the credentials work, the node's role and HA peer, how many VIPs, real servers and floating IPs
the provider parses, the global health-check settings against the deployment guide's, and every
element or shape the provider does not recognize. It sends only `list` and `nodestatus`.

Exit status: 0 when the provider would read this appliance correctly, 1 when it would not (or
could not connect, or the credentials or CA file cannot be used), 3 for a usage error (no
endpoint). `--capture FILE` writes every response, with credentials and addresses redacted, for
a bug report or a new test fixture.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import socket
import ssl
import sys
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import urlsplit

from lborg_provider.client.errors import ApplianceError
from lborg_provider.client.payload import (
    ShapeError,
    advanced_from_result,
    config_from_result,
    nodestatus_from_result,
)
from lborg_provider.client.redact import redact, redact_text
from lborg_provider.model import normalize
from lborg_provider.model.config_view import floating_ips, reals, virtuals
from lborg_provider.model.fields import Field, UnreadableValue
from lborg_provider.model.server_states import UnreadableStates, reported_states
from lborg_provider.model.tables import BY_LAYER
from lborg_provider.runtime.settings import ApplianceSettings, SettingsError, resolve_settings
from lborg_support.files import write_atomic

#: The deployment guide's global health-check settings (there is no API action to set them).
GUIDE_L7 = {"interval": 3000}
GUIDE_L4 = {"checkinterval": 3, "checktimeout": 3, "failurecount": 2}

READS: tuple[dict[str, str], ...] = (
    {"action": "nodestatus"},
    {"action": "list", "function": "dumpconfig"},
    {"action": "list", "function": "advanced", "layer": "7"},
    {"action": "list", "function": "advanced", "layer": "4"},
)
#: docs/command-line.md: 0 read correctly; 1 would misread, cannot connect or cannot be set up; 3 usage.
EXIT_OK, EXIT_MISREAD, EXIT_USAGE = 0, 1, 3


@dataclass
class Findings:
    """What the doctor saw; `problems` are what would make the provider misread or fail."""

    out: TextIO
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    #: `--json`: where the one JSON object goes at the end (the lines then go nowhere).
    as_json: TextIO | None = None
    endpoint: str = ""
    checks: list[dict[str, str]] = field(default_factory=list)

    def ok(self, topic: str, text: str) -> None:
        self.checks.append({"result": "ok", "topic": topic, "text": text})
        self.out.write(f"ok    {topic}: {text}\n")

    def warn(self, topic: str, text: str) -> None:
        self.notes.append(f"{topic}: {text}")
        self.checks.append({"result": "warn", "topic": topic, "text": text})
        self.out.write(f"warn  {topic}: {text}\n")

    def fail(self, topic: str, text: str) -> None:
        self.problems.append(f"{topic}: {text}")
        self.checks.append({"result": "fail", "topic": topic, "text": text})
        self.out.write(f"FAIL  {topic}: {text}\n")

    def document(self, code: int) -> dict[str, Any]:
        """`--json`: every check in order, and whether the provider reads this appliance correctly."""
        return {
            "endpoint": self.endpoint,
            "reads_correctly": not self.problems,
            "exit_status": code,
            "checks": self.checks,
            "problems": self.problems,
            "notes": self.notes,
        }


def certificate_fingerprint(der: bytes) -> str:
    digest = hashlib.sha256(der).hexdigest().upper()
    return ":".join(digest[index : index + 2] for index in range(0, len(digest), 2))


def check_tls(settings: ApplianceSettings, findings: Findings) -> bool:
    """Open one TLS connection as the provider would; on failure show the certificate's fingerprint."""
    parts = urlsplit(settings.endpoint)
    host, port = parts.hostname or "", parts.port or 9443
    trusted = ssl.create_default_context(cafile=settings.ca_file) if settings.ca_file else None
    context = trusted or ssl.create_default_context()
    where = f"CA file {settings.ca_file}" if settings.ca_file else "the system CA store"
    try:
        with (
            socket.create_connection((host, port), timeout=min(10.0, settings.timeout_seconds)) as sock,
            context.wrap_socket(sock, server_hostname=host) as tls,
        ):
            der = tls.getpeercert(binary_form=True) or b""
    except ssl.SSLCertVerificationError as error:
        fingerprint = _unverified_fingerprint(host, port, settings.timeout_seconds)
        findings.fail(
            "TLS",
            f"the certificate of {host}:{port} is not trusted by {where} ({error.verify_message}); its "
            f"SHA-256 fingerprint is {fingerprint}. Compare it with the appliance's own certificate, then "
            "pass --ca-file (provider: ca_file) with the CA that signed it",
        )
        return False
    except (OSError, ssl.SSLError) as error:
        findings.fail("TLS", f"cannot open a TLS connection to {host}:{port}: {error}")
        return False
    findings.ok("TLS", f"certificate trusted by {where}; SHA-256 {certificate_fingerprint(der)}")
    return True


def _unverified_fingerprint(host: str, port: int, timeout: float) -> str:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    try:
        with (
            socket.create_connection((host, port), timeout=min(10.0, timeout)) as sock,
            context.wrap_socket(sock, server_hostname=host) as tls,
        ):
            der = tls.getpeercert(binary_form=True) or b""
    except (OSError, ssl.SSLError):
        return "(not available)"
    return certificate_fingerprint(der)


@dataclass
class Capture:
    """Every read and its whole response body, redacted, in the order they were sent."""

    exchanges: list[dict[str, Any]] = field(default_factory=list)

    def record(self, actions: Sequence[Mapping[str, Any]], body: Any) -> None:
        self.exchanges.append({"request": {"lbcli": [dict(a) for a in actions]}, "response": redact(body)})

    def write(self, path: Path, endpoint: str) -> None:
        document = {
            "what": "lborg_provider doctor capture: API responses, credentials and addresses redacted",
            "endpoint": redact_text(endpoint),
            "exchanges": self.exchanges,
        }
        write_atomic(path, (json.dumps(document, indent=2, sort_keys=True) + "\n").encode("utf-8"))


def _read_all(client: Any, findings: Findings) -> list[Any] | None:
    """Send the reads one by one (only reads: a doctor never changes the appliance)."""
    from lborg_provider.client.api import READ_ACTIONS

    results = []
    for action in READS:
        assert action["action"] in READ_ACTIONS
        try:
            result = client.call([action])[0]
        except ApplianceError as error:
            findings.fail("API", str(error))
            return None
        if not result.ok:
            findings.fail("API", f"{_what(action)} answered '{result.status}': {result.message}")
            return None
        results.append(result)
    return results


def _what(action: Mapping[str, str]) -> str:
    layer = f" layer {action['layer']}" if "layer" in action else ""
    return f"{action['action']} {action.get('function', '')}".strip() + layer


def _parse(findings: Findings, topic: str, parse: Callable[[], dict[str, Any]]) -> dict[str, Any] | None:
    try:
        return parse()
    except ShapeError as error:
        findings.fail(topic, f"not in a layout the provider recognizes: {redact_text(str(error))}")
        return None


def report_node(config: dict[str, Any], status: dict[str, Any] | None, findings: Findings) -> None:
    role = normalize.text(normalize.dig(config, "physical", "network", "role")) or "(not set)"
    hostname = normalize.text(normalize.dig(config, "physical", "network", "hostname")) or "(not set)"
    master = normalize.text(normalize.dig(config, "heartbeat", "ucast_ip", "master"))
    slave = normalize.text(normalize.dig(config, "heartbeat", "ucast_ip", "slave"))
    if master and slave:
        peer = slave if role != "slave" else master
        findings.ok(
            "node",
            f"{hostname}, role {role}, in an HA pair with peer {peer} ({master} master, {slave} slave)",
        )
    elif master or slave:
        findings.fail("node", f"{hostname}: heartbeat/ucast_ip has only one side ({master or slave})")
    else:
        findings.ok("node", f"{hostname}, role {role}, not in an HA pair (no heartbeat/ucast_ip)")
    if status is not None:
        hint = normalize.text(status.get("peer"))
        if hint and hint not in (master, slave):
            findings.warn("node", f"nodestatus names peer {hint}, which the configuration does not")


def report_states(status: dict[str, Any] | None, findings: Findings) -> None:
    """Whether the provider can read real servers' states (`state`) from this appliance."""
    try:
        states = None if status is None else reported_states(status)
    except UnreadableStates as error:
        findings.fail("states", f"nodestatus real_servers: {redact_text(str(error))}")
        return
    if states is None:
        findings.warn(
            "states",
            "nodestatus reports no real-server states (no real_servers list): the provider cannot see a "
            "drain or halt made outside Terraform, and warns so on every refresh",
        )
        return
    held = {state: sum(1 for value in states.values() if value == state) for state in ("drain", "halt")}
    findings.ok(
        "states",
        f"{len(states)} real servers reported: {held['drain']} draining, {held['halt']} halted",
    )


def report_counts(config: dict[str, Any], findings: Findings) -> None:
    l7, l4 = virtuals(config, "7"), virtuals(config, "4")
    rips = sum(len(reals(v)) for v in l7 + l4)
    findings.ok(
        "configuration",
        f"{len(l7)} Layer 7 VIPs, {len(l4)} Layer 4 VIPs, {rips} real servers, "
        f"{len(floating_ips(config))} floating IPs",
    )


def report_elements(config: dict[str, Any], findings: Findings) -> None:
    """Values the provider cannot read (problems), values outside the vendor's lists, and the
    elements the provider does not read at all (listed once, by name)."""
    for layer, (vip_table, rip_table) in BY_LAYER.items():
        vip_fields, rip_fields = vip_table.fields, rip_table.fields
        unread: Counter[str] = Counter()
        for virtual in virtuals(config, layer):
            label = normalize.text(virtual.get("label"))
            _check_element(findings, f"layer {layer} VIP '{label}'", virtual, vip_fields, layer, unread, "")
            for real in reals(virtual):
                where = f"real server '{label}/{normalize.text(real.get('label'))}'"
                _check_element(findings, where, real, rip_fields, layer, unread, "real/")
        if unread:
            names = ", ".join(f"{name} ({count})" for name, count in sorted(unread.items()))
            findings.warn(
                f"layer {layer}", f"elements the provider does not read (kept as they are): {names}"
            )
    known = {"haproxy", "ldirectord", "heartbeat", "physical"}
    others = sorted(set(config) - known)
    if others:
        findings.warn("configuration", f"sections the provider does not read: {', '.join(others)}")


def _check_element(
    findings: Findings,
    where: str,
    element: dict[str, Any],
    fields: tuple[Field, ...],
    layer: str,
    unread: Counter[str],
    prefix: str,
) -> None:
    read_paths = {f.path[0] for f in fields} | {p[0] for f in fields for p in f.other_paths} | {"real"}
    for name in element:
        if name not in read_paths:
            unread[prefix + name] += 1
    for f in fields:
        try:
            value = f.checked_from_appliance(element)
        except UnreadableValue as error:
            findings.fail(where, redact_text(str(error)))
            continue
        # Values the vendor's lbcli help lists (`model.choices`); anything else is reported here,
        # never rejected: the appliance decides what it runs.
        allowed = frozenset(f.choices.values) if f.choices is not None and not prefix else None
        if allowed is not None and value not in ("", None) and str(value) not in allowed | set(f.synonyms):
            findings.warn(where, f"{f.attr} '{value}' is not among the lbcli help's values")


def report_globals(l7: dict[str, Any], l4: dict[str, Any], findings: Findings) -> None:
    for layer, values, guide in (("Layer 7", l7, GUIDE_L7), ("Layer 4", l4, GUIDE_L4)):
        differing = []
        for key, want in guide.items():
            have = normalize.number_or(values.get(key), None)
            if have != want:
                differing.append(f"{key} {'(absent)' if have is None else have} (guide: {want})")
        shown = ", ".join(f"{key} {normalize.text(values.get(key)) or '(absent)'}" for key in guide)
        if differing:
            findings.warn(f"{layer} globals", f"differ from the deployment guide: {'; '.join(differing)}")
        else:
            findings.ok(f"{layer} globals", f"{shown}: as the deployment guide says")


def run(
    settings: ApplianceSettings, capture_path: Path | None, shown: TextIO, *, as_json: bool = False
) -> int:
    """Read the appliance and report; with `as_json`, one JSON object on `shown` instead of lines."""
    from lborg_provider.client.api import ApiCredentials, ApplianceClient

    out: TextIO = io.StringIO() if as_json else shown
    findings = Findings(out, as_json=shown if as_json else None, endpoint=settings.endpoint)
    out.write(f"lborg doctor: {settings.endpoint} (read-only: list and nodestatus only)\n")
    if not check_tls(settings, findings):
        return _finish(findings)
    capture = Capture()
    client = ApplianceClient(
        settings.endpoint,
        ApiCredentials(settings.username, settings.password, settings.api_key),
        name=settings.appliance_name,
        ca_file=settings.ca_file,
        timeout_seconds=settings.timeout_seconds,
        retries=1,
    )
    client.response_observer = capture.record
    try:
        results = _read_all(client, findings)
    finally:
        client.close()
        if capture_path is not None:
            capture.write(capture_path, settings.endpoint)
            out.write(f"capture: {capture_path} ({len(capture.exchanges)} responses, redacted)\n")
    if results is None:
        return _finish(findings)
    findings.ok("authentication", f"user {settings.username} and API key accepted")
    status_result, config_result, l7_result, l4_result = results
    try:
        status: dict[str, Any] | None = nodestatus_from_result(status_result.raw, READS[0])
    except ShapeError as error:
        status = None  # only a hint for the provider: worth a note, not a misread
        findings.warn("nodestatus", f"not in a layout the provider recognizes: {redact_text(str(error))}")
    config = _parse(findings, "list dumpconfig", lambda: config_from_result(config_result.raw, READS[1]))
    l7 = _parse(findings, "list advanced layer 7", lambda: advanced_from_result(l7_result.raw, READS[2]))
    l4 = _parse(findings, "list advanced layer 4", lambda: advanced_from_result(l4_result.raw, READS[3]))
    if config is not None:
        report_node(config, status, findings)
        report_counts(config, findings)
        report_states(status, findings)
        report_elements(config, findings)
    if l7 is not None and l4 is not None:
        report_globals(l7, l4, findings)
    return _finish(findings)


def _finish(findings: Findings) -> int:
    out = findings.out
    if findings.as_json is not None:
        code = EXIT_MISREAD if findings.problems else EXIT_OK
        findings.as_json.write(json.dumps(findings.document(code), indent=2) + "\n")
        return code
    if findings.problems:
        out.write(
            f"\n{len(findings.problems)} problem(s): the provider would misread or cannot reach this "
            "appliance. Do not run terraform against it until they are resolved.\n"
        )
        return EXIT_MISREAD
    out.write(f"\nThe provider reads this appliance correctly ({len(findings.notes)} note(s) above).\n")
    return EXIT_OK


def main(
    endpoint: str | None,
    ca_file: str | None,
    capture: Path | None,
    timeout: float | None,
    *,
    as_json: bool = False,
) -> int:
    config: dict[str, Any] = {"endpoint": endpoint, "ca_file": ca_file, "timeout_seconds": timeout}
    try:
        settings = resolve_settings(config, os.environ)
    except SettingsError as error:
        message = str(error)
        if error.attribute == "endpoint":
            print(
                "lborg doctor: no endpoint: pass --endpoint https://HOST:9443 or set LBORG_ENDPOINT",
                file=sys.stderr,
            )
            return EXIT_USAGE
        if error.attribute == "ca_file":
            message = message.replace("ca_file:", "--ca-file:")
        print(f"lborg doctor: {message.replace(' in the provider block', '')}", file=sys.stderr)
        return EXIT_MISREAD
    try:
        return run(settings, capture, sys.stdout, as_json=as_json)
    except OSError as error:
        print(
            f"lborg doctor: {error.strerror or error}: {error.filename or ''}".rstrip(": "), file=sys.stderr
        )
        return EXIT_MISREAD
