"""`lborg_hostname`: this node's host name and domain (a per-node setting, not replicated)."""

from __future__ import annotations

from typing import Any

from tf.schema import Attribute
from tf.types import String

from lborg_provider.model import normalize
from lborg_provider.model.config_view import network
from lborg_provider.resources.base import LborgResource, State, is_known
from lborg_provider.resources.schema_helpers import identifier, optional, required

ID = "hostname"


class HostnameResource(LborgResource):
    type_suffix = "_hostname"
    # Description and attributes() laid out as route.py's; each resource its own schema.
    description = (
        "The appliance's host name and domain (`hostname` action). Per node: set it on both nodes "
        "of an HA pair. Destroying it leaves the appliance's name as it is. Import with id `hostname`."
    )

    @classmethod
    def attributes(cls) -> list[Attribute]:
        return [
            identifier("Always `hostname` (one per appliance)."),
            required("hostname", String(), "The host name, for example `lbprimary`."),
            optional("domain", String(), "The DNS domain. Default: left as the appliance has it."),
        ]

    def _load(self) -> State:
        net = network(self.connection().config())
        return {
            "id": ID,
            "hostname": normalize.text(net.get("hostname")),
            "domain": normalize.text(net.get("domain")),
        }

    def read(self, ctx: Any, current: State) -> State | None:
        return self.guarded(ctx.diagnostics, ctx.type_name, current, self._load)

    def import_(self, ctx: Any, id: str) -> State | None:
        return self.guarded(ctx.diagnostics, ctx.type_name, None, self._load)

    def _set(self, planned: State) -> State:
        action: dict[str, Any] = {"action": "hostname", "function": "set", "hostname": planned["hostname"]}
        if is_known(planned.get("domain")) and planned.get("domain"):
            action["domain"] = planned["domain"]
        self.connection().write([action], idempotent=True)
        return self._load()

    def create(self, ctx: Any, planned: State) -> State | None:
        return self.guarded(ctx.diagnostics, ctx.type_name, None, lambda: self._set(planned))

    def update(self, ctx: Any, current: State, planned: State) -> State | None:
        return self.guarded(ctx.diagnostics, ctx.type_name, current, lambda: self._set(planned))

    def delete(self, ctx: Any, current: State) -> State | None:
        return None
