"""`eas-lb drift --site SITE.yaml [--json] [--out FILE.md]`: what changed on the appliances.

Read-only. For every appliance stack of the site (`<site>-<pair>-lb`), Terraform's refresh-only
plan (`plan -refresh-only -lock=false`: no state written, no lock taken) compares what the
appliances have with the last deploy; the appliances are also read directly for what a refresh
does not cover (global check settings, halted servers, floating IPs nobody manages, pending
reloads). The report says, in pool terms and per appliance, what differs, what exists that the
code does not manage, what waits for a reload, and for each the two ways out.

Exit status: 0 no drift; 2 drift; 1 could not tell (an appliance that does not answer, a stack
Terraform could not refresh, unusable input). An appliance that could not be read is named and
never reported as "no drift".
"""

from __future__ import annotations

import os
import sys
from dataclasses import replace
from pathlib import Path

from eas_lb.inputs.pools import InputFileError
from eas_lb.inputs.site import Deployment, Node, PairPlan, load_deployment
from eas_lb.operations.appliances.reachability import Silent, endpoint_differs, silent_nodes
from eas_lb.operations.command_line import Options
from eas_lb.operations.drift.appliance_reads import ApplianceReading, read_appliance
from eas_lb.operations.drift.findings import SERVICE_OF_LAYER, Finding, StackContext, from_drift, not_managed
from eas_lb.operations.drift.readiness import (
    ca_problem,
    credentials_problem,
    local_state,
    mirror_problem,
    no_state,
    paired_addresses,
    shown_path,
    stale_synth,
    terraform_failure,
)
from eas_lb.operations.drift.report import EXIT_UNKNOWN, DriftReport, render_json, render_markdown
from eas_lb.operations.plans import plan_json
from eas_lb.operations.plans.appliance_index import ApplianceIndex
from eas_lb.operations.plans.changes import stack_plan
from eas_lb.operations.plans.planner import PlanningError, StackDir, plan_stack
from lborg_provider.client.errors import ApplianceError


def _configured(plan: plan_json.Plan) -> dict[str, frozenset[str]]:
    """Configured resource address → the attributes its configuration sets."""

    def walk(module: plan_json.ConfiguredModule, prefix: str) -> dict[str, frozenset[str]]:
        found = {f"{prefix}{r.address}": frozenset(r.expressions) for r in module.resources}
        for name, call in module.module_calls.items():
            found.update(walk(call.module, f"{prefix}module.{name}."))
        return found

    return walk(plan.configuration.root_module, "")


def _state_resources(plan: plan_json.Plan) -> list[plan_json.StateResource]:
    if plan.prior_state is None:
        return []
    found: list[plan_json.StateResource] = []
    modules = [plan.prior_state.values.root_module]
    while modules:
        module = modules.pop()
        found += module.resources
        modules += module.child_modules
    return found


def _is_data(address: str) -> bool:
    """A data source's address (`data.T.N`, `module.M.data.T.N`): read by every plan, state or not."""
    return address.startswith("data.") or ".data." in address


def _refresh_stack(
    report: DriftReport, context: StackContext, stack_dir: StackDir, terraform: str
) -> set[str] | None:
    """Refresh one stack into findings; returns the floating IPs its state manages (on the primary;
    the pair replicates them to the secondary), or None when the state holds nothing: then there
    is no last deploy to compare with, and nothing is reported."""
    document = plan_stack(stack_dir, terraform=terraform, refresh_only=True)
    plan = plan_json.parse_plan(document, source=f"stack {context.stack}")
    resources = [item for item in _state_resources(plan) if not _is_data(item.address)]
    if not resources:
        return None  # a refresh reads the data sources even without a state: those do not count
    context = replace(context, configured=_configured(plan))
    for change in stack_plan(context.stack, plan).drift:
        report.findings += from_drift(context, change)
    index = ApplianceIndex(plan)
    floating: set[str] = set()
    for resource in resources:
        if resource.type == "lborg_commit":
            appliance = index.appliance_at(resource.address).name
            entries = resource.values.get("unmanaged")
            for entry in entries if isinstance(entries, list) else []:
                finding = not_managed(context, appliance, str(entry))
                if finding is not None:
                    report.findings.append(finding)
        elif resource.type == "lborg_floating_ip" and isinstance(resource.values.get("ip"), str):
            floating.add(resource.values["ip"])
    return floating


def _site_floating_ips(plan: PairPlan) -> set[str]:
    """Floating IPs the site file names for a pair: its service gateway and every VIP address.
    Never "not managed", whatever the state says."""
    pair = plan.pair
    named = [pair.service_gateway, pair.service_vip, *pair.service_vips.values(), *plan.service_vips.values()]
    named += [pool.pool_ip for pool in plan.pools.pools]
    return {str(address) for address in named if address is not None}


def _with_service(finding: Finding, reading: ApplianceReading) -> Finding:
    """An unmanaged VIP or server of this appliance, with the service whose reload makes it live."""
    layer = reading.vip_layers.get(finding.subject)
    if finding.appliance != reading.name or finding.service is not None or layer is None:
        return finding
    put_back = finding.put_back.replace("Layer 7 or Layer 4", f"Layer {layer}")
    return replace(finding, service=SERVICE_OF_LAYER[layer], put_back=put_back)


def _silent_sentence(item: Silent, paired: dict[str, str]) -> str:
    sentence = (
        f"{item.node.name} ({item.role} of pair {item.pair.name}) does not answer at "
        f"{item.node.endpoint} ({item.reason})"
    )
    differs = endpoint_differs(item.node, item.role, paired)
    return f"{sentence}; {differs}" if differs else sentence


def _read_nodes(
    report: DriftReport,
    deployment: Deployment,
    plan: PairPlan,
    stack: str,
    nodes: list[Node],
    floating: set[str] | None,
) -> None:
    """Read each appliance directly; `floating` None: the stack was not refreshed, so what only
    the state can tell (floating IPs nobody manages) is not judged."""
    from eas_lb.operations.appliances.clients import MissingCredentialsError, client_for

    # A floating IP added on the primary is replicated to the secondary: one finding, the primary's.
    floating_found: set[str] = set()
    for node in nodes:
        try:
            client = client_for(deployment.site, node)
            try:
                reading = read_appliance(
                    node.name,
                    stack,
                    client,
                    layer7=bool(plan.pools.management),
                    layer4=bool(plan.pools.service),
                    managed_floating_ips=None if floating is None else floating | _site_floating_ips(plan),
                )
            finally:
                client.close()
        except (ApplianceError, MissingCredentialsError, ValueError) as error:
            report.could_not_tell.append(f"{node.name}: {error}")
            continue
        except OSError as error:  # a CA bundle requests cannot load, a file it cannot read
            report.could_not_tell.append(f"{node.name}: {error}")
            continue
        report.appliances.append(reading)
        report.findings += [
            f for f in reading.findings if f.subject != "floating IPs" or f.what not in floating_found
        ]
        floating_found |= {f.what for f in reading.findings if f.subject == "floating IPs"}
        report.findings = [_with_service(finding, reading) for finding in report.findings]


def _context(deployment: Deployment, site_arg: Path, stack: str, plan: PairPlan) -> StackContext:
    """What the advice of one stack's findings needs: the commands in full, the site file's keys."""
    from eas_lb.operations.ssh.backups import copies

    site = deployment.site
    deploy = f"eas-lb deploy --site {site_arg} --stack {stack}"
    maintenance = {address: entry.state for address, entry in site.maintenance_by_address().items()}
    backups: dict[str, Path] = {}
    no_backup = "the site file has no backup: section, so no copy of lb_config.xml was taken"
    if site.backup is not None:
        directory = site.backup.directory  # resolved against the site file's folder
        newest = {node.name: copies(directory, node.name)[-1:] for node in plan.pair.nodes}
        backups = {name: found[0] for name, found in newest.items() if found}
        no_backup = f"no copy of lb_config.xml in {directory} yet"
    pools_file = shown_path(plan.pools.source, deployment.source)
    names = {str(address): server.name for server in site.eas_servers for address in server.addresses}
    return StackContext(
        stack, plan, deploy, pools_file, {}, str(site_arg), maintenance, backups, no_backup, names
    )


def _blocked(deployment: Deployment, plan: PairPlan, nodes: list[Node]) -> dict[str, str]:
    """Appliance → why it cannot be read (credentials unset, CA file missing)."""
    found: dict[str, str] = {}
    credentials = credentials_problem(deployment.site, nodes)
    for node in nodes:
        reason = ca_problem(plan.pair, node) or credentials
        if reason is not None:
            found[node.name] = reason
    return found


def _why_not(
    stack_dir: StackDir, down: list[str], blocked: dict[str, str], stale: str | None, mirror: str | None
) -> str | None:
    """Why a stack cannot be refreshed before Terraform runs, or None."""
    if down:
        verb = "does" if len(down) == 1 else "do"
        return f"Terraform reads both appliances of the pair, and {', '.join(down)} {verb} not answer"
    if blocked:
        return f"Terraform reads both appliances of the pair, and {', '.join(blocked)} cannot be read (above)"
    if stale:
        return stale
    if not (stack_dir.path / "cdk.tf.json").is_file():
        return f"{stack_dir.path}/cdk.tf.json does not exist; run `cdktf synth`, then drift again"
    return mirror


def collect(deployment: Deployment, site_arg: Path, synth_dir: Path, terraform: str) -> DriftReport:
    """Refresh every appliance stack and read every appliance; nothing is written anywhere."""
    from eas_lb.synth.stacks.names import lb_stack_name

    stacks = {lb_stack_name(deployment.site, plan): plan for plan in deployment.pairs}
    report = DriftReport(deployment.site.name, list(stacks))
    silent = silent_nodes(deployment, list(stacks))
    quiet = {item.node.name for item in silent}
    stale = stale_synth(synth_dir, deployment.source)
    mirror = mirror_problem(os.environ)
    for stack, plan in sorted(stacks.items()):
        stack_dir = StackDir(stack, synth_dir / "stacks" / stack)
        paired = paired_addresses(local_state(stack_dir.path))
        report.could_not_tell += [_silent_sentence(item, paired) for item in silent if item.pair is plan.pair]
        context = _context(deployment, site_arg, stack, plan)
        answering = [node for node in plan.pair.nodes if node.name not in quiet]
        blocked = _blocked(deployment, plan, answering)
        report.could_not_tell += list(dict.fromkeys(blocked.values()))
        down = [node.name for node in plan.pair.nodes if node.name in quiet]
        reason = _why_not(stack_dir, down, blocked, stale, mirror)
        floating: set[str] | None = None
        if reason is None:
            print(f"drift: refreshing stack {stack} (read-only) ...", file=sys.stderr)
            try:
                floating = _refresh_stack(report, context, stack_dir, terraform)
            except (PlanningError, plan_json.PlanFormatError) as error:
                reason = terraform_failure(str(error), stack_dir.path)
            else:
                reason = no_state(stack_dir.path) if floating is None else None
        if reason is not None:
            report.could_not_tell.append(f"stack {stack} was not refreshed: {reason}")
        readable = [node for node in answering if node.name not in blocked]
        _read_nodes(report, deployment, plan, stack, readable, floating)
    return report


def _report_of_failure(site: str, reason: str) -> DriftReport:
    return DriftReport(site, [], could_not_tell=[reason])


def run(args: Options) -> int:
    """Collect, print and write the report; the exit status says drift, none, or unknown. A site
    file that cannot be used still gives a report ("could not tell", with the reason), so the
    nightly workflow's issue says so."""
    try:
        deployment = load_deployment(args.site)
    except InputFileError as error:
        report = _report_of_failure(args.site.stem, f"the site file {args.site} cannot be used: {error}")
    else:
        try:
            report = collect(deployment, args.site, args.synth_dir, args.terraform)
        except OSError as error:
            report = _report_of_failure(deployment.site.name, f"a file drift needs cannot be read: {error}")
    markdown = render_markdown(report)
    if args.out:
        try:
            args.out.write_text(markdown, encoding="utf-8")
        except OSError as error:
            print(f"drift: cannot write {args.out}: {error.strerror}", file=sys.stderr)
            return EXIT_UNKNOWN
        print(f"drift: report written to {args.out}", file=sys.stderr)
    sys.stdout.write(render_json(report) if args.json else markdown)
    for reason in report.could_not_tell:
        print(f"drift: could not tell: {reason}", file=sys.stderr)
    return report.exit_code
