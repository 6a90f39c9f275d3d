"""`eas-lb servers`: each EAS server's state over its VIPs and appliances, from the live appliances.

Read-only: it reads every real server of every VIP on every appliance of the site (`list
dumpconfig` through the provider's client, as `verify` reads them) with its state and, where the
appliance reports them, its established connections, and prints one line per EAS server (a
server `eas_servers:` names is one line with all its addresses: `summary`); `--detail` prints the
rows per VIP and appliance. Servers the site file puts in maintenance carry their note.
`--wait-drained` then waits until every drain on the active appliance of each pair has run its
time (`eas_lb.operations.servers.drained` says exactly when that is) and ends with what that does
not prove: API v2 reports no established connections, so long-lived ones may still be open.

Exit status: 0 listed (or every drain has run its time); 1 `--wait-drained` gave up (a server in
maintenance not drained on the appliances, or `--timeout` passed), the site file or credentials
are unusable, or an appliance could not be read.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from dataclasses import asdict

from eas_lb.guide import maintenance
from eas_lb.guide.adoption import PairAdoption, load_record
from eas_lb.guide.mapping import EAS_DRAIN_SECONDS
from eas_lb.inputs.pools import InputFileError
from eas_lb.inputs.site import Deployment, load_deployment
from eas_lb.operations.appliances.clients import (
    MissingCredentialsError,
    PairClients,
    missing_ca_files,
    pair_clients,
)
from eas_lb.operations.appliances.live_servers import LiveServer, UnreadableServers, live_servers
from eas_lb.operations.appliances.targets import vip_targets
from eas_lb.operations.command_line import Options
from eas_lb.operations.servers.drained import DrainWatch, Progress
from eas_lb.operations.servers.summary import SUMMARY_HEADERS, summarize, summary_rows
from lborg_provider.client import ApplianceClient, ApplianceError
from lborg_support.countdown import Countdown, clock_time
from lborg_support.tables import render_table

EXIT_WAIT_FAILED = 1
EXIT_INPUT = 1
EXIT_APPLIANCE = 1
HEADERS = ("EAS SERVER", "VIP", "APPLIANCE", "STATE", "CONNECTIONS", "NOTE")


def _read(pairs: list[PairClients]) -> tuple[list[LiveServer], list[str], list[str]]:
    """Every appliance's real servers, the names of the active ones, and the errors met."""
    servers: list[LiveServer] = []
    active: list[str] = []
    errors: list[str] = []
    for pair in pairs:
        nodes: list[ApplianceClient] = [pair.primary] + ([pair.secondary] if pair.secondary else [])
        said_active = []
        for client in nodes:
            try:
                status = client.nodestatus()
                servers += live_servers(client.name, client.dumpconfig(), status)
            except (ApplianceError, UnreadableServers) as error:
                errors.append(str(error))
                continue
            if status.get("state") == "active":  # a hint only: the primary stands in below
                said_active.append(client.name)
        active += said_active or [pair.primary.name]
    return servers, active, errors


#: What `--wait-drained` knows when it ends, and what it cannot know: API v2 reports no
#: established connections, so the time alone decides (`drained`).
DRAINED = (
    "the drain time has run; API v2 does not report established connections: long-lived ones may "
    "still be open"
)
HOW_TO_SEE = (
    "to see them (IMAP IDLE, CommPortal keep-alive) before the upgrade: the appliance's HAProxy "
    "statistics page (Layer 7) and ipvsadm -Ln on the appliance (Layer 4); README, 'Upgrading an EAS server'"
)


def _notes(deployment: Deployment) -> dict[str, str]:
    """Address → `maintenance (drain): note`, for each address a named entry stands for."""
    return {
        address: f"maintenance ({entry.state})" + (f": {entry.note}" if entry.note else "")
        for address, entry in deployment.site.maintenance_by_address().items()
    }


def _name_of(deployment: Deployment, address: str) -> str | None:
    """The name `eas_servers:` gives the server with `address`, if any."""
    server = deployment.site.eas_server_of(address)
    return None if server is None else server.name


def _rows(deployment: Deployment, servers: list[LiveServer], notes: dict[str, str]) -> list[tuple[str, ...]]:
    return [
        (
            server.address + (f" ({name})" if (name := _name_of(deployment, server.address)) else ""),
            f"{server.vip} (Layer {server.layer})",
            server.appliance,
            server.state or "not reported",
            _connections(server),
            notes.get(server.address, ""),
        )
        for server in servers
    ]


def _connections(server: LiveServer) -> str:
    if server.connections is not None:
        return str(server.connections)
    if server.lab_connections is not None:
        return f"{server.lab_connections} (lab)"
    return "not reported"


def drain_time_of(deployment: Deployment) -> Callable[[str], int]:
    """A VIP label's drain time: its pool's from the site file, else the site's (adopted VIPs by
    the label they keep)."""
    record = load_record(deployment.source)
    adoptions = dict(record.pairs) if record is not None else {}
    by_label: dict[str, int] = {}
    for plan in deployment.pairs:
        adopted = adoptions.get(plan.pair.name) or PairAdoption()
        for pool in plan.pools.pools:
            by_label[adopted.vip_label(pool)] = maintenance.drain_seconds(deployment.site, pool)
    fallback = deployment.site.drain.seconds
    default = EAS_DRAIN_SECONDS if fallback is None else fallback
    return lambda label: by_label.get(label, default)


def _wait(
    deployment: Deployment, pairs: list[PairClients], timeout: float | None, interval: float
) -> tuple[Progress | None, list[str]]:
    watch = DrainWatch(drain_time_of(deployment), maintenance.server_states(deployment.site))
    longest = max([watch.drain_seconds(target.label) for target in vip_targets(deployment)] or [0])
    deadline = time.monotonic() + (timeout if timeout is not None else longest + 120)
    said = False
    with Countdown(sys.stderr) as countdown:
        while True:
            servers, active, errors = _read(pairs)
            if errors:
                return None, errors
            watched = [s for s in servers if s.appliance in active]
            progress = watch.observe(watched, time.monotonic())
            if progress.finished or progress.not_started or time.monotonic() >= deadline:
                return progress, []
            if not said:
                for line in _drain_notices(watched, watch, time.time()):
                    countdown.say(line)
                said = True
            countdown.set(f"waiting for {len(progress.waiting)} drain(s)", time.time() + progress.left)
            _sleep(countdown, max(0.0, min(interval, deadline - time.monotonic())))


def _sleep(countdown: Countdown, seconds: float) -> None:
    """Sleep, ticking the countdown (a line per minute in a log) at least once a second."""
    end = time.monotonic() + seconds
    while (left := end - time.monotonic()) > 0:
        time.sleep(min(1.0, left))
        countdown.tick()


def _drain_notices(servers: list[LiveServer], watch: DrainWatch, now: float) -> list[str]:
    """One line per EAS server draining on an active appliance: its VIPs, how long, until when.

    The appliance does not say when a drain began, so the time counts from this first read."""
    vips: dict[tuple[str, str, int], list[str]] = {}
    for server in servers:
        if server.state == "drain":
            key = (server.address, server.appliance, watch.drain_seconds(server.vip))
            vips.setdefault(key, []).append(server.vip)
    lines = []
    for (address, appliance, seconds), labels in sorted(vips.items()):
        count = f"{len(labels)} VIP" + ("" if len(labels) == 1 else "s")
        lines.append(
            f"EAS {address} drains on {count} ({', '.join(sorted(labels))}) on {appliance} for {seconds} s, "
            f"until {clock_time(now + seconds)} at the latest (counted from now: the appliance does not "
            "say when a drain began)"
        )
    return lines


def run(args: Options) -> int:
    try:
        deployment = load_deployment(args.site)
    except InputFileError as error:
        print(error, file=sys.stderr)
        return EXIT_INPUT
    for message in missing_ca_files(deployment):
        print(f"servers: {message}", file=sys.stderr)
        return EXIT_INPUT
    try:
        pairs = pair_clients(deployment)
    except MissingCredentialsError as error:
        print(f"servers: {error}", file=sys.stderr)
        return EXIT_INPUT
    try:
        return _run(args, deployment, pairs)
    finally:
        for pair in pairs:
            pair.primary.close()
            if pair.secondary:
                pair.secondary.close()


def _run(args: Options, deployment: Deployment, pairs: list[PairClients]) -> int:
    servers, active, errors = _read(pairs)
    for message in errors:
        print(f"servers: {message}", file=sys.stderr)
    if errors:
        return EXIT_APPLIANCE
    _print(args, deployment, servers, active)
    if not args.wait_drained:
        return 0
    progress, errors = _wait(deployment, pairs, args.timeout, args.interval)
    for message in errors:
        print(f"servers: {message}", file=sys.stderr)
    if progress is None:
        return EXIT_APPLIANCE
    for line in progress.not_started:
        print(f"servers: {line}", file=sys.stderr)
    if progress.not_started:
        return EXIT_WAIT_FAILED
    if not progress.finished:
        for line in progress.waiting:
            print(f"servers: still draining: {line}", file=sys.stderr)
        return EXIT_WAIT_FAILED
    print(f"drained: {DRAINED}")
    print(f"drained: {progress.done} real server(s) drained or halted; {HOW_TO_SEE}")
    for line in _lab_still_open(deployment, pairs):
        print(f"drained: {line}")
    return 0


def _lab_still_open(deployment: Deployment, pairs: list[PairClients]) -> list[str]:
    """In the lab, what the simulated appliances count still open to each server in maintenance:
    the connections an upgrade would cut, which API v2 cannot show."""
    servers, active, errors = _read(pairs)
    if errors:
        return []
    on_active = [server for server in servers if server.appliance in active]
    lines = []
    for item in summarize(on_active, deployment.site, _notes(deployment)):
        if item.note and item.lab_connections:
            lines.append(
                f"the lab counts {item.lab_connections} established connection(s) still open to EAS "
                f"{item.title} (the simulator's own count, not API v2)"
            )
    return lines


def _print(args: Options, deployment: Deployment, servers: list[LiveServer], active: list[str]) -> None:
    """One line per EAS server as the active appliance of each pair serves it, or with
    `--detail` one row per real server, VIP and appliance; `--json` gives both (`eas_servers` and
    `servers`)."""
    notes = _notes(deployment)
    on_active = [server for server in servers if server.appliance in active]
    summaries = summarize(on_active, deployment.site, notes)
    if args.json:
        listed = [
            asdict(server)
            | {"eas_server": _name_of(deployment, server.address), "note": notes.get(server.address)}
            for server in servers
        ]
        eas = [item.as_json() for item in summaries]
        print(json.dumps({"eas_servers": eas, "servers": listed}, indent=2))
    elif args.detail:
        print(render_table(HEADERS, _rows(deployment, servers, notes)), end="")
    else:
        print(render_table(SUMMARY_HEADERS, summary_rows(summaries)), end="")
