"""`EasManagementPool` and `EasServicePool`: one pools row → one VIP and one real server per server.

A real server's construct id is its address (`EAS_10_225_37_61`, see `real_server_id`), so its
Terraform address is the EAS server's address on that VIP: a row the EAS reorders plans nothing,
and a server that leaves takes only its own real servers with it. A server whose label is kept
(`server_labels`: an adopted pair's, or a site deployed when construct ids were labels by position)
gets a `moved` block from the address its label gave it then.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from constructs import Construct

from eas_lb.guide.mapping import (
    ManagementPoolOptions,
    RealServerAttributes,
    ServicePoolOptions,
    in_server_order,
    layer7_persist_minutes,
    management_vip,
    real_server_state,
    real_servers,
    service_vip,
)
from eas_lb.inputs.pools import IPAddress, Pool, Section
from eas_lb.synth.framework import (
    Annotations,
    ITerraformDependable,
    Layer4RealServer,
    Layer4Vip,
    Layer7RealServer,
    Layer7Vip,
    TerraformProvider,
    TerraformResource,
)
from eas_lb.synth.logical_ids import move_from_former_id


class EasManagementPool(Construct):
    """A `# MANAGEMENT` row as a Layer 7 SNAT VIP (`MGMT_<POOL>`, TCP mode) and its EAS real servers.

    Props:
        pool: the parsed row (`eas_lb.inputs.pools.Pool`), section MANAGEMENT.
        provider: the appliance's `lborg` provider instance.
        options: overrides of the guide's values (default: the guide's, see `eas_lb.guide.mapping`).
        depends_on: what must exist first (in an HA pair: the pairing).

    Each real server also gets `state` `drain`/`halt` when it is in `options.server_states` (unset
    otherwise: the provider's `online`) and `drain_seconds` (how long it drains before a delete; default
    `eas_lb.guide.mapping.EAS_DRAIN_SECONDS`). Neither is part of the reload digests: a drain is a
    runtime action on the appliance.
    """

    # Keyword props alike EasServicePool's in shape; a Layer 7 pool has no vip_ip and other options.
    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        pool: Pool,
        provider: TerraformProvider,
        options: ManagementPoolOptions | None = None,
        depends_on: Sequence[ITerraformDependable] = (),
    ) -> None:
        super().__init__(scope, id)
        if pool.section is not Section.MANAGEMENT:
            raise ValueError(
                f"EasManagementPool {id}: pool {pool.name} is a {pool.section} row; use EasServicePool"
            )
        options = options or ManagementPoolOptions()
        self.pool = pool
        self.vip_attributes = management_vip(pool, options)
        self.label = self.vip_attributes["label"]
        self.real_server_attributes = in_server_order(
            real_servers(pool, options.real_server_weight, vip_label=self.label, labels=options.server_labels)
        )
        warning = layer7_persist_minutes(pool.sticky)[1] if pool.sticky else None
        if warning:
            Annotations.of(self).add_warning(f"{self.label}: {warning}")
        self.vip, self.real_servers = _vip_and_servers(
            self, (Layer7Vip, Layer7RealServer), options, provider, depends_on
        )

    @property
    def resources(self) -> list[ITerraformDependable]:
        return [self.vip, *self.real_servers]


class EasServicePool(Construct):
    """A `# SERVICE` row as a Layer 4 NAT VIP (`SERV_<POOL>`) and its EAS real servers.

    Props:
        pool: the parsed row, section SERVICE.
        vip_ip: the VIP address (the row's own, or the one the site file chose for a `-` row); it
            must be outside the EAS service subnet for NAT mode (checked by `eas_lb.inputs.site`).
        provider, options, depends_on: as for `EasManagementPool`.
    """

    # Keyword props alike EasManagementPool's in shape; a Layer 4 pool adds vip_ip and other options.
    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        pool: Pool,
        vip_ip: IPAddress,
        provider: TerraformProvider,
        options: ServicePoolOptions | None = None,
        depends_on: Sequence[ITerraformDependable] = (),
    ) -> None:
        super().__init__(scope, id)
        if pool.section is not Section.SERVICE:
            raise ValueError(
                f"EasServicePool {id}: pool {pool.name} is a {pool.section} row; use EasManagementPool"
            )
        if pool.pool_ip is not None and pool.pool_ip != vip_ip:
            raise ValueError(
                f"EasServicePool {id}: pools.txt gives {pool.pool_ip} for {pool.name}, not {vip_ip}"
            )
        options = options or ServicePoolOptions()
        self.pool = pool
        self.vip_attributes = service_vip(pool, vip_ip, options)
        self.label = self.vip_attributes["label"]
        self.real_server_attributes = in_server_order(
            real_servers(pool, options.real_server_weight, vip_label=self.label, labels=options.server_labels)
        )
        self.vip, self.real_servers = _vip_and_servers(
            self, (Layer4Vip, Layer4RealServer), options, provider, depends_on
        )

    @property
    def resources(self) -> list[ITerraformDependable]:
        return [self.vip, *self.real_servers]


def _vip_and_servers(
    pool: EasManagementPool | EasServicePool,
    types: tuple[type[TerraformResource], type[TerraformResource]],
    options: ManagementPoolOptions | ServicePoolOptions,
    provider: TerraformProvider,
    depends_on: Sequence[ITerraformDependable],
) -> tuple[TerraformResource, list[TerraformResource]]:
    """The pool's VIP and a real server per EAS server (after the VIP), for either layer: the two
    pool constructs differ only in their values and resource types, never in how they are built."""
    vip_type, server_type = types
    vip = vip_type(
        pool, "vip", provider=provider, depends_on=list(depends_on) or None, **_kw(pool.vip_attributes)
    )
    servers = [
        server_type(
            pool,
            real_server_id(attrs),
            provider=provider,
            depends_on=[vip],
            **_kw(attrs),
            **_kw(real_server_state(attrs["ip"], options)),
        )
        for attrs in pool.real_server_attributes
    ]
    _move_kept_labels(servers, pool.real_server_attributes, options.server_labels)
    return vip, servers


def real_server_id(attributes: RealServerAttributes) -> str:
    """A real server's construct id from its address: `EAS_10_225_37_61`, `EAS_2001-db8--61`.

    Logical ids keep only letters, digits, `_` and `-`; mapping `.` and `:` to two different
    characters keeps every address its own id, readable in plans.
    """
    return "EAS_" + attributes["ip"].replace(".", "_").replace(":", "-")


def _move_kept_labels(
    resources: Sequence[TerraformResource],
    attributes: Sequence[RealServerAttributes],
    kept: Mapping[str, str],
) -> None:
    """A `moved` block for each real server whose label is kept: its construct id was that label."""
    for resource, attrs in zip(resources, attributes, strict=True):
        if kept.get(attrs["ip"]) == attrs["label"]:
            move_from_former_id(resource, attrs["label"])


def _kw(attributes: Any) -> dict[str, Any]:
    """A TypedDict of attributes as keyword arguments for a generated binding."""
    return dict(attributes)
