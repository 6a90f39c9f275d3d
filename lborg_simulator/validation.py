"""Field checks for lbcli actions; every failure names the field and the value it rejected.

The appliance answers a bad value with status `failed` and a message; `ActionError` carries that
status and message up to the envelope.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable, Mapping

Fields = Mapping[str, str]

_LABEL = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._: -]{0,63}$")
_DURATION = re.compile(r"^[0-9]+(us|ms|s|m|h|d)?$")
_INTERFACE = re.compile(r"^[a-z][a-z0-9._-]{0,14}$")
_HOSTNAME = re.compile(r"^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$")
_DOMAIN = re.compile(r"^(?=.{1,253}$)([A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.?)+$")


class ActionError(Exception):
    """A non-success lbcli result: `status` is failed, exists, missing or fatal."""

    def __init__(self, status: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def failed(message: str) -> ActionError:
    return ActionError("failed", message)


#: Options the help lets a command line repeat (`--add_member a --add_member b`); in JSON they
#: may be an array, kept as one comma-separated value.
REPEATABLE = frozenset(
    {"add_member", "delete_member", "add_globalname", "delete_globalname", "add_ips", "delete_ips"}
)


def _scalar(key: str, value: object) -> str:
    if isinstance(value, bool):
        # The vendor's lockdown sample sends `"enabled": true`; the help's values are on/off.
        return "on" if value else "off"
    if not isinstance(value, str | int | float):
        raise failed(f"field '{key}': expected a string or a number, got {type(value).__name__}")
    if isinstance(value, float):
        if not value.is_integer():
            raise failed(f"field '{key}': expected a whole number, got {value!r}")
        value = int(value)
    return str(value).strip()


def normalize_fields(action: dict[str, object]) -> dict[str, str]:
    """Accept strings, numbers and booleans (the vendor samples use all three); reject the rest."""
    fields: dict[str, str] = {}
    for key, value in action.items():
        if isinstance(value, list) and key in REPEATABLE:
            fields[key] = ",".join(_scalar(key, item) for item in value)
        else:
            fields[key] = _scalar(key, value)
    return fields


def reject_unknown(fields: Fields, allowed: Iterable[str], action: str) -> None:
    allowed_set = set(allowed) | {"action"}
    unknown = sorted(set(fields) - allowed_set)
    if unknown:
        raise failed(
            f"{action}: unknown field '{unknown[0]}'; accepted fields: {', '.join(sorted(allowed_set))}"
        )


def required(fields: Fields, name: str) -> str:
    value = fields.get(name, "")
    if value == "":
        raise failed(f"field '{name}' is required")
    return value


# A field check alike duration() below in shape: one pattern, one message; each its own rule.
def label(value: str, field: str) -> str:
    if not _LABEL.match(value):
        raise failed(
            f"field '{field}': '{value}' is not a valid label "
            "(1-64 characters: letters, digits, spaces, '.', '_', ':', '-'; starting with a letter or digit)"
        )
    return value


def ip_address(value: str, field: str) -> str:
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        raise failed(f"field '{field}': '{value}' is not a valid IPv4 or IPv6 address") from None


def ip_with_prefix(value: str, cidr: str, field: str) -> str:
    """`A.B.C.D/NN`, or a plain address with the prefix length in `cidr`."""
    text = value if "/" in value or cidr == "" else f"{value}/{cidr}"
    if "/" not in text:
        raise failed(f"field '{field}': '{value}' needs a prefix length (A.B.C.D/NN or the field 'cidr')")
    try:
        return str(ipaddress.ip_interface(text))
    except ValueError:
        raise failed(f"field '{field}': '{text}' is not a valid address with prefix length") from None


def network(value: str, field: str) -> str:
    """A destination network in CIDR form, host bits allowed, returned as written.

    The vendor writes static routes with host bits set (lbcli help: `--network 192.168.100.100/18`;
    its HA setup example adds `192.168.100.0/18`), so such a value is accepted; it names the
    network its prefix covers (192.168.64.0/18), which `same_network` compares by.
    """
    text = value.strip()
    try:
        ipaddress.ip_network(text, strict=False)
    except ValueError:
        raise failed(f"field '{field}': '{value}' is not a valid network in CIDR form (A.B.C.0/NN)") from None
    return text


def same_network(first: str, second: str) -> bool:
    """Two CIDR texts naming one network (`192.168.100.0/18` and `192.168.64.0/18`)."""
    try:
        return ipaddress.ip_network(first, strict=False) == ipaddress.ip_network(second, strict=False)
    except ValueError:
        return first == second


def port(value: str, field: str) -> int:
    if not value.isdigit() or not 1 <= int(value) <= 65535:
        raise failed(f"field '{field}': '{value}' is not a port number (1-65535)")
    return int(value)


def ports(value: str, field: str) -> tuple[str, frozenset[int]]:
    """A VIP's ports: `80`, `80,443`, `80:443`, `8000-8010` or a mix (`80:90-100:3443`).

    The help separates ports with ':'; ',' is accepted as well. Returns the text as sent (without
    spaces) and the set of ports.
    """
    numbers: set[int] = set()
    text = value.replace(" ", "")
    if text == "":
        raise failed(f"field '{field}': no port given")
    for part in re.split(r"[,:]", text):
        if "-" in part:
            low_text, _, high_text = part.partition("-")
            low, high = port(low_text, field), port(high_text, field)
            if low > high:
                raise failed(f"field '{field}': range '{part}' runs backwards")
            numbers.update(range(low, high + 1))
        else:
            numbers.add(port(part, field))
    return text, frozenset(numbers)


def port_groups(text: str) -> list[str]:
    """The single ports and `low-high` ranges of a stored ports value, in order."""
    return [part for part in re.split(r"[,:]", text.replace(" ", "")) if part]


def integer(value: str, field: str, low: int, high: int) -> int:
    if not value.isdigit() or not low <= int(value) <= high:
        raise failed(f"field '{field}': '{value}' is not a whole number between {low} and {high}")
    return int(value)


def signed_integer(value: str, field: str, low: int, high: int) -> int:
    if not re.fullmatch(r"-?[0-9]+", value) or not low <= int(value) <= high:
        raise failed(f"field '{field}': '{value}' is not a whole number between {low} and {high}")
    return int(value)


def text(value: str, field: str) -> str:
    """Free text of one line (names, paths, e-mail addresses, check strings)."""
    if len(value) > 1024 or any(ord(char) < 32 for char in value):
        raise failed(f"field '{field}': expected one line of text (at most 1024 characters)")
    return value


def netmask(value: str, field: str) -> str:
    """An IPv4 netmask such as 255.255.255.0 (Layer 4 persistence granularity)."""
    try:
        return str(ipaddress.IPv4Network(f"0.0.0.0/{value}").netmask)
    except ValueError:
        raise failed(f"field '{field}': '{value}' is not a netmask (for example 255.255.255.255)") from None


def on_off(value: str, field: str) -> str:
    return choice(value, field, ("on", "off"))


def choice(value: str, field: str, options: Iterable[str]) -> str:
    allowed = list(options)
    if value not in allowed:
        raise failed(f"field '{field}': '{value}' is not one of {', '.join(allowed)}")
    return value


# A field check alike label() above in shape: one pattern, one message; each its own rule.
def duration(value: str, field: str) -> str:
    """Milliseconds, or a number with a unit as HAProxy writes it (`900000`, `12h`)."""
    if not _DURATION.match(value):
        raise failed(
            f"field '{field}': '{value}' is not a duration (milliseconds, or a number with us/ms/s/m/h/d)"
        )
    return value


def interface(value: str, field: str) -> str:
    if not _INTERFACE.match(value):
        raise failed(f"field '{field}': '{value}' is not an interface name (for example eth0)")
    return value


def hostname(value: str, field: str) -> str:
    if not _HOSTNAME.match(value):
        raise failed(f"field '{field}': '{value}' is not a valid host name (letters, digits, '-')")
    return value


def domain(value: str, field: str) -> str:
    if not _DOMAIN.match(value):
        raise failed(f"field '{field}': '{value}' is not a valid domain name")
    return value
