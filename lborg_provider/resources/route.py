"""`lborg_route`: the default route or one static route of this node."""

from __future__ import annotations

from typing import Any

from tf.schema import Attribute
from tf.types import String

from lborg_provider.client.errors import ApplianceActionError
from lborg_provider.model.config_view import default_route, static_routes
from lborg_provider.resources.base import LborgResource, State, is_known
from lborg_provider.resources.schema_helpers import identifier, optional, optional_plain, required

DEFAULT_ID = "default"


class RouteResource(LborgResource):
    type_suffix = "_route"
    # Description and attributes() laid out as hostname.py's; each resource its own schema.
    description = (
        "The default gateway (no `network`) or a static route to `network` (`route` action). Per "
        "node, not replicated. Destroying the default route leaves the gateway as it is (API v2 "
        "cannot remove it). Import with `default` or the network CIDR."
    )

    @classmethod
    def attributes(cls) -> list[Attribute]:
        return [
            identifier("The network CIDR, or `default` for the default route."),
            required("gateway", String(), "The next-hop gateway address."),
            optional_plain(
                "network",
                String(),
                "Destination network as CIDR (`10.20.0.0/16`). Absent: this is the default route.",
                replace=True,
            ),
            optional(
                "interface",
                String(),
                "Interface of the default route (default routes only). "
                "Default: the appliance's choice (eth0).",
            ),
        ]

    def check_config(self, config: State) -> list[tuple[str, str]]:
        if config.get("network") and config.get("interface"):
            return [("interface", "interface applies to the default route only; remove it or network")]
        return []

    def _load(self, network: str | None) -> State | None:
        config = self.connection().config()
        if not network:
            gateway, interface = default_route(config)
            if not gateway:
                return None
            return {"id": DEFAULT_ID, "gateway": gateway, "network": None, "interface": interface}
        routes = static_routes(config)
        if network not in routes:
            return None
        return {"id": network, "gateway": routes[network], "network": network, "interface": ""}

    def read(self, ctx: Any, current: State) -> State | None:
        network = current.get("network") or None
        return self.guarded(ctx.diagnostics, ctx.type_name, current, lambda: self._load(network))

    def import_(self, ctx: Any, id: str) -> State | None:
        network = None if id.strip() == DEFAULT_ID else id.strip()

        return self.import_found(ctx, id, lambda: self._load(network), f"{network or 'default'} route")

    def _write(self, planned: State, previous: State | None) -> State:
        network = planned.get("network") or None
        if network is None:
            action: dict[str, Any] = {"action": "route", "function": "default", "type": "set"}
            action["gateway"] = planned["gateway"]
            if is_known(planned.get("interface")) and planned.get("interface"):
                action["interface"] = planned["interface"]
            actions = [action]
        else:
            actions = []
            if previous is not None:
                actions.append(
                    {"action": "route", "function": "static", "type": "del", "network": previous["network"]}
                )
            actions.append(
                {
                    "action": "route",
                    "function": "static",
                    "type": "add",
                    "network": network,
                    "gateway": planned["gateway"],
                }
            )
        self.connection().write(actions, idempotent=network is None)
        state = self._load(network)
        if state is None:
            raise ApplianceActionError(
                self.connection().name,
                "route",
                network or DEFAULT_ID,
                "missing",
                "route not present after write",
            )
        return state

    def create(self, ctx: Any, planned: State) -> State | None:
        return self.guarded(ctx.diagnostics, ctx.type_name, None, lambda: self._write(planned, None))

    def update(self, ctx: Any, current: State, planned: State) -> State | None:
        return self.guarded(ctx.diagnostics, ctx.type_name, current, lambda: self._write(planned, current))

    def delete(self, ctx: Any, current: State) -> State | None:
        network = current.get("network")
        if not network:
            ctx.diagnostics.add_warning(
                f"{ctx.type_name}: default route kept",
                "API v2 has no action to remove the default gateway; it stays as configured.",
            )
            return None

        def remove() -> None:
            try:
                self.connection().write(
                    [{"action": "route", "function": "static", "type": "del", "network": network}],
                    idempotent=True,
                )
            except ApplianceActionError as error:
                if error.status != "missing":
                    raise

        return self.guarded(ctx.diagnostics, ctx.type_name, current, remove)
