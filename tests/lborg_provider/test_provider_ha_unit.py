"""`lborg_ha_pair` decisions on their own, against configurations written by hand: the pairing is
what `heartbeat/ucast_ip` says, `nodestatus` only warns, an existing pair is adopted and a pair with
another peer refused without a write, import finds the local side."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from lborg_provider.resources.ha_pair import HaPairResource


@dataclass
class Diagnostics:
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def add_error(self, summary: str, detail: str = "", path: Any = None) -> None:
        self.errors.append(f"{summary}: {detail}")

    def add_warning(self, summary: str, detail: str = "", path: Any = None) -> None:
        self.warnings.append(f"{summary}: {detail}")


@dataclass
class Ctx:
    diagnostics: Diagnostics = field(default_factory=Diagnostics)
    type_name: str = "lborg_ha_pair"


class FakeClient:
    def __init__(self, status: dict[str, Any]) -> None:
        self.status = status

    def nodestatus(self) -> dict[str, Any]:
        return self.status


class FakeAppliance:
    """Only what the resource uses: the configuration, nodestatus and writes (which pair it)."""

    name = "lb1"

    def __init__(self, heartbeat: Any, role: str = "master", status: dict[str, Any] | None = None) -> None:
        self.dump: dict[str, Any] = {
            "heartbeat": heartbeat,
            "physical": {"network": {"role": role}},
            "haproxy": {},
            "ldirectord": {},
        }
        self.client = FakeClient(status or {})
        self.writes: list[list[dict[str, Any]]] = []

    def config(self) -> dict[str, Any]:
        return self.dump

    def write(self, actions: list[dict[str, Any]], **_: Any) -> list[Any]:
        self.writes.append(actions)
        action = actions[0]
        self.dump["heartbeat"] = {"ucast_ip": {"master": action["local_ip"], "slave": action["peer_ip"]}}
        return []


class FakeProvider:
    def __init__(self, appliance: FakeAppliance) -> None:
        self._appliance = appliance

    def connection(self) -> FakeAppliance:
        return self._appliance


PAIR = {"ucast_ip": {"master": "192.0.2.1", "slave": "192.0.2.2"}}
PLANNED = {
    "id": None,
    "local_ip": "192.0.2.1",
    "peer_ip": "192.0.2.2",
    "peer_password": None,
    "peer_password_env": "LB2_PASSWORD",
    "role": None,
}


def _resource(appliance: FakeAppliance) -> HaPairResource:
    return HaPairResource(FakeProvider(appliance))  # type: ignore[arg-type]


def test_pairing_is_read_from_heartbeat_ucast_ip() -> None:
    ctx = Ctx()
    state = _resource(FakeAppliance(PAIR)).read(ctx, {**PLANNED, "id": "192.0.2.2"})
    assert state is not None and state["role"] == "master" and ctx.diagnostics.warnings == []
    v6 = FakeAppliance({"ucast_ip": {"master": "fd00:0::1", "slave": "fd00::2"}})
    assert _resource(v6).read(ctx, {**PLANNED, "local_ip": "fd00::1", "peer_ip": "fd00::2"}) is not None


def test_nodestatus_alone_does_not_make_a_pair_but_is_warned_about() -> None:
    ctx = Ctx()
    appliance = FakeAppliance("", status={"ha": True, "peer": "192.0.2.2"})
    assert _resource(appliance).read(ctx, {**PLANNED, "id": "192.0.2.2"}) is None
    assert len(ctx.diagnostics.warnings) == 1 and "configuration decides" in ctx.diagnostics.warnings[0]
    quiet = Ctx()
    assert _resource(FakeAppliance([])).read(quiet, {**PLANNED, "id": "192.0.2.2"}) is None
    assert quiet.diagnostics.warnings == []


def test_create_adopts_an_existing_pair_and_refuses_another_without_writing() -> None:
    existing = FakeAppliance(PAIR)
    state = _resource(existing).create(Ctx(), PLANNED)
    assert state is not None and state["id"] == "192.0.2.2" and existing.writes == []

    other = FakeAppliance({"ucast_ip": {"master": "192.0.2.1", "slave": "192.0.2.9"}})
    ctx = Ctx()
    assert _resource(other).create(ctx, PLANNED) is None
    assert other.writes == [] and "already in an HA pair" in ctx.diagnostics.errors[0]


def test_create_pairs_an_unpaired_appliance_once(monkeypatch: Any) -> None:
    monkeypatch.setenv("LB2_PASSWORD", "peer-secret")
    fresh = FakeAppliance({"udpport": "6694"})
    state = _resource(fresh).create(Ctx(), PLANNED)
    assert state is not None and state["role"] == "master"
    assert [a["action"] for batch in fresh.writes for a in batch] == ["ha_create"]


def test_import_by_peer_or_local_and_peer() -> None:
    resource = _resource(FakeAppliance(PAIR, role="master"))
    by_peer = resource.import_(Ctx(), "192.0.2.2")
    assert by_peer is not None and by_peer["local_ip"] == "192.0.2.1" and by_peer["role"] == "master"
    assert resource.import_(Ctx(), "192.0.2.1/192.0.2.2") is not None
    wrong = Ctx()
    assert resource.import_(wrong, "192.0.2.7/192.0.2.2") is None
    assert "has no HA pair with peer 192.0.2.2" in wrong.diagnostics.errors[0]
