"""Turn what the appliance returns into the values the schema declares.

`list dumpconfig` is XML turned into JSON: numbers arrive as text, an empty element arrives as `[]`,
one child is an object and several are an array, and flags may be `on`, `1`, `yes` or `true`.
Comparing those raw values with the configuration is how perpetual diffs are born, so every read
goes through these functions first, and so does every comparison of two values (`same`): a field
row (`model.fields`) names its kind, and the reading and comparing of that kind live here, once.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping
from typing import Any, Literal

#: How a field's values are read and compared (`model.fields.Field.kind`).
Kind = Literal["text", "number", "flag", "ports"]

_TRUE_WORDS = frozenset({"on", "1", "yes", "true", "enabled", "y"})
_FALSE_WORDS = frozenset({"off", "0", "no", "false", "disabled", "n", ""})
_PORT_SEPARATORS = re.compile(r"[,:\s]+")
MAX_PORTS = 65535
#: Values that can be normalized; anything else (a plan's "known after apply" placeholder) cannot.
PLAIN = (str, int, float, bool, list, dict, type(None))


def text(value: Any) -> str:
    """A scalar as text: `None`, `[]` and `{}` are empty, `30.0` is `"30"`."""
    if value is None or value == [] or value == {}:
        return ""
    if isinstance(value, bool):
        return "on" if value else "off"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def number(value: Any) -> int | float | None:
    """A scalar as a number (int when whole); empty means `None`; other text raises ValueError."""
    raw = text(value)
    if raw == "":
        return None
    parsed = float(raw)
    return int(parsed) if parsed.is_integer() else parsed


def number_or(value: Any, default: int | float | None) -> int | float | None:
    """Like `number`, but empty or unparsable values give `default`."""
    try:
        parsed = number(value)
    except ValueError:
        return default
    return default if parsed is None else parsed


def flag(value: Any) -> bool:
    """`on`/`1`/`yes`/`true` (any case) and `True` are true; everything else is false."""
    if isinstance(value, bool):
        return value
    return text(value).lower() in _TRUE_WORDS


def known_flag(value: Any) -> bool | None:
    """Like `flag`, but `None` for a word that is neither on/1/yes/true nor off/0/no/false/empty."""
    if isinstance(value, bool):
        return value
    word = text(value).lower()
    if word in _TRUE_WORDS:
        return True
    if word in _FALSE_WORDS:
        return False
    return None


def as_list(value: Any) -> list[Any]:
    """One child is an object, several are an array, none is `[]`/`""`/absent: always a list."""
    if value is None or value == "" or value == {}:
        return []
    if isinstance(value, list):
        return value
    return [value]


def as_dict(value: Any) -> dict[str, Any]:
    """An element that should have children; empty (`[]`, `""`) or odd values become `{}`."""
    return value if isinstance(value, dict) else {}


def dig(tree: Any, *path: str) -> Any:
    """Follow element names through nested dicts; a missing step gives `None`."""
    node = tree
    for step in path:
        if not isinstance(node, dict):
            return None
        node = node.get(step)
    return node


def ports_text(value: Any) -> str:
    """The ports list as the user writes it: `"80,443"`, without spaces."""
    return ",".join(part.strip() for part in text(value).split(",") if part.strip())


def port_set(value: Any) -> frozenset[int] | None:
    """The ports a VIP listens on, whatever the spelling: `80`, `80,443`, `80:443` (the lbcli help's
    separator), `8000-8010`, or a mix such as `80:90-100,3443`. `None` when it is not a port list."""
    raw = text(value)
    if not raw:
        return frozenset()
    ports: set[int] = set()
    for part in _PORT_SEPARATORS.split(raw):
        if not part:
            continue
        low, dash, high = part.partition("-")
        if not low.strip().isdigit() or (dash and not high.strip().isdigit()):
            return None
        start, end = int(low), int(high) if dash else int(low)
        if not 0 < start <= end <= MAX_PORTS:
            return None
        ports.update(range(start, end + 1))
    return frozenset(ports)


def first_port(ports: Any) -> int | None:
    """The first port of `"80,443"` or `"8000-8010"`, which the appliance checks by default."""
    head = ports_text(ports).split(",")[0].split("-")[0].split(":")[0]
    try:
        return int(head)
    except ValueError:
        return None


def api_value(value: Any) -> str:
    """A value as the API expects it in a request: text, whole numbers without `.0`, flags on/off."""
    return text(value)


def address_text(value: Any) -> str:
    """An IP address in one spelling (`2001:DB8::0001` and `2001:db8::1` are one address)."""
    raw = text(value).strip()
    try:
        return str(ipaddress.ip_address(raw))
    except ValueError:
        return raw.lower()


def ports_key(value: Any) -> str:
    """A VIP's ports in one spelling (`80:443`, `443,80` → `80,443`), to compare identities."""
    ports = port_set(value)
    if ports is None:
        return text(value).strip()
    runs: list[list[int]] = []
    for port in sorted(ports):
        if runs and port == runs[-1][1] + 1:
            runs[-1][1] = port
        else:
            runs.append([port, port])
    return ",".join(str(low) if low == high else f"{low}-{high}" for low, high in runs)


def value_of(kind: Kind, raw: Any, synonyms: Mapping[str, str] | None = None) -> Any:
    """A raw value as the schema declares a field of `kind`: a number, a flag, a ports list
    without spaces, or text (a synonym the appliance writes for a value read as that value)."""
    if kind == "number":
        return number_or(raw, None)
    if kind == "flag":
        return flag(raw)
    if kind == "ports":
        return ports_text(raw)
    value = text(raw)
    return (synonyms or {}).get(value, value)


def same(kind: Kind, left: Any, right: Any, synonyms: Mapping[str, str] | None = None) -> bool:
    """Equal after normalization: `30` and `"30"`, `"on"` and `true`, `"80, 443"` and `"80,443"`.

    A value that is not plain data (a plan's "known after apply" placeholder) equals only
    itself, and so does None: neither can be normalized into a value."""
    if not isinstance(left, PLAIN) or not isinstance(right, PLAIN):
        return left is right
    if left is None or right is None:
        return left is right
    if kind == "ports":
        ports = port_set(left)
        return ports is not None and ports == port_set(right)
    return bool(value_of(kind, left, synonyms) == value_of(kind, right, synonyms))
