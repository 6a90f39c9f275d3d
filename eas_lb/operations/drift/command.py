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

import argparse
import sys
from dataclasses import replace
from pathlib import Path

from eas_lb.inputs.pools import InputFileError
from eas_lb.inputs.site import Deployment, Node, PairPlan, load_deployment
from eas_lb.operations.appliances.reachability import Silent, silent_nodes
from eas_lb.operations.drift.appliance_reads import ApplianceReading, read_appliance
from eas_lb.operations.drift.findings import SERVICE_OF_LAYER, Finding, StackContext, from_drift, not_managed
from eas_lb.operations.drift.report import EXIT_UNKNOWN, DriftReport, render_json, render_markdown
from eas_lb.operations.plans import plan_json
from eas_lb.operations.plans.appliance_index import ApplianceIndex
from eas_lb.operations.plans.changes import stack_plan
from eas_lb.operations.plans.planner import PlanningError, StackDir, plan_stack
from eas_lb.operations.site_option import add_site_option
from eas_lb.synth.stamp import changed_inputs, synthesized_site_file
from lborg_provider.client.errors import ApplianceError


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of the drift command."""
    parser.description = __doc__.split("\n\n", 1)[1] if __doc__ else None
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    add_site_option(parser)
    parser.add_argument("--json", action="store_true", help="print the report as JSON on standard output")
    parser.add_argument("--out", type=Path, metavar="FILE.md", help="also write the markdown report here")
    parser.add_argument(
        "--synth-dir", type=Path, default=Path("cdktf.out"), help="cdktf output (default: %(default)s)"
    )
    parser.add_argument(
        "--terraform", default="terraform", help="terraform executable (default: %(default)s)"
    )


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


def _refresh_stack(
    report: DriftReport, context: StackContext, stack_dir: StackDir, terraform: str
) -> set[str]:
    """Refresh one stack into findings; returns the floating IPs its state manages (on the primary;
    the pair replicates them to the secondary)."""
    document = plan_stack(stack_dir, terraform=terraform, refresh_only=True)
    plan = plan_json.parse_plan(document, source=f"stack {context.stack}")
    context = replace(context, configured=_configured(plan))
    for change in stack_plan(context.stack, plan).drift:
        report.findings += from_drift(context, change)
    index = ApplianceIndex(plan)
    floating: set[str] = set()
    for resource in _state_resources(plan):
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


def _stale_synth(synth_dir: Path, site_file: Path) -> str | None:
    """Why the synthesized stacks cannot stand for this site's last deploy, or None."""
    synthesized = synthesized_site_file(synth_dir)
    if synthesized is not None and synthesized != site_file.resolve():
        return (
            f"{synth_dir} was synthesized from {synthesized}, not {site_file}; run `cdktf synth` with "
            "this site (EAS_SITE), then drift again"
        )
    changed = changed_inputs(synth_dir)
    if changed:
        names = ", ".join(_shown_path(name, site_file) for name in changed)
        return f"{names} changed since the last `cdktf synth`; run `cdktf synth`, then drift again"
    return None


def _with_service(finding: Finding, reading: ApplianceReading) -> Finding:
    """An unmanaged VIP or server of this appliance, with the service whose reload makes it live."""
    layer = reading.vip_layers.get(finding.subject)
    if finding.appliance != reading.name or finding.service is not None or layer is None:
        return finding
    put_back = finding.put_back.replace("Layer 7 or Layer 4", f"Layer {layer}")
    return replace(finding, service=SERVICE_OF_LAYER[layer], put_back=put_back)


def _shown_path(path: str, site_file: Path) -> str:
    """A site file's neighbour as the site's people name it (``pools.txt``), else as given."""
    try:
        return str(Path(path).resolve().relative_to(site_file.resolve().parent))
    except ValueError:
        return path


def _silent_sentence(item: Silent) -> str:
    return (
        f"{item.node.name} ({item.role} of pair {item.pair.name}) does not answer at "
        f"{item.node.endpoint} ({item.reason})"
    )


def _read_nodes(
    report: DriftReport,
    deployment: Deployment,
    plan: PairPlan,
    stack: str,
    nodes: list[Node],
    floating: set[str],
) -> None:
    from eas_lb.operations.appliances.clients import MissingCredentialsError, client_for

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
                    managed_floating_ips=floating,
                )
            finally:
                client.close()
        except (ApplianceError, MissingCredentialsError) as error:
            report.could_not_tell.append(f"{node.name}: {error}")
            continue
        report.appliances.append(reading)
        report.findings += reading.findings
        report.findings = [_with_service(finding, reading) for finding in report.findings]


def collect(deployment: Deployment, site_arg: Path, synth_dir: Path, terraform: str) -> DriftReport:
    """Refresh every appliance stack and read every appliance; nothing is written anywhere."""
    from eas_lb.synth.stacks.lb import lb_stack_name

    stacks = {lb_stack_name(deployment.site, plan): plan for plan in deployment.pairs}
    report = DriftReport(deployment.site.name, list(stacks))
    silent = silent_nodes(deployment, list(stacks))
    report.could_not_tell += [_silent_sentence(item) for item in silent]
    quiet = {item.node.name for item in silent}
    stale = _stale_synth(synth_dir, deployment.source)
    for stack, plan in sorted(stacks.items()):
        nodes = list(plan.pair.nodes)
        deploy = f"eas-lb deploy --site {site_arg} --stack {stack}"
        context = StackContext(stack, plan, deploy, _shown_path(plan.pools.source, deployment.source))
        floating: set[str] = set()
        down = [node.name for node in nodes if node.name in quiet]
        stack_dir = StackDir(stack, synth_dir / "stacks" / stack)
        if down:
            verb = "does" if len(down) == 1 else "do"
            report.could_not_tell.append(
                f"stack {stack} was not refreshed: Terraform reads both appliances of the pair, and "
                f"{', '.join(down)} {verb} not answer"
            )
        elif stale:
            report.could_not_tell.append(f"stack {stack} was not refreshed: {stale}")
        elif not (stack_dir.path / "cdk.tf.json").is_file():
            report.could_not_tell.append(
                f"stack {stack} was not refreshed: {stack_dir.path}/cdk.tf.json does not exist; "
                "run `cdktf synth`"
            )
        else:
            print(f"drift: refreshing stack {stack} (read-only) ...", file=sys.stderr)
            try:
                floating = _refresh_stack(report, context, stack_dir, terraform)
            except (PlanningError, plan_json.PlanFormatError) as error:
                report.could_not_tell.append(f"stack {stack} was not refreshed: {error}")
        _read_nodes(report, deployment, plan, stack, [n for n in nodes if n.name not in quiet], floating)
    return report


def run(args: argparse.Namespace) -> int:
    """Collect, print and write the report; the exit status says drift, none, or unknown."""
    try:
        deployment = load_deployment(args.site)
    except InputFileError as error:
        print(f"drift: could not tell: {error}", file=sys.stderr)
        return EXIT_UNKNOWN
    report = collect(deployment, args.site, args.synth_dir, args.terraform)
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
