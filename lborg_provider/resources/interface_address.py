"""`lborg_interface_address`: one CIDR address on one interface of this node."""

from __future__ import annotations

import ipaddress
from typing import Any

from tf.schema import Attribute
from tf.types import String

from lborg_provider.client.errors import ApplianceActionError
from lborg_provider.model.config_view import interface_addresses
from lborg_provider.resources.base import LborgResource, State
from lborg_provider.resources.schema_helpers import identifier, required


class InterfaceAddressResource(LborgResource):
    type_suffix = "_interface_address"
    description = (
        "An address on a network interface of this node (`address` action). Per node, not "
        "replicated. Import as `INTERFACE/ADDRESS/PREFIX`, for example `eth1/192.168.85.240/18`."
    )

    @classmethod
    def attributes(cls) -> list[Attribute]:
        return [
            identifier("`INTERFACE/ADDRESS/PREFIX`, for example `eth1/192.168.85.240/18`."),
            required("interface", String(), "The interface, for example `eth1`.", replace=True),
            required(
                "address", String(), "The address with its prefix length: `192.168.85.240/18`.", replace=True
            ),
        ]

    def check_config(self, config: State) -> list[tuple[str, str]]:
        value = config.get("address")
        if isinstance(value, str):
            try:
                ipaddress.ip_interface(value)
            except ValueError:
                return [("address", f"'{value}' is not ADDRESS/PREFIX, for example 192.168.85.240/18")]
            if "/" not in value:
                return [("address", f"'{value}' needs a prefix length, for example {value}/24")]
        return []

    def _load(self, interface: str, address: str) -> State | None:
        present = interface_addresses(self.connection().config(), interface)
        if address not in present:
            return None
        return {"id": f"{interface}/{address}", "interface": interface, "address": address}

    def read(self, ctx: Any, current: State) -> State | None:
        interface, address = str(current["interface"]), str(current["address"])
        return self.guarded(ctx.diagnostics, ctx.type_name, current, lambda: self._load(interface, address))

    def import_(self, ctx: Any, id: str) -> State | None:
        interface, sep, address = id.strip().partition("/")
        if not sep:
            ctx.diagnostics.add_error(
                f"{ctx.type_name}: cannot import '{id}'", "expected eth1/192.168.85.240/18"
            )
            return None

        return self.import_found(
            ctx, id, lambda: self._load(interface, address), f"address {address} on {interface}"
        )

    def create(self, ctx: Any, planned: State) -> State | None:
        def apply() -> State:
            interface, address = str(planned["interface"]), str(planned["address"])
            self.connection().write(
                [{"action": "address", "function": "add", "interface": interface, "address": address}]
            )
            return {"id": f"{interface}/{address}", "interface": interface, "address": address}

        return self.guarded(ctx.diagnostics, ctx.type_name, None, apply)

    def update(self, ctx: Any, current: State, planned: State) -> State | None:
        return planned

    def delete(self, ctx: Any, current: State) -> State | None:
        def remove() -> None:
            try:
                self.connection().write(
                    [
                        {
                            "action": "address",
                            "function": "del",
                            "interface": current["interface"],
                            "address": current["address"],
                        }
                    ],
                    idempotent=True,
                )
            except ApplianceActionError as error:
                if error.status != "missing":
                    raise

        return self.guarded(ctx.diagnostics, ctx.type_name, current, remove)
