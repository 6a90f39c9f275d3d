"""`lborg_commit`: apply pending configuration with one reload per service per apply.

VIPs, real servers and floating IPs only edit the appliance's pending configuration; this resource
reloads HAProxy, ldirectord and heartbeat once, after all of them. Make it depend on every
configuration resource of the appliance: `depends_on` alone is enough, `triggers` is optional.
What to reload:

- create: every managed service (the keys of `triggers`, or all three when `triggers` is unset);
- update: the services a change planned in the same run writes to (a create, update or delete of
  a VIP, real server or floating IP this commit depends on), the services whose trigger value
  changed, and those whose configuration on the appliance changed since the last commit (drift
  repaired by this apply, or changes made outside Terraform);
- nothing changed: no update is planned, so nothing is reloaded.

Terraform plans this resource after everything it depends on, in the same provider process: the
configuration resources note there what their plans will write, so a change planned in this run
plans this commit's update (`reloads` and `config_digests` become "known after apply") even
without `triggers`. `config_digests` records a digest of each managed service's configuration as
of the last commit; a difference on refresh plans an update too, which is how a repair gets its
reload.

Nothing goes live by accident: `unmanaged` names, on every refresh, what the next reload would
activate that this configuration does not manage: VIPs (and real servers of managed VIPs) that no
resource declares or has in state, attributes edited by hand that the configuration leaves unset
(a VIP's `persistence` at its default, a real server's `weight`: an unset optional attribute keeps
what the appliance has, so no plan repairs the edit), and a service whose configuration changed
since the last commit in a way no managed attribute covers (a setting edited by hand). When an
update is planned while `unmanaged` is not empty, the plan also carries a warning naming them, and
`eas-lb plan-review` lists them as a risk. Remove them on the appliance, or declare
(import) them, before applying.

`terraform destroy` destroys this resource first (it depends on everything), so its delete cannot
reload. A second commit with `on_destroy = true`, which the configuration resources depend on,
is destroyed last: it reloads nothing on apply and reloads its services when it is destroyed, so
the running services match the now empty configuration.

Import with `commit` (no triggers recorded: the next apply reloads every service the triggers
name), or with `commit:SERVICE=VALUE,...` to take the appliance's configuration as committed
with those triggers: the next apply then reloads only the services whose trigger differs from
the configuration's. The stacks' import blocks for an adopted pair use the second form, with
`adopted` as the value of each service the first deploy changes. An `on_destroy` commit imports
with `on_destroy`.
"""

from __future__ import annotations

from typing import Any

from tf.schema import Attribute
from tf.types import Bool, List, Map, String, Unknown

from lborg_provider.model.unmanaged_entries import services_of
from lborg_provider.resources.base import LborgResource, State
from lborg_provider.resources.schema_helpers import computed, identifier, optional_plain
from lborg_provider.runtime import graceful
from lborg_provider.runtime.reload_plan import (
    SERVICES,
    managed_services,
    service_digests,
    services_to_reload,
    unmanaged_now,
)

ID = "commit"
# What to reload, and what is `unmanaged`, is decided in `runtime.reload_plan` from the plan ledger.
# (The module docstring above is the resource's documentation: the schema and docs carry it.)


def recorded_digests(state: State) -> dict[str, Any]:
    """The digests a state recorded at its last commit (empty when none)."""
    value = state.get("config_digests")
    return value if isinstance(value, dict) else {}


def trigger_map(state: State) -> dict[str, Any]:
    value = state.get("triggers")
    return value if isinstance(value, dict) else {}


def unmanaged_list(state: State) -> list[str]:
    value = state.get("unmanaged")
    return [str(item) for item in value] if isinstance(value, list) else []


def on_destroy(state: State) -> bool:
    return state.get("on_destroy") is True


class CommitResource(LborgResource):
    type_suffix = "_commit"
    description = __doc__.split("\n\n", 1)[1].strip() if __doc__ else ""

    @classmethod
    def attributes(cls) -> list[Attribute]:
        return [
            identifier("Always `commit`."),
            optional_plain(
                "triggers",
                Map(String()),
                "Optional. Keys name services (`haproxy`, `ldirectord`, `heartbeat`); values are digests of "
                "that service's desired configuration. A changed value reloads that service on apply. "
                "Unset: all three services are managed, and `depends_on` alone decides what reloads.",
            ),
            optional_plain(
                "on_destroy",
                Bool(),
                "`true`: reload nothing on apply, and reload the managed services when this resource is "
                "destroyed. Make every configuration resource depend on it, so `terraform destroy` "
                "destroys it last and the running services stop serving what was destroyed.",
            ),
            computed("reloads", List(String()), "The services reloaded by the last apply of this resource."),
            computed(
                "config_digests",
                Map(String()),
                "Digest of each managed service's configuration on the appliance as of the last commit "
                "(the heartbeat's without the HA pairing, which `lborg_ha_pair` manages); used to detect "
                "changes made outside Terraform. Empty for an `on_destroy` commit, which reloads nothing "
                "on apply.",
            ),
            computed(
                "unmanaged",
                List(String()),
                "What the next reload would activate that this configuration does not manage (found on "
                "refresh): `VIP 'LABEL'`, `real server 'VIP/RIP'`, `floating IP ADDRESS` (one no resource "
                "declares and no VIP's address accounts for), an attribute the configuration leaves "
                "unset that was edited outside Terraform (`real server 'VIP/RIP': weight 100 → 40 edited "
                "outside Terraform; ...`), or a service whose configuration was edited outside Terraform "
                "where no managed attribute covers the change.",
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
        """Services to reload (see `runtime.reload_plan.services_to_reload`)."""
        return services_to_reload(self.connection(), recorded_digests(current), services)

    def plan(self, ctx: Any, current: State | None, planned: State) -> State:
        if current is None or on_destroy(planned):
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
        self.guarded(ctx.diagnostics, ctx.type_name, None, lambda: self._say_drains(ctx, services))
        # Only what this apply's reloads make live: a hand edit of another service stays as it is.
        reloading = (drifted | changed_triggers) or set(services)
        outside = [entry for entry in unmanaged_list(planned) if services_of(entry) & reloading]
        if outside:
            ctx.diagnostics.add_warning(
                f"{ctx.type_name}: the reload will activate changes made outside Terraform",
                f"appliance {self.connection().name}: {'; '.join(outside)}. Remove them on the appliance, "
                "or declare (import) them, before applying.",
            )
        return planned

    def _outside_changes(self, current: State) -> list[str]:
        """`unmanaged` as of now (see `runtime.reload_plan.unmanaged_now`); the recorded value when
        this process has seen no configuration resource."""
        names = unmanaged_now(
            self.connection(),
            managed_services(current.get("triggers")),
            recorded_digests(current),
            unmanaged_list(current),
        )
        return unmanaged_list(current) if names is None else names

    # -- apply -------------------------------------------------------------------------------
    def _reload(self, services: list[str]) -> State:
        """Reload `services`, once the real servers removed from them have drained (the deletes
        of this apply ran first, and every one of them drains at the same time)."""
        appliance = self.connection()
        if services:
            if appliance.drains.recorded(services):  # else no read: nothing to wait for
                drains = appliance.drains.to_wait_for(appliance.config(), services)
                appliance.drains.wait(appliance.name, drains, graceful.stop_requested)
            reloads = [{"action": f"reload-{service}"} for service in services]
            appliance.write(reloads, idempotent=True, read_back=True)  # the digests' read
            appliance.drains.reloaded(services)
        return service_digests(appliance.config())

    def _say_drains(self, ctx: Any, services: list[str]) -> None:
        """The plan's word on each real server it removes: how long it drains before the reload
        removes it, or why it does not; and drains an interrupted apply left."""
        connection = self.connection()
        config = connection.config()
        lines = []
        longest = 0.0
        for key, seconds, vip_removed in connection.ledger.removed_real_servers(config):
            if key.service not in services:
                continue
            if vip_removed:
                lines.append(f"{key.describe()}: deleted with its VIP, not drained (the reload ends the VIP)")
            elif seconds > 0:
                longest = max(longest, seconds)
                lines.append(f"{key.describe()}: drains for {seconds:g} s, then deleted")
            else:
                lines.append(f"{key.describe()}: deleted at once (drain_seconds = 0, or halted)")
        for drain in connection.drains.to_wait_for(config, services):
            if drain.left() <= 0:
                continue
            longest = max(longest, drain.left())
            lines.append(
                f"real server '{drain.vip}/{drain.rip}': still draining after an interrupted apply, "
                f"{drain.left():.0f} s left, then deleted"
            )
        if not lines:
            return
        wait = f"The apply waits {longest:g} s, once for all of them, before it reloads." if longest else ""
        ctx.diagnostics.add_warning(
            f"{ctx.type_name}: real servers leave the configuration of appliance {connection.name}",
            "; ".join(lines) + ". " + wait,
        )

    def _state(self, planned: State, reloaded: list[str], digests: dict[str, str]) -> State:
        """The state after an apply. An `on_destroy` commit reloads nothing on apply, so it records
        no digests: it is created before the configuration it reloads after destroy (the HA
        pairing among it), and digests taken then would describe an appliance that no longer is."""
        managed = [] if on_destroy(planned) else managed_services(planned.get("triggers"))
        return {
            "id": ID,
            "triggers": planned.get("triggers"),
            "on_destroy": planned.get("on_destroy"),
            "reloads": reloaded,
            "config_digests": {service: digests[service] for service in managed},
            "unmanaged": unmanaged_list(planned),
        }

    def create(self, ctx: Any, planned: State) -> State | None:
        services = [] if on_destroy(planned) else managed_services(planned.get("triggers"))

        def apply() -> State:
            return self._state(planned, services, self._reload(services))

        return self.guarded(ctx.diagnostics, ctx.type_name, None, apply)

    def update(self, ctx: Any, current: State, planned: State) -> State | None:
        managed = managed_services(planned.get("triggers"))
        before, after = trigger_map(current), trigger_map(planned)
        changed_triggers = {service for service in managed if before.get(service) != after.get(service)}

        def apply() -> State:
            wanted = set() if on_destroy(planned) else changed_triggers | self._drifted(current, managed)
            ordered = [service for service in SERVICES if service in wanted]
            return self._state(planned, ordered, self._reload(ordered))

        return self.guarded(ctx.diagnostics, ctx.type_name, current, apply)

    def read(self, ctx: Any, current: State) -> State | None:
        if on_destroy(current):
            return current

        def refresh() -> State:
            return {**current, "unmanaged": self._outside_changes(current)}

        return self.guarded(ctx.diagnostics, ctx.type_name, current, refresh)

    def delete(self, ctx: Any, current: State) -> State | None:
        """An `on_destroy` commit reloads its services: it is destroyed after every configuration
        resource that depends on it. A plain commit is destroyed first and has nothing to do."""
        if not on_destroy(current):
            return None
        services = managed_services(current.get("triggers"))

        def reload() -> None:
            self._reload(services)

        self.guarded(ctx.diagnostics, ctx.type_name, None, reload)
        return current if ctx.diagnostics.has_errors() else None

    def import_(self, ctx: Any, id: str) -> State | None:
        """`commit`, or `commit:SERVICE=VALUE,...` to import with the triggers the configuration
        has: the running configuration is then taken as committed, so a later plan reloads only
        the services whose trigger differs (an import for adopting a pair configured by hand).
        `on_destroy` imports an `on_destroy = true` commit (it has no triggers)."""
        if id.strip() == "on_destroy":

            def load_on_destroy() -> State:
                self.connection().config()  # the appliance answers, as for every import
                return {
                    "id": ID,
                    "triggers": None,
                    "on_destroy": True,
                    "reloads": [],
                    "config_digests": {},  # it reloads nothing on apply: see `_state`
                    "unmanaged": [],
                }

            return self.guarded(ctx.diagnostics, ctx.type_name, None, load_on_destroy)
        triggers = parse_import_id(id)
        if isinstance(triggers, str):
            ctx.diagnostics.add_error(f"{ctx.type_name}: cannot import '{id}'", triggers)
            return None

        def load() -> State:
            digests = service_digests(self.connection().config())
            managed = managed_services(triggers)
            return {
                "id": ID,
                "triggers": triggers,
                "on_destroy": None,
                "reloads": [],
                "config_digests": {service: digests[service] for service in managed},
                "unmanaged": [],
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
