"""`eas-lb verify`: the testpools equivalent, run after every deploy.

Connects only to the VIPs and appliance APIs the site declares. Exit code 0 only when every
check passed (skipped checks, which could not be observed, do not fail a run); 1 when one failed
or the site file, its CA files or the credentials are unusable.
"""

from __future__ import annotations

import sys

from eas_lb.guide.capacity import site_capacity
from eas_lb.guide.maintenance import server_states
from eas_lb.inputs.pools import InputFileError
from eas_lb.inputs.site import Deployment, load_deployment
from eas_lb.operations.appliances.clients import (
    MissingCredentialsError,
    PairClients,
    missing_ca_files,
    pair_clients,
)
from eas_lb.operations.appliances.targets import TargetGuard, VipTarget, adopted_labels, vip_targets
from eas_lb.operations.command_line import Options
from eas_lb.operations.verify.client_side import connect_from
from eas_lb.operations.verify.config_check import check_appliance_config, check_globals
from eas_lb.operations.verify.data_path import check_data_path
from eas_lb.operations.verify.disruptive import failover_test, health_check_test
from eas_lb.operations.verify.drain_check import drain_check, pick_for_drain_check
from eas_lb.operations.verify.hooks import Hooks
from eas_lb.operations.verify.live import LiveOutput, column_widths
from eas_lb.operations.verify.report import Outcome, Report
from eas_lb.operations.verify.server_states import report_server_states
from eas_lb.operations.verify.traffic import check_balancing, check_reachable
from lborg_provider.client import ApplianceError
from lborg_provider.client.endpoint import normalize_endpoint
from lborg_provider.model.normalize import number

EXIT_FAILED = 1
EXIT_INPUT = 1


def _config_checks(deployment: Deployment, clients: list[PairClients], report: Report) -> dict[str, float]:
    """Config and globals per appliance; returns the seconds a stopped server may take to leave."""
    detect: dict[str, float] = {}
    adoptions = adopted_labels(deployment)
    capacities = site_capacity(deployment)  # checked when the site was loaded (`run`)
    for plan, pair in zip(deployment.pairs, clients, strict=True):
        nodes = [pair.primary] + ([pair.secondary] if pair.secondary else [])
        for client in nodes:
            report.status(f"reading the configuration of {client.name}")
            try:
                adoption = adoptions.get(plan.pair.name)
                config = client.dumpconfig()
                check_appliance_config(
                    plan, client.name, config, report, adoption, capacities[plan.pair.name]
                )
                status = client.nodestatus()
                report_server_states(
                    client.name, config, status, report, server_states(deployment.site), _titles(deployment)
                )
                l7, l4 = client.advanced()
            except ApplianceError as err:
                report.add(client.name, client.endpoint, "api", Outcome.FAIL, str(err))
                continue
            check_globals(
                client.name,
                l7,
                l4,
                report,
                layer4=bool(plan.pools.service),
                layer7=bool(plan.pools.management),
            )
            if client is pair.primary:
                l7_s = (number(l7.get("interval")) or 3000) / 1000 * (number(l7.get("fall")) or 3)
                l4_s = (number(l4.get("checkinterval")) or 3) * (number(l4.get("failurecount")) or 2) + (
                    number(l4.get("checktimeout")) or 3
                )
                detect[f"{plan.pair.name}/management"] = float(l7_s)
                detect[f"{plan.pair.name}/service"] = float(l4_s)
    return detect


def _titles(deployment: Deployment) -> dict[str, str]:
    """Address → `eas-3 (10.225.37.231, 192.168.85.61)` for every server the site file names."""
    return {str(a): server.title for server in deployment.site.eas_servers for a in server.addresses}


def _pick_for_health_check(vips: list[VipTarget]) -> list[VipTarget]:
    """One VIP per pair and section, non-sticky where there is one (its server can be seen return)."""
    chosen: dict[tuple[str, str], VipTarget] = {}
    for vip in vips:
        if not vip.servers:
            continue  # every server in maintenance: none to stop
        key = (vip.pair, vip.section)
        if key not in chosen or (chosen[key].sticky_seconds and not vip.sticky_seconds):
            chosen[key] = vip
    return list(chosen.values())


def _no_hooks(options: list[str]) -> str:
    return f"not run: verify cannot do this on its own; give {' and '.join(options)}"


def _gateway(deployment: Deployment, pair: str) -> str | None:
    plan = next(plan for plan in deployment.pairs if plan.pair.name == pair)
    return str(plan.pair.service_gateway) if plan.pair.service_gateway else None


def _data_paths(
    deployment: Deployment, vips: list[VipTarget], guard: TargetGuard, report: Report, when: str
) -> None:
    """The NAT data path of each service VIP, seen from the lab's client (`--client-netns`)."""
    for vip in vips:
        if vip.section == "service":
            report.status(f"data path of {vip.label}: client address and reply")
            check_data_path(vip, _gateway(deployment, vip.pair), guard, report, nat_client=True, when=when)


# Alike in shape to lb.py's _LoadBalancerStack.__init__ (a list of typed parameters); unrelated meaning.
def verify(
    deployment: Deployment,
    *,
    disruptive: bool,
    hooks: Hooks,
    report: Report | None = None,
    client_netns: str | None = None,
) -> Report:
    report = report if report is not None else Report(site=deployment.site.name)
    vips = vip_targets(deployment)
    guard = TargetGuard(vips)
    connect_from(client_netns, [vip.ip for vip in vips if vip.section == "service"])
    clients = pair_clients(deployment)
    detect = _config_checks(deployment, clients, report)
    for vip in vips:
        report.status(f"connecting to {vip.label} at {vip.address}")
        if check_reachable(vip, guard, report):
            check_balancing(vip, guard, report)
    if client_netns is not None:
        _data_paths(deployment, vips, guard, report, "")
    if disruptive:
        for plan, pair in zip(deployment.pairs, clients, strict=True):
            for vip in pick_for_drain_check([v for v in vips if v.pair == plan.pair.name]):
                report.status(f"drain check on {vip.label}: draining server {vip.servers[0]}")
                drain_check(vip, pair.primary, guard, report)
        server_hooks = hooks.missing("server_stop", "server_start")
        for vip in _pick_for_health_check(vips):
            if server_hooks:
                report.add(vip.label, vip.address, "health-check", Outcome.SKIP, _no_hooks(server_hooks))
                continue
            report.status(f"health-check on {vip.label}: stopping server {vip.servers[0]}")
            health_check_test(vip, detect.get(f"{vip.pair}/{vip.section}", 10.0), hooks, guard, report)
        appliance_hooks = hooks.missing("appliance_stop", "appliance_start")
        for plan, pair in zip(deployment.pairs, clients, strict=True):
            if appliance_hooks and pair.secondary is not None:
                report.add(pair.pair, "-", "fail-over", Outcome.SKIP, _no_hooks(appliance_hooks))
                continue
            report.status(f"fail-over of {pair.pair}: stopping {pair.primary.name}")
            gateway = str(plan.pair.service_gateway) if plan.pair.service_gateway else None
            pair_vips = [v for v in vips if v.pair == plan.pair.name]
            failed_over = None
            if client_netns is not None:
                # The gateway moved with the VIPs only if the EAS servers' replies still come back.
                def failed_over(pair_vips: list[VipTarget] = pair_vips) -> None:
                    _data_paths(deployment, pair_vips, guard, report, "after the fail-over: ")

            failover_test(pair, pair_vips, gateway, hooks, guard, report, while_failed_over=failed_over)
    for pair in clients:
        pair.primary.close()
        if pair.secondary:
            pair.secondary.close()
    return report


def run(args: Options) -> int:
    try:
        deployment = load_deployment(args.site)
        site_capacity(deployment)
    except InputFileError as err:
        print(err, file=sys.stderr)
        return EXIT_INPUT
    missing_ca = missing_ca_files(deployment)
    if missing_ca:
        for message in missing_ca:
            print(f"verify: {message}", file=sys.stderr)
        return EXIT_INPUT
    hooks = Hooks(
        args.server_stop_cmd, args.server_start_cmd, args.appliance_stop_cmd, args.appliance_start_cmd
    )
    report = Report(site=deployment.site.name)
    live = None
    if not args.json:
        endpoints = {
            node.name: normalize_endpoint(node.endpoint)
            for plan in deployment.pairs
            for node in plan.pair.nodes
        }
        live = LiveOutput(sys.stdout, sys.stderr, column_widths(vip_targets(deployment), endpoints))
        report.on_row, report.on_status = live.row, live.status
    try:
        verify(
            deployment, disruptive=args.disruptive, hooks=hooks, report=report, client_netns=args.client_netns
        )
    except MissingCredentialsError as err:
        if live is not None:
            live.finish()
        print(f"verify: {err}", file=sys.stderr)
        return EXIT_INPUT
    if live is not None:
        live.finish()
        print(report.verdict())
    else:
        print(report.to_json())
    return 0 if report.passed else EXIT_FAILED
