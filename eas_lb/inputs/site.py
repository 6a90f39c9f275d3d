"""The site file: which appliances, networks, hypervisor and backend a deployment uses.

A site file is YAML validated by pydantic. Paths in it (`pools`, `ca_file`, a local OVA) are
relative to the site file, so a site directory can be moved or checked out anywhere. Credentials
are named by environment variable, never given as values: the generated `cdk.tf.json` and the
repository never hold a secret.

`load_deployment()` reads a site and its pools file(s) and runs the checks that need both (a
scenario-1 pools file needs a service network; a NAT VIP must sit outside the EAS service subnet).
Every error names the file, the line and column in it and the field: `site.yaml:12:5: pairs[0]...`.
"""

from __future__ import annotations

import difflib
import ipaddress
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlparse

from pydantic import (
    BaseModel,
    Field,
    IPvAnyAddress,
    IPvAnyInterface,
    IPvAnyNetwork,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from eas_lb.inputs.backend_config import secret_problems
from eas_lb.inputs.pools import InputFileError, PoolsFile, PoolsFileError, Problem, load_pools
from eas_lb.inputs.site_ssh import Backup, EasServers
from eas_lb.inputs.strict import StrictModel
from eas_lb.inputs.yaml_input import Positions, YamlInputError, load_yaml

#: Names that become parts of Terraform stack names and construct ids.
Name = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]*$", max_length=63)]
#: The name of an environment variable (never its value).
EnvName = Annotated[str, Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")]

_SECRET_KEYS = {"password", "api_key", "apikey", "secret", "token"}


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
        default=250_000, description="sizes the appliance VMs; above 250,000 set hypervisor.vm_size"
    )
    credentials: Credentials = Field(default_factory=Credentials, description="default credentials")
    pairs: Annotated[tuple[Pair, ...], Field(min_length=1)] = Field(description="the HA pairs (at least one)")
    hypervisor: Hypervisor | None = Field(default=None, description="absent: no VM stack (appliances exist)")
    backend: Backend = Field(default_factory=Backend, description="where Terraform state is kept")
    eas: EasServers | None = Field(default=None, description="EAS servers pools.txt is fetched from")
    backup: Backup | None = Field(default=None, description="lb_config.xml copies before every deploy")

    _resolve_pools = field_validator("pools")(_resolve)

    @field_validator("scenario", mode="before")
    @classmethod
    def _scenario_text(cls, value: Any) -> Any:
        return int(value) if isinstance(value, str) and value.strip() in {"1", "2"} else value

    def credentials_for(self, node: Node) -> Credentials:
        return node.credentials or self.credentials

    def pools_path(self, pair: Pair) -> Path:
        return pair.pools or self.pools


@dataclass(frozen=True)
class PairPlan:
    """A pair with its parsed pools and the VIP chosen for each service pool."""

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


# ---- reading --------------------------------------------------------------------------------------


def _where(path: tuple[Any, ...]) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(top level)"


def _locate(positions: Positions, path: tuple[Any, ...]) -> tuple[int, int]:
    """The position of `path` in the file, or of its nearest ancestor that is there."""
    while path not in positions and path:
        path = path[:-1]
    return positions.get(path, (1, 1))


def _read_yaml(path: Path) -> tuple[Any, Positions]:
    source = str(path)
    try:
        data_bytes = path.read_bytes()
    except OSError as error:
        raise SiteFileError([Problem(source, 0, 0, f"cannot read the site file: {error.strerror}")]) from None
    try:
        text = data_bytes.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data_bytes[: error.start].count(b"\n") + 1
        line_start = data_bytes.rfind(b"\n", 0, error.start) + 1
        before = data_bytes[line_start : error.start].removeprefix(b"\xef\xbb\xbf")
        column = len(before.decode("utf-8", errors="replace")) + 1
        message = f"not UTF-8 text (byte 0x{data_bytes[error.start]:02x}); save the site file as UTF-8"
        raise SiteFileError([Problem(source, line, column, message)]) from None
    try:
        data, positions = load_yaml(text, source)
    except YamlInputError as error:
        raise SiteFileError(error.problems) from None
    if not isinstance(data, dict):
        raise SiteFileError([Problem(source, 1, 1, "expected a mapping with name, pools and pairs")])
    return data, positions


def load_site(path: Path) -> Site:
    """Read and validate a site file (paths in it resolved against its directory)."""
    site, _ = _load_site(path)
    return site


def _load_site(path: Path) -> tuple[Site, Positions]:
    data, positions = _read_yaml(path)
    try:
        site = Site.model_validate(data, context={"base_dir": path.resolve().parent})
    except ValidationError as error:
        problems = []
        items = error.errors(include_url=False)
        failed = [tuple(item["loc"]) for item in items]
        for item in items:
            location = tuple(item["loc"])
            if item["type"] == "too_short" and any(len(f) > len(location) for f in failed):
                continue  # the items themselves are wrong; their errors say more
            line, column = _locate(positions, location)
            message = item["msg"].removeprefix("Value error, ")
            if item["type"] == "extra_forbidden":
                message = unknown_key_message(location)
            elif item["type"] == "string_pattern_mismatch":
                message = (
                    f"{item['input']!r} must be letters, digits, '_' or '-' (it names stacks and resources)"
                )
            problems.append(Problem(str(path), line, column, f"{_where(location)}: {message}"))
        raise SiteFileError(problems) from None
    secrets = secret_problems(site.backend.kind, site.backend.config)
    if secrets:
        located = [(("backend", "config", *where), message) for where, message in secrets]
        raise SiteFileError(
            [
                Problem(str(path), *_locate(positions, where), f"{_where(where)}: {message}")
                for where, message in located
            ]
        )
    return site, positions


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    """The pydantic models an annotation can hold (through Optional, tuples, dicts, Annotated)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    found: list[type[BaseModel]] = []
    for argument in typing.get_args(annotation):
        found += _models_in(argument)
    return found


def _model_at(location: tuple[Any, ...]) -> type[BaseModel] | None:
    """The model that holds the last key of `location` (`("pairs", 0, "primary", "x")` → Node)."""
    model: type[BaseModel] = Site
    for part in location[:-1]:
        if isinstance(part, int):
            continue
        field = model.model_fields.get(str(part))
        if field is None:
            return None
        models = _models_in(field.annotation)
        if not models:
            return None
        model = models[0]
    return model


def unknown_key_message(location: tuple[Any, ...]) -> str:
    """`unknown key 'pasword_env'; did you mean 'password_env'? (valid here: ...)`."""
    key = str(location[-1]) if location else ""
    model = _model_at(location)
    if model is None:
        return "unknown key; see docs/site-file.md for the keys of a site file"
    valid = list(model.model_fields)
    close = difflib.get_close_matches(key, valid, n=1, cutoff=0.6)
    hint = f"did you mean '{close[0]}'? " if close else ""
    return f"unknown key '{key}'; {hint}(valid here: {', '.join(valid)}; see docs/site-file.md)"


def load_deployment(path: Path, *, pools_override: Path | None = None) -> Deployment:
    """Load a site file and its pools, and check that they fit together.

    `pools_override` checks another pools file against the site (for `python -m eas_lb check`).
    """
    site, positions = _load_site(path)
    if pools_override is not None:
        site = site.model_copy(
            update={
                "pools": pools_override,
                "pairs": tuple(pair.model_copy(update={"pools": None}) for pair in site.pairs),
            }
        )
    problems: list[Problem] = []

    def problem(location: tuple[Any, ...], message: str) -> None:
        line, column = _locate(positions, location)
        problems.append(Problem(str(path), line, column, f"{_where(location)}: {message}"))

    _check_names(site, problem)
    plans: list[PairPlan] = []
    for index, pair in enumerate(site.pairs):
        where: tuple[Any, ...] = ("pairs", index)
        try:
            pools = load_pools(site.pools_path(pair))
        except PoolsFileError as error:
            for found in error.problems:
                if found.line == 0 and pools_override is None:
                    # The file as a whole is unusable: point at the site file's line naming it.
                    named_at = (*where, "pools") if pair.pools is not None else ("pools",)
                    problem(named_at, f"{found.source}: {found.message}")
                else:
                    problems.append(found)
            continue
        if site.scenario != "auto" and site.scenario != pools.scenario:
            problem(
                ("scenario",),
                f"scenario {site.scenario} does not match {pools.source}, which is scenario {pools.scenario} "
                "(both sections: 1; '# MANAGEMENT' only: 2); fix one of them or use 'auto'",
            )
        vips = _check_pair(pair, pools, where, problem)
        plans.append(PairPlan(pair=pair, pools=pools, service_vips=vips))
    if problems:
        raise SiteFileError(problems)
    return Deployment(site=site, source=path, pairs=tuple(plans))


def _check_names(site: Site, problem: Any) -> None:
    seen_pairs: set[str] = set()
    seen_nodes: dict[str, tuple[Any, ...]] = {}
    for index, pair in enumerate(site.pairs):
        if pair.name in seen_pairs:
            message = f"pair name {pair.name!r} is used twice; stack names must be unique"
            problem(("pairs", index, "name"), message)
        seen_pairs.add(pair.name)
        for role, node in (("primary", pair.primary), ("secondary", pair.secondary)):
            if node is None:
                continue
            if node.name in seen_nodes:
                problem(("pairs", index, role, "name"), f"appliance name {node.name!r} is used twice")
            seen_nodes[node.name] = ("pairs", index, role)


def _check_pair(
    pair: Pair, pools: PoolsFile, where: tuple[Any, ...], problem: Any
) -> dict[str, ipaddress.IPv4Address | ipaddress.IPv6Address]:
    vips: dict[str, ipaddress.IPv4Address | ipaddress.IPv6Address] = {}
    if pools.scenario == 2:
        return vips
    service_names = {pool.name for pool in pools.service}
    for name in pair.service_vips:
        if name not in service_names:
            problem(
                (*where, "service_vips", name),
                f"{name!r} is not a '# SERVICE' pool in {pools.source}; "
                f"known: {', '.join(sorted(service_names))}",
            )
    subnet = pair.eas_service_subnet
    missing_network = subnet is None or any(node.service_ip is None for node in pair.nodes)
    if missing_network:
        problem(
            where,
            f"{pools.source} has a '# SERVICE' section (scenario 1) but this pair has no service network: "
            "set eas_service_subnet and service_ip (eth1) on every appliance, or use a pools file "
            "with '# MANAGEMENT' only",
        )
    if pair.secondary is not None and pair.service_gateway is None:
        problem(
            where,
            "an HA pair in scenario 1 needs service_gateway: the floating IP the EAS servers use as their "
            "service-network gateway, so replies follow a fail-over",
        )
    management_endpoints = {(pool.pool_ip, pool.port): pool for pool in pools.management}
    inside_subnet: dict[tuple[Any, ...], list[str]] = {}
    for pool in pools.service:
        chosen = pool.pool_ip or pair.service_vips.get(pool.name) or pair.service_vip
        if chosen is None:
            problem(
                (*where, "service_vip"),
                f"service pool {pool.name!r} (line {pool.line}) has '-' as its IP: set service_vip, "
                f"or service_vips: {{{pool.name}: ADDRESS}}",
            )
            continue
        by_name = pool.name in pair.service_vips
        located = (*where, "service_vips", pool.name) if by_name else (*where, "service_vip")
        if subnet is not None and chosen in subnet:
            inside_subnet.setdefault((*located, str(chosen)), []).append(pool.label)
        clash = management_endpoints.get((chosen, pool.port))
        if clash is not None:
            problem(located, f"service VIP {chosen}:{pool.port} is already used by {clash.label}")
        vips[pool.name] = chosen
    for key, labels in inside_subnet.items():
        address = key[-1]
        problem(
            key[:-1],
            f"service VIP {address} ({', '.join(labels)}) is inside the EAS service subnet {subnet}; "
            "NAT mode needs a VIP outside it",
        )
    return vips
