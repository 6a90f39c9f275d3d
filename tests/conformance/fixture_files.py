"""Loading the conformance fixtures: our own lbcli requests, one JSON file per area."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).parent / "fixtures"


@dataclass(frozen=True)
class Request:
    """One POST: a named lbcli batch whose every action must answer `success`."""

    file: str
    name: str
    lbcli: list[dict[str, Any]]


def fixture_names() -> list[str]:
    return sorted(path.stem for path in FIXTURES.glob("*.json"))


def requests_of(name: str) -> list[Request]:
    content = json.loads((FIXTURES / f"{name}.json").read_text())
    return [Request(name, item["name"], item["lbcli"]) for item in content["requests"]]


def every_action() -> Iterator[dict[str, Any]]:
    for name in fixture_names():
        for request in requests_of(name):
            yield from request.lbcli
