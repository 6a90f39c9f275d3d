"""`lborg_ha_pair`: pair this appliance (the primary) with an empty peer (`ha_create`).

Whether the two are paired is read from the configuration the appliance documents
(`heartbeat/ucast_ip/{master,slave}`, `physical/network/role` in `list dumpconfig`), not from
`nodestatus`, whose fields no vendor source lists; `nodestatus` only adds a warning when it
disagrees. A pair that already joins the same two addresses is recognized, never created again:
the lbcli help says `ha_create` fails when run a second time.
"""

from __future__ import annotations

import ipaddress
import os
from typing import Any

from tf.schema import Attribute
from tf.types import String

from lborg_provider.client.errors import ApplianceError
from lborg_provider.model import normalize
from lborg_provider.resources.base import InvalidInput, LborgResource, State
from lborg_provider.resources.schema_helpers import computed, identifier, optional_plain, required


class HaPairResource(LborgResource):
    type_suffix = "_ha_pair"
    # Description and attributes() laid out as floating_ip.py's; each resource its own schema.
    description = (
        "Pairs this appliance with a peer using `ha_create`. The peer must be empty (no VIPs or "
        "floating IPs). There is no public action that breaks a pair: destroying this resource only "
        "forgets it (with a warning), and creating it again over an existing pair of the same two "
        "addresses adopts that pair instead of running `ha_create` twice. Import with the peer's "
        "address (or `LOCAL_IP/PEER_IP`): `terraform import lborg_ha_pair.x 192.168.2.22`. Prefer "
        "`peer_password_env` to `peer_password` so the password never lands in configuration files."
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

    def _pairing(self) -> tuple[str, str, str]:
        """(master, slave, role) from `heartbeat/ucast_ip` and `physical/network/role`."""
        config = self.connection().config()
        master = _address(normalize.dig(config, "heartbeat", "ucast_ip", "master"))
        slave = _address(normalize.dig(config, "heartbeat", "ucast_ip", "slave"))
        role = normalize.text(normalize.dig(config, "physical", "network", "role"))
        return master, slave, role

    def _status(self, current: State) -> State | None:
        """The pair as configured on the appliance, or None when these two are not paired."""
        master, slave, role = self._pairing()
        local, peer = _address(current["local_ip"]), _address(current["peer_ip"])
        if not master or not slave or {master, slave} != {local, peer}:
            return None
        return {
            **current,
            "id": current["peer_ip"],
            "role": role or ("master" if master == local else "slave"),
        }

    def read(self, ctx: Any, current: State) -> State | None:
        def load() -> State | None:
            state = self._status(current)
            if state is None:
                self._warn_if_nodestatus_disagrees(ctx, current)
            return state

        return self.guarded(ctx.diagnostics, ctx.type_name, current, load)

    def _warn_if_nodestatus_disagrees(self, ctx: Any, current: State) -> None:
        try:
            status = self.connection().client.nodestatus()
        except ApplianceError:
            return
        if normalize.text(status.get("peer")) == current["peer_ip"]:
            ctx.diagnostics.add_warning(
                f"{ctx.type_name}: nodestatus and configuration disagree",
                f"appliance {self.connection().name}: nodestatus names peer {current['peer_ip']}, but the "
                "configuration (heartbeat/ucast_ip) does not pair it with "
                f"{current['local_ip']}; the configuration decides, so the pair is planned again.",
            )

    def import_(self, ctx: Any, id: str) -> State | None:
        local_given, _, peer_given = id.strip().rpartition("/")

        def load() -> State | None:
            master, slave, _role = self._pairing()
            peer = _address(peer_given)
            if peer not in (master, slave) or not master or not slave:
                return None
            local = slave if peer == master else master
            if local_given and _address(local_given) != local:
                return None
            state = {
                "id": peer_given,
                "local_ip": local,
                "peer_ip": peer_given,
                "peer_password": None,
                "peer_password_env": None,
                "role": None,
            }
            return self._status(state)

        return self.import_found(ctx, id, load, f"HA pair with peer {peer_given} (heartbeat/ucast_ip)")

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
            existing = self._status({**planned, "role": None})
            if existing is not None:
                return existing  # already paired with this peer: ha_create would refuse a second run
            master, slave, _role = self._pairing()
            if master or slave:
                raise InvalidInput(
                    "peer_ip",
                    f"appliance {self.connection().name} is already in an HA pair ({master} with "
                    f"{slave}, from heartbeat/ucast_ip); ha_create cannot pair it with "
                    f"{planned['peer_ip']}. Break that pair in the WebUI first.",
                )
            action = {
                "action": "ha_create",
                "local_ip": planned["local_ip"],
                "peer_ip": planned["peer_ip"],
                "peer_password": self._password(planned),
            }
            self.connection().write([action], services=["heartbeat"])
            state = self._status({**planned, "role": None})
            if state is None:
                name = self.connection().name
                ctx.diagnostics.add_error(
                    f"{ctx.type_name}: pairing not visible",
                    f"appliance {name}: ha_create succeeded but heartbeat/ucast_ip in list "
                    f"dumpconfig does not pair {planned['local_ip']} with {planned['peer_ip']}",
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


def _address(value: Any) -> str:
    """An IP address in one spelling (`::1` for `0:0::1`), so both sides compare; text otherwise."""
    raw = normalize.text(value)
    try:
        return str(ipaddress.ip_address(raw))
    except ValueError:
        return raw
