"""`Appliance`: one Loadbalancer.org appliance as a provider instance, its per-node settings,
the guide's global-settings check, one `lborg_commit` after all of its configuration and one
`on_destroy` commit before it (the reload after `terraform destroy`)."""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from constructs import Construct

from eas_lb.guide import mapping
from eas_lb.guide.mapping import ManagementPoolOptions, ServicePoolOptions
from eas_lb.inputs.pools import IPAddress, Pool
from eas_lb.inputs.site import Credentials, Node
from eas_lb.synth.constructs.pools import EasManagementPool, EasServicePool
from eas_lb.synth.framework import (
    Commit,
    DataLborgGlobalSettings,
    FloatingIp,
    Hostname,
    InterfaceAddress,
    ITerraformDependable,
    LborgProvider,
    Postcondition,
    Route,
    TerraformResourceLifecycle,
)

Service = Literal["haproxy", "ldirectord", "heartbeat"]
_DEFAULT_USERNAME_ENV = "LBORG_USERNAME"


@dataclass(frozen=True)
class GlobalsCheck:
    """Which of the guide's global settings to check (there is no API action to set them).

    Defaults are the guide's: Layer 7 check interval 3000 ms; Layer 4 check interval 3 s, check
    timeout 3 s, failure count 2. `layer4` is only wanted where Layer 4 VIPs exist (scenario 1).
    """

    layer7: bool = True
    layer4: bool = False
    l7_interval_ms: int = mapping.GLOBAL_CHECKS_L7["interval"]
    l4_check_interval_s: int = mapping.GLOBAL_CHECKS_L4["checkinterval"]
    l4_check_timeout_s: int = mapping.GLOBAL_CHECKS_L4["checktimeout"]
    l4_failure_count: int = mapping.GLOBAL_CHECKS_L4["failurecount"]


def digest(value: Any) -> str:
    """A stable digest of desired configuration (JSON with sorted keys), for `lborg_commit` triggers."""
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def provider_alias(name: str) -> str:
    """A Terraform provider alias for an appliance name (identifiers start with a letter)."""
    alias = re.sub(r"[^A-Za-z0-9_-]", "_", name)
    return alias if alias[:1].isalpha() else f"lb_{alias}"


class Appliance(Construct):
    """One appliance: its `lborg` provider instance and everything configured on it.

    Props:
        node: the appliance from the site file (endpoint, addresses, routes, CA file).
        credentials: environment variable NAMES for user, password and API key; the provider reads
            the values at run time, so no secret is ever written to `cdk.tf.json`.
        globals_check: the guide's global settings to verify with a postcondition on the
            `lborg_global_settings` data source, or None (an HA secondary: its globals are the
            primary's, replicated).
        manage_node_settings: create hostname, eth1/eth2 addresses and routes (default True). The
            management address on eth0 is never managed: it is how the API is reached, set at the
            console when the appliance is installed.

    Configuration is added with `add_management_pool`, `add_service_pool`, `add_floating_ip` or
    `add_config`; `commit()` then creates the one `lborg_commit` of the appliance, which depends on
    all of it and reloads each service once per apply (triggers: a digest per service).

    The first pool or floating IP also creates `reload-on-destroy`, an `lborg_commit` with
    `on_destroy = true` that every VIP and floating IP depends on: `terraform destroy` destroys it
    after them, and its reload leaves the running services without the destroyed VIPs (the
    commit above is destroyed first and cannot).
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        node: Node,
        credentials: Credentials,
        globals_check: GlobalsCheck | None = None,
        manage_node_settings: bool = True,
    ) -> None:
        super().__init__(scope, id)
        self.node_spec = node
        self.name = node.name
        self.provider = LborgProvider(
            self,
            "provider",
            alias=provider_alias(node.name),
            appliance_name=node.name,
            endpoint=node.endpoint,
            username=_username(credentials, node.name),
            password_env=credentials.password_env,
            api_key_env=credentials.api_key_env,
            ca_file=str(node.ca_file) if node.ca_file else None,
            insecure=True if node.insecure else None,
        )
        self.password_env = credentials.password_env
        self.node_settings: list[ITerraformDependable] = []
        if manage_node_settings:
            self._node_settings(node)
        self.global_settings = self._check_globals(globals_check) if globals_check else None
        self._config: list[ITerraformDependable] = []
        self._desired: dict[Service, list[Any]] = {}
        self._commit: Commit | None = None
        self._reload_on_destroy: Commit | None = None

    @property
    def reload_on_destroy(self) -> Commit:
        """The appliance's `on_destroy` commit, created on first use (before any configuration)."""
        if self._reload_on_destroy is None:
            self._reload_on_destroy = Commit(
                self, "reload-on-destroy", provider=self.provider, on_destroy=True
            )
        return self._reload_on_destroy

    # ---- per-node settings --------------------------------------------------------------------
    def _node_settings(self, node: Node) -> None:
        settings: list[ITerraformDependable] = [
            Hostname(self, "hostname", provider=self.provider, hostname=node.name, domain=node.domain)
        ]
        for interface, address in (("eth1", node.service_ip), ("eth2", node.external_ip)):
            if address is not None:
                settings.append(
                    InterfaceAddress(
                        self,
                        f"address-{interface}",
                        provider=self.provider,
                        interface=interface,
                        address=str(address),
                    )
                )
        if node.default_gateway is not None:
            settings.append(
                Route(
                    self,
                    "route-default",
                    provider=self.provider,
                    gateway=str(node.default_gateway),
                    interface="eth0",
                )
            )
        for route in node.routes:
            settings.append(
                Route(
                    self,
                    f"route-{route.network}",
                    provider=self.provider,
                    network=str(route.network),
                    gateway=str(route.gateway),
                    depends_on=list(settings),
                )
            )
        self.node_settings = settings

    def _check_globals(self, check: GlobalsCheck) -> DataLborgGlobalSettings:
        conditions: list[Postcondition] = []
        where = f"{self.name} ({self.node_spec.endpoint})"
        if check.layer7:
            conditions.append(
                _condition(
                    f"self.l7_interval == {check.l7_interval_ms}",
                    f"{where}: the Layer 7 health-check interval is not {check.l7_interval_ms} ms as the EAS "
                    f"guide requires. Set it in the WebUI: Cluster Configuration > Layer 7 Advanced "
                    f"Configuration > Interval = {check.l7_interval_ms}, then run again.",
                )
            )
        if check.layer4:
            for attribute, value, label in (
                ("l4_check_interval", check.l4_check_interval_s, "Check Interval"),
                ("l4_check_timeout", check.l4_check_timeout_s, "Check Timeout"),
                ("l4_failure_count", check.l4_failure_count, "Failure Count"),
            ):
                conditions.append(
                    _condition(
                        f"self.{attribute} == {value}",
                        f"{where}: the Layer 4 {label} is not {value} as the EAS guide requires. Set it in "
                        f"the WebUI: Cluster Configuration > Layer 4 Advanced Configuration > {label} = "
                        f"{value}, then run again.",
                    )
                )
        return DataLborgGlobalSettings(
            self,
            "global-settings",
            provider=self.provider,
            lifecycle=TerraformResourceLifecycle(postcondition=conditions),
        )

    # ---- configuration ------------------------------------------------------------------------
    def add_config(self, resource: ITerraformDependable, service: Service, desired: Any) -> None:
        """Register a configuration resource: the commit depends on it and digests `desired`."""
        self._register([resource], service, desired)

    def _register(self, resources: Sequence[ITerraformDependable], service: Service, desired: Any) -> None:
        if self._commit is not None:
            raise RuntimeError(f"{self.name}: configuration added after commit(); add all config first")
        self._config.extend(resources)
        self._desired.setdefault(service, []).append(desired)

    # Alike add_service_pool below in shape; other construct, other service (haproxy vs ldirectord).
    def add_management_pool(
        self,
        pool: Pool,
        *,
        options: ManagementPoolOptions | None = None,
        depends_on: Sequence[ITerraformDependable] = (),
    ) -> EasManagementPool:
        construct = EasManagementPool(
            self,
            pool.label,
            pool=pool,
            provider=self.provider,
            options=options,
            depends_on=[*self.node_settings, self.reload_on_destroy, *depends_on],
        )
        self._register(
            construct.resources, "haproxy", [construct.vip_attributes, construct.real_server_attributes]
        )
        return construct

    # Alike add_management_pool above in shape; other construct, other service (ldirectord vs haproxy).
    def add_service_pool(
        self,
        pool: Pool,
        vip_ip: IPAddress,
        *,
        options: ServicePoolOptions | None = None,
        depends_on: Sequence[ITerraformDependable] = (),
    ) -> EasServicePool:
        construct = EasServicePool(
            self,
            pool.label,
            pool=pool,
            vip_ip=vip_ip,
            provider=self.provider,
            options=options,
            depends_on=[*self.node_settings, self.reload_on_destroy, *depends_on],
        )
        self._register(
            construct.resources, "ldirectord", [construct.vip_attributes, construct.real_server_attributes]
        )
        return construct

    def add_floating_ip(
        self, ip: IPAddress, *, depends_on: Sequence[ITerraformDependable] = ()
    ) -> FloatingIp:
        floating = FloatingIp(
            self,
            f"floating-ip-{ip}",
            provider=self.provider,
            ip=str(ip),
            depends_on=[*self.node_settings, self.reload_on_destroy, *depends_on],
        )
        self.add_config(floating, "heartbeat", {"floating_ip": str(ip)})
        return floating

    @property
    def triggers(self) -> Mapping[str, str]:
        """One digest per service that has configuration here."""
        return {service: digest(desired) for service, desired in sorted(self._desired.items())}

    def commit(self) -> Commit:
        """The appliance's one `lborg_commit`, after all of its configuration; call once, last."""
        if self._commit is None:
            dependencies = [*self.node_settings, *self._config]
            if self.global_settings is not None:
                dependencies.append(self.global_settings)
            self._commit = Commit(
                self,
                "commit",
                provider=self.provider,
                triggers=dict(self.triggers),
                depends_on=dependencies or None,
            )
        return self._commit


def _condition(condition: str, message: str) -> Postcondition:
    return Postcondition(condition="${" + condition + "}", error_message=message)


def _username(credentials: Credentials, node_name: str) -> str | None:
    """The WebUI user name (not a secret): given, or left to the provider's LBORG_USERNAME fallback,
    or read from the named variable at synth time (the provider has no `username_env`)."""
    if credentials.username is not None:
        return credentials.username
    if credentials.username_env == _DEFAULT_USERNAME_ENV:
        return None
    value = os.environ.get(credentials.username_env)
    if not value:
        raise ValueError(
            f"{node_name}: credentials.username_env names {credentials.username_env}, which is not set; "
            f"set it, or use username: NAME, or username_env: {_DEFAULT_USERNAME_ENV} (read by the provider)"
        )
    return value
