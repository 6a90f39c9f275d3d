"""`eas-lb servers`: each EAS server's state per VIP and appliance, from the live appliances.

Read-only: it lists every real server of every VIP on every appliance of the site (`list
dumpconfig` through the provider's client, as `verify` reads them) with its state and, where the
appliance reports them, its established connections; servers the site file puts in maintenance
carry their note. `--wait-drained` then waits until every drain on the active appliance of each
pair has run its time (`eas_lb.operations.servers.drained` says exactly when that is).

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


def _notes(deployment: Deployment) -> dict[str, str]:
    return {
        str(entry.server): f"maintenance ({entry.state})" + (f": {entry.note}" if entry.note else "")
        for entry in deployment.site.maintenance
    }


def _rows(servers: list[LiveServer], notes: dict[str, str]) -> list[tuple[str, ...]]:
    return [
        (
            server.address,
            f"{server.vip} (Layer {server.layer})",
            server.appliance,
            server.state or "not reported",
            "not reported" if server.connections is None else str(server.connections),
            notes.get(server.address, ""),
        )
        for server in servers
    ]


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
    servers, _active, errors = _read(pairs)
    for message in errors:
        print(f"servers: {message}", file=sys.stderr)
    if errors:
        return EXIT_APPLIANCE
    notes = _notes(deployment)
    if args.json:
        listed = [asdict(server) | {"note": notes.get(server.address)} for server in servers]
        print(json.dumps({"servers": listed}, indent=2))
    else:
        print(render_table(HEADERS, _rows(servers, notes)), end="")
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
    print(f"drained: every drain has run its time ({progress.done} real server(s) drained or halted)")
    return 0
