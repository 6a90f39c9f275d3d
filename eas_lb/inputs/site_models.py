"""The site file's models: which appliances, networks, hypervisor and backend a deployment uses.

Pydantic models only, so that the schema generator and every layer above read one definition.
Paths in a site file (`pools`, `ca_file`, a local OVA) are relative to the site file, so a site
directory can be moved or checked out anywhere: the validators resolve them against the
`base_dir` of the validation context. Credentials are named by environment variable, never given
as values: the generated `cdk.tf.json` and the repository never hold a secret.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlparse

from pydantic import (
    Field,
    IPvAnyAddress,
    IPvAnyInterface,
    IPvAnyNetwork,
    ValidationInfo,
    field_validator,
    model_validator,
)

from eas_lb.inputs.pools import InputFileError, PoolsFile, Section
from eas_lb.inputs.site_capacity import Capacity
from eas_lb.inputs.site_maintenance import Drain, EasServer, MaintenanceEntry, maintenance_by_address
from eas_lb.inputs.site_ssh import Backup, EasServers
from eas_lb.inputs.strict import StrictModel

#: Names that become parts of Terraform stack names and construct ids.
Name = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]*$", max_length=63)]
#: The name of an environment variable (never its value).
EnvName = Annotated[str, Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")]

_SECRET_KEYS = {"password", "api_key", "apikey", "secret", "token"}

#: Which sections of the pools file a pair serves. `both` is the guide's single HA pair with arms
#: in every network; `management` and `service` split scenario 1 over two HA pairs (guide 8.1):
#: a Layer 7 pair in the management network and a Layer 4 NAT pair between the external clients
#: and the service network.
Serves = Literal["both", "management", "service"]
SERVED_SECTIONS: dict[str, frozenset[Section]] = {
    "both": frozenset(Section),
    "management": frozenset({Section.MANAGEMENT}),
    "service": frozenset({Section.SERVICE}),
}


class SiteFileError(InputFileError):
    """A site file (or the pools file it names) that cannot be used; lists every problem."""


def _resolve(value: Path | None, info: ValidationInfo) -> Path | None:
    if value is not None and "\0" in str(value):
        raise ValueError("a path cannot contain a NUL character (\\0); check the quoting of this value")
    base = (info.context or {}).get("base_dir")
    if value is None or value.is_absolute() or base is None:
        return value
    return (Path(base) / value).resolve()


class Credentials(StrictModel):
    """Where the appliance's WebUI user, password and API key come from: environment variable names."""

    username: str | None = Field(default=None, description="WebUI user name (not secret); default from env")
    username_env: EnvName = Field(default="LBORG_USERNAME", description="variable holding the user name")
    password_env: EnvName = Field(default="LBORG_PASSWORD", description="variable holding the password")
    api_key_env: EnvName | None = Field(default="LBORG_API_KEY", description="variable holding the API key")

    @model_validator(mode="before")
    @classmethod
    def _no_secret_values(cls, data: Any) -> Any:
        if isinstance(data, dict):
            for key in data:
                if str(key).lower() in _SECRET_KEYS:
                    raise ValueError(
                        f"'{key}' would put a secret in the site file; name the environment variable "
                        f"holding it instead, e.g. {key}_env: LBORG_{str(key).upper()}"
                    )
        return data


class StaticRoute(StrictModel):
    """A static route of the appliance."""

    network: IPvAnyNetwork = Field(description="destination, e.g. 10.20.0.0/16")
    gateway: IPvAnyAddress = Field(description="next hop")


class Node(StrictModel):
    """One appliance: its API endpoint and the per-node network settings the stack manages."""

    name: Name = Field(description="hostname of the appliance, also used in resource names")
    endpoint: str = Field(description="API URL, https://HOST:9443")
    management_ip: IPvAnyInterface = Field(description="eth0 address with prefix, e.g. 10.225.37.240/24")
    service_ip: IPvAnyInterface | None = Field(default=None, description="eth1 address (scenario 1)")
    external_ip: IPvAnyInterface | None = Field(default=None, description="eth2 address, optional")
    domain: str | None = Field(default=None, description="DNS domain of the appliance")
    default_gateway: IPvAnyAddress | None = Field(default=None, description="default route's gateway")
    routes: tuple[StaticRoute, ...] = Field(default=(), description="static routes")
    ca_file: Path | None = Field(default=None, description="CA bundle for the API certificate")
    insecure: bool = Field(default=False, description="skip TLS verification (warned on every run)")
    credentials: Credentials | None = Field(default=None, description="default: the site's credentials")

    @field_validator("endpoint")
    @classmethod
    def _https(cls, value: str) -> str:
        parsed = urlparse(value)
        if parsed.scheme != "https" or not parsed.hostname:
            raise ValueError(f"endpoint {value!r} must be an https URL such as https://lb1.example.net:9443")
        return value

    _resolve_ca = field_validator("ca_file")(_resolve)


class Pair(StrictModel):
    """An HA pair (or a single appliance when `secondary` is absent) and its service network."""

    name: Name = Field(description="pair name, part of the stack names (`<site>-<pair>-lb`)")
    primary: Node = Field(description="the primary appliance")
    secondary: Node | None = Field(default=None, description="the secondary appliance; absent: a single one")
    pools: Path | None = Field(default=None, description="pools file of this pair; default: the site's")
    serves: Serves = Field(
        default="both",
        description="pools.txt sections this pair serves: both, management ('# MANAGEMENT' only: Layer 7, "
        "no service network) or service ('# SERVICE' only: Layer 4 NAT and the service network)",
    )
    service_vip: IPvAnyAddress | None = Field(default=None, description="VIP for service pools with '-'")
    service_vips: dict[str, IPvAnyAddress] = Field(default_factory=dict, description="VIP per service pool")
    service_gateway: IPvAnyAddress | None = Field(
        default=None, description="floating IP the EAS servers use as service-network gateway"
    )
    eas_service_subnet: IPvAnyNetwork | None = Field(default=None, description="subnet of the EAS servers")

    _resolve_pools = field_validator("pools")(_resolve)

    @property
    def nodes(self) -> tuple[Node, ...]:
        return (self.primary,) if self.secondary is None else (self.primary, self.secondary)

    @property
    def sections(self) -> frozenset[Section]:
        """The pools file's sections this pair brings up (`serves`)."""
        return SERVED_SECTIONS[self.serves]

    def served(self, pools: PoolsFile) -> PoolsFile:
        """The part of `pools` this pair brings up: its sections' rows only."""
        if self.serves == "both":
            return pools
        return pools.model_copy(
            update={
                "management": pools.management if Section.MANAGEMENT in self.sections else (),
                "service": pools.service if Section.SERVICE in self.sections else (),
            }
        )


#: vSphere 8's largest VM: 768 vCPUs, 24 TB of memory, 62 TB per virtual disk. Larger numbers
#: are typing mistakes; refusing them here beats a failed deploy (or a float in cdk.tf.json).
MAX_VCPUS, MAX_MEMORY_MB, MAX_DISK_GB = 768, 24 * 1024 * 1024, 62 * 1024


class VmSizeOverride(StrictModel):
    """Explicit VM size, for deployments above the guide's 250,000 subscribers."""

    vcpus: Annotated[int, Field(ge=1, le=MAX_VCPUS)] = Field(description="virtual CPUs")
    memory_mb: Annotated[int, Field(ge=1024, le=MAX_MEMORY_MB)] = Field(description="memory in MB")
    disk_gb: Annotated[int, Field(ge=1, le=MAX_DISK_GB)] = Field(description="disk in GB")


class HypervisorNetworks(StrictModel):
    """Port groups the appliance's NICs connect to."""

    management: str = Field(description="port group of eth0")
    service: str | None = Field(default=None, description="port group of eth1 (scenario 1)")
    external: str | None = Field(default=None, description="port group of eth2")


class Hypervisor(StrictModel):
    """Where the appliance VMs run (vSphere), deployed from the vendor's OVA."""

    kind: Literal["vsphere"] = Field(default="vsphere", description="the only hypervisor supported")
    server: str = Field(description="vCenter host name; user and password come from VSPHERE_USER/PASSWORD")
    allow_unverified_ssl: bool = Field(default=False, description="skip vCenter's TLS verification")
    datacenter: str = Field(description="vSphere datacenter")
    cluster: str = Field(description="compute cluster")
    datastore: str = Field(description="datastore of the VM disks")
    host: str = Field(description="ESXi host the OVA is deployed through (vSphere needs one for OVF)")
    folder: str | None = Field(default=None, description="VM folder")
    ova: str = Field(description="path (relative to the site file) or http(s) URL of the appliance OVA")
    image_disk_gb: Annotated[int, Field(ge=1, le=MAX_DISK_GB)] = Field(
        default=20, description="the OVA's own disk"
    )
    networks: HypervisorNetworks = Field(description="port groups per NIC")
    vm_size: VmSizeOverride | None = Field(default=None, description="default: sized from `subscribers`")

    @field_validator("ova")
    @classmethod
    def _resolve_ova(cls, value: str, info: ValidationInfo) -> str:
        if urlparse(value).scheme in {"http", "https"}:
            return value
        resolved = _resolve(Path(value), info)
        return str(resolved)

    @property
    def ova_is_url(self) -> bool:
        return urlparse(self.ova).scheme in {"http", "https"}


class Backend(StrictModel):
    """Terraform state: `local` (a file per stack) or `pg` / `s3` with their settings passed through.

    `pg` is the team's backend (see `eas_lb.inputs.backend_config`): one schema per stack, Terraform's
    lock, the password from the environment. No backend secret is accepted as a value.
    """

    kind: Literal["local", "pg", "s3"] = Field(default="local", description="backend type")
    config: dict[str, Any] = Field(
        default_factory=dict,
        description="the backend block's arguments; no secrets (they come from the environment)",
    )


class Site(StrictModel):
    """A whole site file."""

    name: Name = Field(description="site name: letters, digits, `_`, `-`; part of the stack names")
    pools: Path = Field(description="the EAS pools.txt, relative to the site file")
    scenario: Literal["auto", 1, 2] = Field(
        default="auto", description="1 (service network), 2 (management only) or auto (from pools.txt)"
    )
    subscribers: Annotated[int, Field(ge=1)] = Field(
        default=250_000,
        description="sizes the appliance VMs and the Layer 7 connection limits, spread evenly over "
        "the pairs of each layer; above 250,000 a pair needs hypervisor.vm_size and capacity",
    )
    capacity: Capacity = Field(
        default_factory=Capacity,
        description="explicit Layer 7 maxconn and persistence table sizes; default: from subscribers",
    )
    credentials: Credentials = Field(default_factory=Credentials, description="default credentials")
    pairs: Annotated[tuple[Pair, ...], Field(min_length=1)] = Field(description="the HA pairs (at least one)")
    hypervisor: Hypervisor | None = Field(default=None, description="absent: no VM stack (appliances exist)")
    backend: Backend = Field(default_factory=Backend, description="where Terraform state is kept")
    eas: EasServers | None = Field(default=None, description="EAS servers pools.txt is fetched from")
    backup: Backup | None = Field(default=None, description="lb_config.xml copies before every deploy")
    eas_servers: tuple[EasServer, ...] = Field(
        default=(),
        description="each EAS server once, by name, with all its addresses (scenario 1: management "
        "and service), so maintenance: can name the server: every address, every VIP, every pair",
    )
    drain: Drain = Field(
        default_factory=Drain, description="how long a removed server drains before its delete"
    )
    maintenance: tuple[MaintenanceEntry, ...] = Field(
        default=(),
        description="EAS servers drained or halted on every VIP that uses them, by name "
        "(eas_servers:) or by address",
    )

    _resolve_pools = field_validator("pools")(_resolve)

    @field_validator("scenario", mode="before")
    @classmethod
    def _scenario_text(cls, value: Any) -> Any:
        return int(value) if isinstance(value, str) and value.strip() in {"1", "2"} else value

    def credentials_for(self, node: Node) -> Credentials:
        return node.credentials or self.credentials

    def pools_path(self, pair: Pair) -> Path:
        return pair.pools or self.pools

    def maintenance_by_address(self) -> dict[str, MaintenanceEntry]:
        """Every address in maintenance (a named server's addresses, each) and its entry."""
        return maintenance_by_address(self.eas_servers, self.maintenance)

    def eas_server_of(self, address: str) -> EasServer | None:
        """The named EAS server that has `address` (any spelling of it), if `eas_servers:` names one."""
        for server in self.eas_servers:
            if any(str(known) == address or known == _parsed(address) for known in server.addresses):
                return server
        return None

    def server_title(self, address: str) -> str:
        """`eas-3 (10.225.37.231, 192.168.85.61)` for an address of a named server, else the address."""
        server = self.eas_server_of(address)
        return address if server is None else server.title


def _parsed(address: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(address)
    except ValueError:
        return None


@dataclass(frozen=True)
class PairPlan:
    """A pair with the pools it serves (its sections of its pools file) and the VIP chosen for each
    service pool. A `serves: management` pair is scenario 2 on its own (Layer 7 only, no service
    network); a `serves: service` pair is scenario 1 without management pools."""

    pair: Pair
    pools: PoolsFile
    service_vips: dict[str, ipaddress.IPv4Address | ipaddress.IPv6Address]

    @property
    def scenario(self) -> Literal[1, 2]:
        return self.pools.scenario


@dataclass(frozen=True)
class Deployment:
    """A validated site with everything the stacks need: one `PairPlan` per pair."""

    site: Site
    source: Path
    pairs: tuple[PairPlan, ...]
    #: What the site file may not mean as written (`FILE:LINE: warning: ...`): printed by `check`
    #: and synth, never a failure.
    warnings: tuple[str, ...] = ()
