"""Hide credentials and addresses in text that leaves the provider (error excerpts, captures).

A response excerpt in an error message or a capture attached to a bug report must not carry an
appliance's passwords, keys or its network plan. Keys whose name suggests a secret lose their
value; IPv4 and IPv6 addresses become `A.B.C.D` / `X:X::X` placeholders that keep the prefix
length, so the shape of the data survives and its content does not.
"""

from __future__ import annotations

import ipaddress
import json
import re
from typing import Any

REDACTED = "<redacted>"
_SECRET_KEY = re.compile(r"pass|secret|key|token|login|user|community|cert|credential", re.IGNORECASE)
_IPV4 = re.compile(r"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.])")
_IPV6 = re.compile(r"(?<![\w:])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?![\w:])")


def is_secret_key(key: str) -> bool:
    return bool(_SECRET_KEY.search(key))


def redact_text(text: str) -> str:
    """Addresses in free text replaced by placeholders (prefix lengths and ports are kept)."""
    text = _IPV4.sub("A.B.C.D", text)
    return _IPV6.sub(lambda match: "X:X::X" if _is_ipv6(match.group(0)) else match.group(0), text)


# Alike eas_lb's site_maintenance.is_address in shape; IPv6 only here, and no eas_lb import.
def _is_ipv6(candidate: str) -> bool:
    try:
        ipaddress.IPv6Address(candidate)
    except ValueError:
        return False
    return True


def redact(value: Any) -> Any:
    """A copy of a JSON value with secret-named keys blanked and addresses replaced."""
    if isinstance(value, dict):
        return {
            str(key): (
                REDACTED if is_secret_key(str(key)) and item not in ("", [], {}, None) else redact(item)
            )
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [redact(item) for item in value]
    if isinstance(value, str):
        return redact_text(value)
    return value


def _redact_item(key: str, item: Any) -> Any:
    if is_secret_key(key) and item not in ("", [], {}, None):
        return REDACTED
    return redact(item)


def outline(value: Any, depth: int = 2) -> Any:
    """`value` cut below `depth` levels (`{...3 keys}`, `[...5 items]`), so an excerpt shows the
    shape of a response rather than the first few hundred characters of its content."""
    if isinstance(value, dict):
        if depth <= 0:
            return f"{{...{len(value)} keys}}"
        return {key: outline(item, depth - 1) for key, item in value.items()}
    if isinstance(value, list):
        if depth <= 0:
            return f"[...{len(value)} items]"
        return [outline(item, depth - 1) for item in value]
    return value


def excerpt(value: Any, limit: int = 240, depth: int = 2) -> str:
    """A short, redacted, one-line JSON outline of `value` for an error message."""
    try:
        shown = json.dumps(redact(outline(value, depth)), sort_keys=True, separators=(",", ":"))
    except (TypeError, ValueError):
        shown = redact_text(repr(value))
    return shown if len(shown) <= limit else shown[: limit - 3] + "..."
