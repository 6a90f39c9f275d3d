"""Adopt one HA pair: read both appliances, map them to pools, preview the first deploy.

Two steps, because the second needs a pools file: `read_and_map` reads the appliances and maps
their VIPs to pools rows (the caller writes pools.txt from them when the site has none);
`preview_pair` builds the pair's stack in memory with the names adopt keeps and compares every
resource with the appliances.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from typing import Any

from eas_lb.guide.adoption import AdoptedAppliance, PairAdoption
from eas_lb.inputs.pools import PoolsFile
from eas_lb.inputs.site import Node, Pair, PairPlan, Site
from eas_lb.operations.adopt.preview import PlannedObject, Preview, ha_peers, preview, unclaimed
from eas_lb.operations.adopt.reverse import ReverseMapping, Unmanaged, found_vips, reverse_map
from eas_lb.operations.appliances.clients import client_for
from eas_lb.synth.constructs.appliance import Appliance, GlobalsCheck
from eas_lb.synth.framework import App
from eas_lb.synth.stacks.imports import COMMIT_TYPE
from eas_lb.synth.stacks.lb import Scenario1Stack, Scenario2Stack
from eas_lb.synth.stacks.names import lb_stack_name
from lborg_provider.model.config_view import virtuals
from lborg_provider.model.normalize import dig, number_or, text

Config = dict[str, Any]


@dataclass(frozen=True)
class ReadAppliance:
    node: Node
    role: str
    config: Config = field(repr=False)
    #: Layer 7 and Layer 4 global settings (`list advanced`, as the stack's postcondition reads them).
    advanced: tuple[Config, Config] = field(default=({}, {}), repr=False)

    @property
    def name(self) -> str:
        return self.node.name


@dataclass
class PairFindings:
    """Everything adopt learns about one pair, for the report and the record."""

    pair: Pair
    primary: ReadAppliance
    secondary: ReadAppliance | None
    mapping: ReverseMapping
    pools_written: str | None = None
    pool_differences: list[str] = field(default_factory=list)
    preview: Preview = field(default_factory=Preview)
    globals_off: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    stack: str = ""
    adoption: PairAdoption | None = None

    @property
    def unmanaged(self) -> list[Unmanaged]:
        seen: set[tuple[str, str, str]] = set()
        out = []
        for item in [*self.mapping.unmanaged, *self.preview.unmanaged]:
            key = (item.appliance, item.kind, item.name.split(" ")[0])
            if key not in seen:
                seen.add(key)
                out.append(item)
        return out


def read_appliance(site: Site, node: Node) -> ReadAppliance:
    """`list dumpconfig` and `list advanced` of one appliance (read-only)."""
    client = client_for(site, node, timeout_seconds=30.0)
    try:
        config = client.dumpconfig()
        advanced = client.advanced()
    finally:
        client.close()
    role = text(dig(config, "physical", "network", "role")) or "master"
    return ReadAppliance(node, role, config, advanced)


def _check_roles(pair: Pair, primary: ReadAppliance, secondary: ReadAppliance | None) -> list[str]:
    problems = []
    master, slave = ha_peers(primary.config)
    own = str(pair.primary.management_ip.ip)
    if primary.role == "slave" or (slave and slave == own):
        problems.append(
            f"{primary.name} is the secondary (slave) of its pair, but the site file names it primary: "
            "configuration is made on the master; swap primary and secondary in the site file"
        )
    if secondary is not None and master and slave:
        peer = str(secondary.node.management_ip.ip)
        if {master, slave} != {own, peer}:
            problems.append(
                f"{primary.name} is paired with {slave if master == own else master}, not with "
                f"{secondary.name} ({peer}) as the site file says"
            )
    if secondary is None and master and slave:
        problems.append(
            f"{primary.name} is part of an HA pair ({master} with {slave}) but the site file has no "
            "secondary; add it to the pair"
        )
    return problems


def read_and_map(site: Site, pair: Pair, pools: PoolsFile | None) -> PairFindings:
    primary = read_appliance(site, pair.primary)
    secondary = read_appliance(site, pair.secondary) if pair.secondary is not None else None
    findings = PairFindings(pair, primary, secondary, reverse_map(primary.name, primary.config, pair, pools))
    findings.problems += _check_roles(pair, primary, secondary)
    if secondary is not None and _vip_labels(secondary.config) != _vip_labels(primary.config):
        findings.notes.append(
            f"{secondary.name}'s VIPs differ from {primary.name}'s: the pair is not in sync; the primary's "
            "configuration is what is adopted, and the appliance replicates it to the secondary"
        )
    return findings


def _vip_labels(config: Config) -> set[str]:
    return {text(item.get("label")) for layer in ("7", "4") for item in virtuals(config, layer)}


def globals_off(advanced: tuple[Config, Config], check: GlobalsCheck) -> list[str]:
    """The guide's global check settings that the appliance does not have (no API can set them),
    read as the stack's `lborg_global_settings` postcondition reads them (`list advanced`)."""
    l7, l4 = advanced
    wanted = [("Layer 7", l7, "interval", "Interval", check.l7_interval_ms, "ms")] if check.layer7 else []
    if check.layer4:
        wanted += [
            ("Layer 4", l4, "checkinterval", "Check Interval", check.l4_check_interval_s, "s"),
            ("Layer 4", l4, "checktimeout", "Check Timeout", check.l4_check_timeout_s, "s"),
            ("Layer 4", l4, "failurecount", "Failure Count", check.l4_failure_count, ""),
        ]
    out = []
    for layer, values, key, words, want, unit in wanted:
        have = number_or(values.get(key), None)
        if have != want:
            suffix = f" {unit}" if unit else ""
            shown = "unset" if have is None else f"{have}{suffix}"
            out.append(
                f"{layer} {words} is {shown} (guide: {want}{suffix}): set it in the WebUI, "
                f"Cluster Configuration > {layer} Advanced Configuration"
            )
    return out


def preview_pair(site: Site, plan: PairPlan, findings: PairFindings) -> None:
    """Build the pair's stack in memory with the names to keep and preview the first deploy."""
    names = PairAdoption(pools=findings.mapping.names)
    kind = Scenario1Stack if plan.scenario == 1 else Scenario2Stack
    with tempfile.TemporaryDirectory(prefix="eas-adopt-") as outdir:
        app = App(outdir=outdir)
        stack = kind(app, lb_stack_name(site, plan), site=site, plan=plan, adoption=names)
        findings.stack = lb_stack_name(site, plan)
        appliances: list[Appliance] = [stack.pair.primary]
        configs = {findings.primary.name: findings.primary.config}
        if stack.pair.secondary is not None and findings.secondary is not None:
            appliances.append(stack.pair.secondary)
            configs[findings.secondary.name] = findings.secondary.config
        result = preview(appliances, configs)
        result.unmanaged += unclaimed(
            findings.primary.name, findings.primary.config, result.objects, vips=True
        )
        if findings.secondary is not None:
            result.unmanaged += unclaimed(
                findings.secondary.name, findings.secondary.config, result.objects, vips=False
            )
        findings.preview = result
        check = GlobalsCheck(layer7=bool(plan.pools.management), layer4=plan.scenario == 1)
        findings.globals_off = globals_off(findings.primary.advanced, check)
        findings.problems += _clashes(findings, result.objects)
        findings.adoption = PairAdoption(
            pools=findings.mapping.names,
            unmanaged_vips=sorted(item.vip_label for item in findings.unmanaged if item.vip_label),
            appliances={
                appliance.name: _record(appliance, result.on(appliance.name), result.reloads(appliance.name))
                for appliance in appliances
            },
        )


def _record(appliance: Appliance, objects: list[PlannedObject], reloads: list[str]) -> AdoptedAppliance:
    imports: dict[str, list[str]] = {}
    for item in objects:
        if item.exists:
            imports.setdefault(item.resource_type, []).append(item.import_id)
    if any(_is_commit(child) for child in appliance.node.find_all()):
        imports[COMMIT_TYPE] = ["commit"]
        triggers = dict(appliance.triggers)
    else:
        triggers = {}
    return AdoptedAppliance(imports=imports, commit_triggers=triggers, reload=reloads)


def _is_commit(child: Any) -> bool:
    return getattr(child, "terraform_resource_type", None) == COMMIT_TYPE


def _clashes(findings: PairFindings, objects: list[PlannedObject]) -> list[str]:
    """A VIP the first deploy adds whose label or address:port an unmanaged VIP already uses."""
    problems = []
    existing = found_vips(findings.primary.config)
    for item in objects:
        if item.exists or item.resource_type not in ("lborg_layer7_vip", "lborg_layer4_vip"):
            continue
        for vip in existing:
            if vip.label == item.import_id:
                problems.append(
                    f"{item.appliance}: the first deploy would add VIP {item.import_id}, but a {vip.kind} "
                    f"with that label exists ({vip.where}); rename one of them in the WebUI"
                )
            elif vip.where == item.listens_on:
                problems.append(
                    f"{item.appliance}: the first deploy would add VIP {item.import_id} on {vip.where}, "
                    f"where {vip.label} ({vip.kind}) already listens; move one of them"
                )
    return problems
