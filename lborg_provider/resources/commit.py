"""`lborg_commit`: apply pending configuration with one reload per service per apply.

VIPs, real servers and floating IPs only edit the appliance's pending configuration; this resource
reloads HAProxy, ldirectord and heartbeat once, after all of them (users make it depend on every
configuration resource of the appliance). What to reload:

- create: every managed service (the keys of `triggers`, or all three when `triggers` is unset);
- update: the services whose trigger value changed, plus those whose configuration on the
  appliance changed since the last commit (drift repaired by this apply, e.g. a real server deleted
  by hand and re-created), plus those this provider process wrote to during the apply;
- nothing changed: no update is planned, so nothing is reloaded.

`config_digests` records a digest of each managed service's configuration as of the last commit.
On plan it is compared with the appliance's current configuration; a difference plans an update,
which is how a repair gets its reload even though the triggers did not change. At apply, the
services to reload are the changed triggers, the services this provider process wrote to, and the
services whose configuration still differs from the recorded digest.

Import with `commit` (no triggers recorded: the next apply reloads every service the triggers
name), or with `commit:SERVICE=VALUE,...` to take the appliance's configuration as committed
with those triggers: the next apply then reloads only the services whose trigger differs from
the configuration's. The stacks' import blocks for an adopted pair use the second form, with
`adopted` as the value of each service the first deploy changes.
"""

from __future__ import annotations

from typing import Any

from tf.schema import Attribute
from tf.types import List, Map, String, Unknown

from lborg_provider.appliance import SERVICE_SECTIONS, service_digests
from lborg_provider.resources.base import LborgResource, State
from lborg_provider.schema_helpers import computed, identifier, optional_plain

ID = "commit"
SERVICES = tuple(SERVICE_SECTIONS)


def recorded_digests(state: State) -> dict[str, Any]:
    """The digests a state recorded at its last commit (empty when none)."""
    value = state.get("config_digests")
    return value if isinstance(value, dict) else {}


def trigger_map(state: State) -> dict[str, Any]:
    value = state.get("triggers")
    return value if isinstance(value, dict) else {}


def managed_services(triggers: Any) -> list[str]:
    """Services this commit reloads: the trigger keys, or all of them without triggers."""
    if isinstance(triggers, dict) and triggers:
        return [service for service in SERVICES if service in triggers]
    return list(SERVICES)


class Commit(LborgResource):
    type_suffix = "_commit"
    description = __doc__.split("\n\n", 1)[1].strip() if __doc__ else ""

    @classmethod
    def attributes(cls) -> list[Attribute]:
        return [
            identifier("Always `commit`."),
            optional_plain(
                "triggers",
                Map(String()),
                "Keys name services (`haproxy`, `ldirectord`, `heartbeat`); values are digests of that "
                "service's desired configuration. A changed value reloads that service on apply. "
                "Unset: all three services are managed.",
            ),
            computed("reloads", List(String()), "The services reloaded by the last apply of this resource."),
            computed(
                "config_digests",
                Map(String()),
                "Digest of each managed service's configuration on the appliance as of the last commit; "
                "used to detect changes made outside Terraform.",
            ),
        ]

    def check_config(self, config: State) -> list[tuple[str, str]]:
        triggers = config.get("triggers")
        if isinstance(triggers, dict):
            unknown = sorted(set(triggers) - set(SERVICES))
            if unknown:
                return [
                    ("triggers", f"unknown service(s) {', '.join(unknown)}; expected {', '.join(SERVICES)}")
                ]
        return []

    # -- planning ----------------------------------------------------------------------------
    def _drifted(self, current: State, services: list[str]) -> set[str]:
        appliance = self.appliance()
        now = service_digests(appliance.config())
        recorded = recorded_digests(current)
        drifted = {service for service in services if recorded.get(service) != now[service]}
        return drifted | (appliance.written_services & set(services))

    def plan(self, ctx: Any, current: State | None, planned: State) -> State:
        if current is None:
            return planned
        services = managed_services(planned.get("triggers"))
        before, after = trigger_map(current), trigger_map(planned)
        changed_triggers = {s for s in services if before.get(s) != after.get(s)}
        no_drift: set[str] = set()
        drifted = (
            self.guarded(ctx.diagnostics, ctx.type_name, no_drift, lambda: self._drifted(current, services))
            or no_drift
        )
        if not (drifted or changed_triggers or "triggers" in ctx.changed_fields):
            return planned
        planned["config_digests"] = Unknown
        planned["reloads"] = Unknown
        return planned

    # -- apply -------------------------------------------------------------------------------
    def _reload(self, services: list[str]) -> State:
        appliance = self.appliance()
        if services:
            appliance.write([{"action": f"reload-{service}"} for service in services], idempotent=True)
        return service_digests(appliance.config())

    def _state(self, planned: State, reloaded: list[str], digests: dict[str, str]) -> State:
        managed = managed_services(planned.get("triggers"))
        return {
            "id": ID,
            "triggers": planned.get("triggers"),
            "reloads": reloaded,
            "config_digests": {service: digests[service] for service in managed},
        }

    def create(self, ctx: Any, planned: State) -> State | None:
        services = managed_services(planned.get("triggers"))

        def apply() -> State:
            return self._state(planned, services, self._reload(services))

        return self.guarded(ctx.diagnostics, ctx.type_name, None, apply)

    def update(self, ctx: Any, current: State, planned: State) -> State | None:
        managed = managed_services(planned.get("triggers"))
        before, after = trigger_map(current), trigger_map(planned)
        changed_triggers = {service for service in managed if before.get(service) != after.get(service)}

        def apply() -> State:
            wanted = changed_triggers | self._drifted(current, managed)
            ordered = [service for service in SERVICES if service in wanted]
            return self._state(planned, ordered, self._reload(ordered))

        return self.guarded(ctx.diagnostics, ctx.type_name, current, apply)

    def read(self, ctx: Any, current: State) -> State | None:
        return current

    def delete(self, ctx: Any, current: State) -> State | None:
        return None

    def import_(self, ctx: Any, id: str) -> State | None:
        """`commit`, or `commit:SERVICE=VALUE,...` to import with the triggers the configuration
        has: the running configuration is then taken as committed, so a later plan reloads only
        the services whose trigger differs (an import for adopting a pair configured by hand)."""
        triggers = parse_import_id(id)
        if isinstance(triggers, str):
            ctx.diagnostics.add_error(f"{ctx.type_name}: cannot import '{id}'", triggers)
            return None

        def load() -> State:
            digests = service_digests(self.appliance().config())
            managed = managed_services(triggers)
            return {
                "id": ID,
                "triggers": triggers,
                "reloads": [],
                "config_digests": {service: digests[service] for service in managed},
            }

        return self.guarded(ctx.diagnostics, ctx.type_name, None, load)


def parse_import_id(text: str) -> dict[str, str] | str | None:
    """`commit` → None; `commit:haproxy=abc,heartbeat=def` → the triggers; else a message (str)."""
    head, sep, rest = text.strip().partition(":")
    expected = "expected `commit` or `commit:SERVICE=VALUE,...` with services " + ", ".join(SERVICES)
    if head != ID:
        return expected
    if not sep:
        return None
    triggers: dict[str, str] = {}
    for part in rest.split(","):
        service, equals, value = part.partition("=")
        if not equals or service not in SERVICES or not value or service in triggers:
            return f"'{part}': {expected}"
        triggers[service] = value
    return triggers
