"""`HaPair`: two appliances as one: configuration on the primary, replicated by the appliances."""

from __future__ import annotations

from collections.abc import Sequence

from constructs import Construct

from eas_lb.guide.mapping import ManagementPoolOptions, ServicePoolOptions
from eas_lb.inputs.pools import IPAddress, Pool
from eas_lb.inputs.site import Credentials, Node
from eas_lb.synth.constructs.appliance import Appliance, GlobalsCheck
from eas_lb.synth.constructs.pools import EasManagementPool, EasServicePool
from eas_lb.synth.framework import Commit, FloatingIp, ITerraformDependable
from eas_lb.synth.framework import HaPair as HaPairResource


class HaPair(Construct):
    """An HA pair of appliances (or a single appliance when `secondary` is None).

    - Per-node settings (hostname, eth1/eth2 addresses, routes) on both nodes: they are not
      replicated.
    - `lborg_ha_pair` on the primary with `peer_ip` = the secondary's management address and
      `peer_password_env` = the secondary's password variable. It depends on both nodes' settings
      and every VIP depends on it, so the pairing runs while the secondary is still empty (the
      appliance refuses to pair with a peer that has VIPs or floating IPs).
    - VIPs, real servers and floating IPs on the primary only; the appliance replicates them.
    - Floating IPs: only for addresses no VIP owns, i.e. the service-network gateway the EAS
      servers route through. A VIP brings its own address up as a floating IP on the appliance,
      so VIP addresses get no separate `lborg_floating_ip` (one would be a duplicate the
      appliance rejects).
    - One `lborg_commit` on the primary after everything; its reloads replicate to the peer. The
      primary's VIPs and floating IPs also depend on its `on_destroy` commit, which reloads after
      `terraform destroy` removed them.

    Props:
        primary, secondary: the nodes from the site file.
        credentials_primary, credentials_secondary: environment variable names per node.
        globals_check: the guide's global settings to verify on the primary.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        primary: Node,
        secondary: Node | None,
        credentials_primary: Credentials,
        credentials_secondary: Credentials | None = None,
        globals_check: GlobalsCheck | None = None,
    ) -> None:
        super().__init__(scope, id)
        self.primary = Appliance(
            self,
            primary.name,
            node=primary,
            credentials=credentials_primary,
            globals_check=globals_check or GlobalsCheck(),
        )
        self.secondary: Appliance | None = None
        self.pairing: HaPairResource | None = None
        if secondary is not None:
            self.secondary = Appliance(
                self, secondary.name, node=secondary, credentials=credentials_secondary or credentials_primary
            )
            self.pairing = HaPairResource(
                self.primary,
                "ha-pair",
                provider=self.primary.provider,
                local_ip=str(primary.management_ip.ip),
                peer_ip=str(secondary.management_ip.ip),
                peer_password_env=self.secondary.password_env,
                depends_on=[*self.primary.node_settings, *self.secondary.node_settings],
            )
            self.primary.add_config(self.pairing, "heartbeat", {"peer_ip": str(secondary.management_ip.ip)})

    @property
    def _after_pairing(self) -> Sequence[ITerraformDependable]:
        return [self.pairing] if self.pairing is not None else []

    def add_management_pool(
        self, pool: Pool, *, options: ManagementPoolOptions | None = None
    ) -> EasManagementPool:
        return self.primary.add_management_pool(pool, options=options, depends_on=self._after_pairing)

    def add_service_pool(
        self, pool: Pool, vip_ip: IPAddress, *, options: ServicePoolOptions | None = None
    ) -> EasServicePool:
        return self.primary.add_service_pool(pool, vip_ip, options=options, depends_on=self._after_pairing)

    def add_floating_ip(self, ip: IPAddress) -> FloatingIp:
        """A floating IP for an address no VIP owns (the service gateway), on the primary."""
        return self.primary.add_floating_ip(ip, depends_on=self._after_pairing)

    def commit(self) -> Commit:
        return self.primary.commit()
