"""Find a read's payload in an lbcli result and bring it to one shape, or say why not.

The vendor documents the requests (`list dumpconfig` is "List XML as JSON") but publishes no
response body, and its own front-end runs lbcli once per action and passes each result item on
as lbcli printed it. So the payload of a read may sit under `data`, under another single key
(such as the function's name), or be spread directly over the result item (the configuration's
sections `haproxy`, `ldirectord`, `heartbeat`, `physical` next to `action` and `status`). Inside
it, XML turned into JSON shows one child as an object and several as an array, and an empty
element as `""`, `[]`, `{}` or `null`.

Every one of those layouts is accepted and brought to one canonical shape (single elements as
objects, repeated ones as lists, empties as `{}`/`[]`), so the readers above never see the
difference. Anything else raises `ShapeError`: reading an unknown shape as "no VIPs" would make
Terraform drop a whole site from its state.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

CONFIG_SECTIONS = ("haproxy", "ldirectord", "heartbeat", "physical")
#: Fields of a result item that belong to the envelope, not to the payload.
RESULT_FIELDS = frozenset({"action", "status", "message", "error", "core"})
ADVANCED_MARKERS = frozenset({"global"})
_EMPTY: tuple[Any, ...] = ("", None)

Kind = Literal["one", "many", "texts", "text"]


class ShapeError(ValueError):
    """The response is not in any layout the provider knows; `where` names the element."""

    def __init__(self, where: str, reason: str) -> None:
        super().__init__(f"{where}: {reason}" if where else reason)
        self.where = where
        self.reason = reason


@dataclass(frozen=True)
class Element:
    """How one element of the configuration may appear, and the elements below it that matter."""

    kind: Kind
    children: Mapping[str, Element] | None = None


def _one(children: Mapping[str, Element] | None = None) -> Element:
    return Element("one", children)


def _many(children: Mapping[str, Element] | None = None) -> Element:
    return Element("many", children)


_TEXT = Element("text")
_TEXTS = Element("texts")
_CHECK = _one({"type": _TEXT, "port": _TEXT})
_REAL = _many({"label": _TEXT, "server": _TEXT, "port": _TEXT, "weight": _TEXT})
_VIRTUAL = _many(
    {
        "label": _TEXT,
        "server": _TEXT,
        "ports": _TEXT,
        "check": _CHECK,
        "service": _one({"check": _CHECK}),
        "real": _REAL,
    }
)
#: The elements the provider reads; everything else is passed through untouched.
CONFIG: Mapping[str, Element] = {
    "haproxy": _one({"global": _one(), "virtual": _VIRTUAL}),
    "ldirectord": _one({"global": _one(), "virtual": _VIRTUAL}),
    "heartbeat": _one({"vip": _TEXTS, "ucast_ip": _one({"master": _TEXT, "slave": _TEXT})}),
    "physical": _one(
        {
            "network": _one({"hostname": _TEXT, "domain": _TEXT, "role": _TEXT}),
            "interface": _one(),
            "routing": _one({"gateway": _one(), "static": _one({"route": _many()})}),
        }
    ),
}


def is_empty(value: Any) -> bool:
    return value in _EMPTY or value == [] or value == {}


def _describe(value: Any) -> str:
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return f"a list of {len(value)}"
    return f"the value {str(value)[:40]!r}"


def _canonical(value: Any, spec: Element, where: str) -> Any:
    if spec.kind == "text":
        if is_empty(value):
            return ""
        if isinstance(value, dict | list):
            raise ShapeError(where, f"expected a single value, found {_describe(value)}")
        return value
    if spec.kind == "texts":
        items = [] if is_empty(value) else value if isinstance(value, list) else [value]
        return [_canonical(item, _TEXT, f"{where}[{index}]") for index, item in enumerate(items)]
    if spec.kind == "many":
        items = [] if is_empty(value) else value if isinstance(value, list) else [value]
        return [_object(item, spec, f"{where}[{index}]") for index, item in enumerate(items)]
    if isinstance(value, list) and len(value) == 1:
        value = value[0]  # one child written as a list of one
    return _object(value, spec, where)


def _object(value: Any, spec: Element, where: str) -> dict[str, Any]:
    if is_empty(value):
        return {}
    if not isinstance(value, dict):
        raise ShapeError(where, f"expected an element with children, found {_describe(value)}")
    children = spec.children or {}
    return {
        name: _canonical(item, children[name], f"{where}/{name}") if name in children else _tidy(item)
        for name, item in value.items()
    }


def _tidy(value: Any) -> Any:
    """Elements the provider does not read keep their content; only empties become `""`, so the
    same configuration reads (and digests) the same whichever layout it arrived in."""
    if is_empty(value):
        return ""
    if isinstance(value, dict):
        return {name: _tidy(item) for name, item in value.items()}
    if isinstance(value, list):
        return [_tidy(item) for item in value]
    return value


def canonical_config(payload: Any) -> dict[str, Any]:
    """The `list dumpconfig` payload in canonical shape; `ShapeError` when it is not one."""
    config = _unwrap(payload, frozenset(CONFIG_SECTIONS))
    if not isinstance(config, dict) or not any(name in config for name in CONFIG_SECTIONS):
        raise ShapeError(
            "",
            f"no configuration sections ({', '.join(CONFIG_SECTIONS)}) found in {_describe(config)}",
        )
    missing = [name for name in CONFIG_SECTIONS if name not in config]
    if missing:
        # An absent section cannot be told from "nothing configured there" (every VIP or floating
        # IP in it would read as deleted); an empty one is written as an empty element.
        raise ShapeError("", f"sections missing from the configuration: {', '.join(missing)}")
    result = {
        name: _canonical(item, CONFIG[name], name) if name in CONFIG else _tidy(item)
        for name, item in config.items()
    }
    for layer in ("haproxy", "ldirectord"):
        for index, virtual in enumerate(result.get(layer, {}).get("virtual", [])):
            if not virtual.get("label"):
                raise ShapeError(f"{layer}/virtual[{index}]", "a VIP without a label")
            for rindex, real in enumerate(virtual.get("real", [])):
                if not real.get("label"):
                    raise ShapeError(
                        f"{layer}/virtual[{index}]/real[{rindex}]", "a real server without a label"
                    )
    return result


def _unwrap(value: Any, markers: frozenset[str]) -> Any:
    """Look through wrappers around the payload: `{"config": {...}}` or a list of one object."""
    for _ in range(3):
        if isinstance(value, list) and len(value) == 1:
            value = value[0]
        elif isinstance(value, dict) and not markers & set(value) and len(value) == 1:
            inner = next(iter(value.values()))
            if isinstance(inner, dict | list) and not is_empty(inner):
                value = inner
            else:
                break
        else:
            break
    return value


def locate(item: Mapping[str, Any], markers: frozenset[str], request: Mapping[str, Any] | None = None) -> Any:
    """The payload of one result item: under `data`, spread over the item, or under one other key.

    Fields that only echo the request (`"function": "dumpconfig"`) are not taken for a payload.
    """
    if "data" in item:
        return item["data"]
    echoed = {key for key, value in (request or {}).items() if str(item.get(key)) == str(value)}
    rest = {key: value for key, value in item.items() if key not in RESULT_FIELDS | echoed}
    if markers & set(rest):
        return rest
    if len(rest) == 1:
        return next(iter(rest.values()))
    if not rest:
        raise ShapeError("", "the result carries no payload")
    raise ShapeError(
        "", f"the payload is not under 'data' and the result has several other fields: {sorted(rest)}"
    )


def config_from_result(item: Mapping[str, Any], request: Mapping[str, Any] | None = None) -> dict[str, Any]:
    return canonical_config(locate(item, frozenset(CONFIG_SECTIONS), request))


def advanced_from_result(item: Mapping[str, Any], request: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The `global` element of one layer from `list advanced`, in any of the layouts."""
    payload = _unwrap(locate(item, ADVANCED_MARKERS, request), ADVANCED_MARKERS)
    if isinstance(payload, dict) and "global" in payload:
        payload = _canonical(payload["global"], _one(), "global")
    if not isinstance(payload, dict) or not payload:
        raise ShapeError("", f"no global settings found in {_describe(payload)}")
    return payload


def nodestatus_from_result(
    item: Mapping[str, Any], request: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """`nodestatus` is only a hint (the vendor documents no fields); an object in any layout."""
    markers = frozenset({"role", "hostname", "state", "ha", "peer"})
    payload = _unwrap(locate(item, markers, request), markers)
    if not isinstance(payload, dict):
        raise ShapeError("", f"expected an object, found {_describe(payload)}")
    return payload
