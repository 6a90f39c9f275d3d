"""`lborg_ha_pair`: pair this appliance (the primary) with an empty peer (`ha_create`)."""

from __future__ import annotations

import os
from typing import Any

from tf.schema import Attribute
from tf.types import String

from lborg_provider import normalize
from lborg_provider.resources.base import InvalidInput, LborgResource, State
from lborg_provider.schema_helpers import computed, identifier, optional_plain, required


class HaPair(LborgResource):
    type_suffix = "_ha_pair"
    description = (
        "Pairs this appliance with a peer using `ha_create`. The peer must be empty (no VIPs or "
        "floating IPs). There is no public action that breaks a pair: destroying this resource only "
        "forgets it (with a warning). Prefer `peer_password_env` to `peer_password` so the password "
        "never lands in configuration files."
    )

    @classmethod
    def attributes(cls) -> list[Attribute]:
        return [
            identifier("The peer's IP address."),
            required(
                "local_ip", String(), "This appliance's address on the heartbeat network.", replace=True
            ),
            required(
                "peer_ip", String(), "The peer appliance's address on the heartbeat network.", replace=True
            ),
            optional_plain(
                "peer_password",
                String(),
                "The peer's WebUI password (sensitive). Prefer `peer_password_env`.",
                sensitive=True,
            ),
            optional_plain(
                "peer_password_env",
                String(),
                "Name of an environment variable holding the peer's WebUI password.",
            ),
            computed("role", String(), "This node's role as the appliance reports it: `master` or `slave`."),
        ]

    def check_config(self, config: State) -> list[tuple[str, str]]:
        if config.get("peer_password") and config.get("peer_password_env"):
            return [("peer_password", "set peer_password or peer_password_env, not both")]
        return []

    def _status(self, current: State) -> State | None:
        status = self.appliance().client.nodestatus()
        if not normalize.flag(status.get("ha")) or normalize.text(status.get("peer")) != current["peer_ip"]:
            return None
        return {**current, "id": current["peer_ip"], "role": normalize.text(status.get("role")) or "master"}

    def read(self, ctx: Any, current: State) -> State | None:
        return self.guarded(ctx.diagnostics, ctx.type_name, current, lambda: self._status(current))

    def _password(self, planned: State) -> str:
        if planned.get("peer_password"):
            return str(planned["peer_password"])
        name = planned.get("peer_password_env")
        if name:
            value = os.environ.get(str(name), "")
            if not value:
                raise InvalidInput("peer_password_env", f"environment variable {name} is not set or empty")
            return value
        raise InvalidInput("peer_password", "set peer_password_env (preferred) or peer_password")

    def create(self, ctx: Any, planned: State) -> State | None:
        def apply() -> State | None:
            action = {
                "action": "ha_create",
                "local_ip": planned["local_ip"],
                "peer_ip": planned["peer_ip"],
                "peer_password": self._password(planned),
            }
            self.appliance().write([action], services=["heartbeat"])
            state = self._status({**planned, "role": None})
            if state is None:
                name = self.appliance().name
                ctx.diagnostics.add_error(
                    f"{ctx.type_name}: pairing not visible",
                    f"appliance {name}: ha_create succeeded but nodestatus does not report "
                    f"peer {planned['peer_ip']}",
                )
            return state

        return self.guarded(ctx.diagnostics, ctx.type_name, None, apply)

    def update(self, ctx: Any, current: State, planned: State) -> State | None:
        # Only the password inputs can change in place; the appliance keeps using the pairing.
        return {**planned, "role": current.get("role")}

    def delete(self, ctx: Any, current: State) -> State | None:
        ctx.diagnostics.add_warning(
            f"{ctx.type_name}: HA pair forgotten, not broken",
            f"API v2 has no action to break an HA pair; {current['local_ip']} and {current['peer_ip']} stay "
            "paired. Break the pair in the WebUI if that is what you want.",
        )
        return None
