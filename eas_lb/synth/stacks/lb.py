"""The load-balancer stacks: the guide's scenario 1 or 2 on one HA pair."""

from __future__ import annotations

from constructs import Construct

from eas_lb.guide import maintenance
from eas_lb.guide.adoption import PairAdoption
from eas_lb.guide.capacity import PairCapacity
from eas_lb.guide.mapping import ManagementPoolOptions, ServicePoolOptions
from eas_lb.inputs.pools import Pool
from eas_lb.inputs.site import PairPlan, Site
from eas_lb.synth.constructs.appliance import GlobalsCheck
from eas_lb.synth.constructs.ha_pair import HaPair
from eas_lb.synth.framework import TerraformOutput, TerraformStack
from eas_lb.synth.stacks.backend import configure_backend
from eas_lb.synth.stacks.imports import apply_adoption


class _LoadBalancerStack(TerraformStack):
    """Common part: the pair (or single appliance) and every `# MANAGEMENT` pool it serves as Layer 7.

    `plan.pools` holds only the sections the pair serves (`serves` in the site file): on a site of
    two HA pairs (guide 8.1) each stack brings up only its own VIPs.
    """

    layer4 = False

    # Alike in shape to vms.py's VmStack.__init__ and verify/command.py's verify(): keyword props, no logic.
    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        site: Site,
        plan: PairPlan,
        adoption: PairAdoption | None = None,
        capacity: PairCapacity | None = None,
    ) -> None:
        """`capacity`: the pair's Layer 7 sizing (`eas_lb.guide.capacity.site_capacity`); default:
        the site's subscribers and `capacity:` as they are, for a site of one pair."""
        super().__init__(scope, id)
        self.adoption = adoption
        self.site = site
        self.capacity = capacity or PairCapacity(site.subscribers, site.capacity)
        configure_backend(self, site.backend)
        pair = plan.pair
        secondary = pair.secondary
        self.pair = HaPair(
            self,
            pair.name,
            primary=pair.primary,
            secondary=secondary,
            credentials_primary=site.credentials_for(pair.primary),
            credentials_secondary=site.credentials_for(secondary) if secondary else None,
            globals_check=GlobalsCheck(layer7=bool(plan.pools.management), layer4=self.layer4),
        )
        self.management_pools = [
            self.pair.add_management_pool(pool, options=self._management_options(pool))
            for pool in plan.pools.management
        ]

    def _management_options(self, pool: Pool) -> ManagementPoolOptions:
        """An adopted pool's labels, the site's drain time, its servers in maintenance and the
        pair's Layer 7 sizing."""
        adopted = self.adoption.management_options(pool) if self.adoption else None
        return self.capacity.options(pool, maintenance.management_options(self.site, pool, adopted))

    def _service_options(self, pool: Pool) -> ServicePoolOptions:
        adopted = self.adoption.service_options(pool) if self.adoption else None
        return maintenance.service_options(self.site, pool, adopted)

    def import_adopted(self) -> None:
        """Import blocks for what `adopt` found on the appliances (after everything is added)."""
        if self.adoption is not None:
            appliances = [self.pair.primary] + ([self.pair.secondary] if self.pair.secondary else [])
            apply_adoption(appliances, self.adoption)

    def output_floating_ips(self, plan: PairPlan) -> None:
        """In an HA pair, list every address that moves to the secondary on fail-over.

        Only the service gateway is a `lborg_floating_ip` resource; each VIP brings its own
        address up as a floating IP on the appliance, so a resource for it would be a duplicate.
        The output makes the whole set visible in `cdk.tf.json`, plans and reviews.
        """
        if plan.pair.secondary is None:
            return
        addresses = {str(pool.pool_ip) for pool in plan.pools.management if pool.pool_ip is not None}
        addresses |= {str(ip) for ip in plan.service_vips.values()}
        if plan.pair.service_gateway is not None:
            addresses.add(str(plan.pair.service_gateway))
        TerraformOutput(
            self,
            "floating_ips",
            value=sorted(addresses),
            description="Addresses that follow the active node: the VIP addresses and the service gateway",
        )


class Scenario2Stack(_LoadBalancerStack):
    """One internal network: Layer 7 SNAT VIPs only (a pools file with `# MANAGEMENT` only)."""

    # Keywords as _LoadBalancerStack and Scenario1Stack take them: a stack's explicit props, kept visible.
    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        site: Site,
        plan: PairPlan,
        adoption: PairAdoption | None = None,
        capacity: PairCapacity | None = None,
    ) -> None:
        if plan.scenario != 2:
            raise ValueError(f"{id}: {plan.pools.source} has a '# SERVICE' section; use Scenario1Stack")
        super().__init__(scope, id, site=site, plan=plan, adoption=adoption, capacity=capacity)
        self.commit = self.pair.commit()
        self.output_floating_ips(plan)
        self.import_adopted()


class Scenario1Stack(_LoadBalancerStack):
    """Two internal networks: Layer 7 management VIPs, Layer 4 NAT service VIPs, and the service
    gateway as a floating IP (in an HA pair the EAS servers' gateway must follow a fail-over).
    On a pair that serves `# SERVICE` only, the Layer 4 part alone."""

    layer4 = True

    # Keywords as _LoadBalancerStack and Scenario2Stack take them: a stack's explicit props, kept visible.
    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        site: Site,
        plan: PairPlan,
        adoption: PairAdoption | None = None,
        capacity: PairCapacity | None = None,
    ) -> None:
        if plan.scenario != 1:
            raise ValueError(f"{id}: {plan.pools.source} has no '# SERVICE' section; use Scenario2Stack")
        super().__init__(scope, id, site=site, plan=plan, adoption=adoption, capacity=capacity)
        self.service_pools = [
            self.pair.add_service_pool(
                pool, plan.service_vips[pool.name], options=self._service_options(pool)
            )
            for pool in plan.pools.service
        ]
        gateway = plan.pair.service_gateway
        self.service_gateway = self.pair.add_floating_ip(gateway) if gateway is not None else None
        self.commit = self.pair.commit()
        self.output_floating_ips(plan)
        self.import_adopted()
