"""Command line: `serve` runs one simulated appliance, `eas-servers` runs stand-in EAS servers, `wait`
waits for them. Declared the project's one way (`lborg_support.command_line`: click, an example in
every `--help`, one table of exit codes).
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from types import FrameType
from typing import Any
from urllib.parse import urlsplit

import click

from lborg_simulator.appliance import SimulatedAppliance, apply_advanced
from lborg_simulator.config import new_config
from lborg_simulator.dataplane import HaproxyDataPlane
from lborg_simulator.faults import DEFAULT_KINDS, FAULT_KINDS, FaultInjector, FaultSettings, validate_kinds
from lborg_simulator.ha import HaController
from lborg_simulator.haproxy_process import HaproxyError
from lborg_simulator.haproxy_render import is_loopback
from lborg_simulator.layouts import DEFAULT_LAYOUT, LAYOUTS
from lborg_simulator.nat_dataplane import KernelNatDataPlane
from lborg_simulator.netns import NetnsError
from lborg_simulator.server import API_PATH, ApiServer, SimulatorAccount
from lborg_simulator.state import StateDir, StateDirBusy
from lborg_simulator.tls import issue_server_certificate
from lborg_support.command_line import EXIT_USAGE, Options, declare, group, run_program
from lborg_support.waiting import wait_until

PATH = click.Path(path_type=Path)
READY_PREFIX = "lborg-simulator ready"


def split_host_port(text: str) -> tuple[str, int]:
    """`127.0.0.1:9443` or `[::1]:9443`."""
    host, sep, port_text = text.rpartition(":")
    host = host.strip("[]")
    if not sep or not host or not port_text.isdigit() or not 0 <= int(port_text) <= 65535:
        raise ValueError(f"'{text}' is not IP:PORT (for example 127.0.0.1:9443)")
    return host, int(port_text)


def _key_value(text: str) -> tuple[str, str]:
    key, sep, value = text.partition("=")
    if not sep or not key:
        raise ValueError(f"'{text}' is not KEY=VALUE (for example l7.interval=3000)")
    return key.strip(), value.strip()


def _kinds(text: str) -> tuple[str, ...]:
    return validate_kinds(tuple(text.split(",")), "--fault-kinds")


def _parsed(parse: Callable[[str], Any]) -> Callable[[click.Context, click.Parameter, Any], Any]:
    """A click callback that turns each given text into a value with `parse` (a ValueError: a usage error)."""

    def callback(_context: click.Context, _parameter: click.Parameter, given: Any) -> Any:
        try:
            if isinstance(given, tuple):
                return [parse(text) for text in given]
            return None if given is None else parse(given)
        except ValueError as error:
            raise click.BadParameter(str(error)) from None

    return callback


_SERVE_OPTIONS = (
    click.option("--listen", default="127.0.0.1:9443", callback=_parsed(split_host_port), help="IP:PORT"),
    click.option("--state-dir", type=PATH, required=True, help="configuration, CA, HAProxy files"),
    click.option("--name", default="lb1", help="host name of a new appliance (default lb1)"),
    click.option("--peer", help="API URL of the HA peer (default https://PEER_IP:PORT/api/v2/)"),
    click.option("--peer-ca", type=PATH, help="CA of the peer's certificate"),
    # Options alike _EAS_OPTIONS' --control-dir/--netns in shape; serve's own flags.
    click.option("--ca-dir", type=PATH, help="CA shared by several simulators (default: the state dir)"),
    click.option(
        "--advanced",
        multiple=True,
        metavar="KEY=VALUE",
        callback=_parsed(_key_value),
        help="global setting, e.g. l7.interval=3000 or l4.checkinterval=3 (repeatable)",
    ),
    click.option("--heartbeat-interval", type=float, default=1.0, help="seconds between HA heartbeats"),
    click.option(
        "--fault-rate",
        type=click.FloatRange(0.0, 1.0),
        default=0.0,
        help="share of API requests that fail (0-1)",
    ),
    click.option(
        "--fault-kinds",
        default=",".join(DEFAULT_KINDS),
        callback=_parsed(_kinds),
        help=f"comma-separated, of {','.join(FAULT_KINDS)} (default {','.join(DEFAULT_KINDS)})",
    ),
    click.option("--fault-seed", type=int, help="seed, to replay a run's faults"),
    click.option("--latency-ms", type=int, default=0, help="delay added to every API request"),
    click.option(
        "--response-layout",
        type=click.Choice(LAYOUTS),
        default=DEFAULT_LAYOUT,
        help="where read results carry their payload (see lborg_simulator.layouts; default data)",
    ),
    click.option("--fault-timeout-s", type=float, default=30.0, help="how long a 'timeout' fault hangs"),
    click.option(
        "--layer4-netns",
        metavar="NETNS",
        help="serve Layer 4 VIPs as kernel NAT in this network namespace of a kernel-NAT lab "
        "(lborg_simulator.nat_network; root); default: a second HAProxy on loopback",
    ),
    click.option(
        "--no-state-report",
        is_flag=True,
        help="nodestatus lists no real-server states (an appliance that does not report them)",
    ),
)
_EAS_OPTIONS = (
    click.option(
        "--listen", multiple=True, metavar="IP:PORT", callback=_parsed(split_host_port), help="repeatable"
    ),
    click.option("--name", multiple=True, help="name per --listen (default eas-<n>)"),
    click.option("--site", type=PATH, hidden=True),  # moved: refused with the new command
    click.option("--pools", type=PATH, multiple=True, hidden=True),
    # Options alike _SERVE_OPTIONS' --ca-dir/--advanced in shape; the EAS stand-ins' own flags.
    click.option("--control-dir", type=PATH, help="see lborg_simulator.eas_servers"),
    click.option(
        "--netns",
        multiple=True,
        metavar="IP=NETNS",
        callback=_parsed(_key_value),
        help="listen on IP inside network namespace NETNS (a kernel-NAT lab's EAS server; root)",
    ),
)
_WAIT_OPTIONS = (
    click.argument(
        "addresses", nargs=-1, required=True, metavar="IP:PORT...", callback=_parsed(split_host_port)
    ),
    click.option("--timeout", type=float, default=60.0, help="seconds (default 60)"),
)


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("eas-lb")
    except PackageNotFoundError:
        return "0.1.0 (not installed: run from a checkout)"


def _credentials() -> SimulatorAccount | None:
    values = {
        name: os.environ.get(name, "") for name in ("LBORG_USERNAME", "LBORG_PASSWORD", "LBORG_API_KEY")
    }
    missing = [name for name, value in values.items() if not value]
    if missing:
        print(
            f"lborg-simulator: refusing to start: set {', '.join(missing)} "
            "(the API credentials this appliance accepts)",
            file=sys.stderr,
        )
        return None
    return SimulatorAccount(values["LBORG_USERNAME"], values["LBORG_PASSWORD"], values["LBORG_API_KEY"])


def _data_plane(state_dir: Path, layer4_netns: str | None) -> HaproxyDataPlane | KernelNatDataPlane | None:
    """HAProxy for both layers, or for Layer 7 with Layer 4 as kernel NAT in `layer4_netns`."""
    if not layer4_netns:
        return HaproxyDataPlane(state_dir)
    try:
        return KernelNatDataPlane(state_dir, layer4_netns)
    except NetnsError as error:
        print(f"lborg-simulator: --layer4-netns {layer4_netns}: {error}", file=sys.stderr)
        return None


def _refused_option(args: Options) -> str | None:
    """Why an option cannot be served (the simulator binds and connects on loopback only), or None."""
    host, _port = args.listen
    if not is_loopback(host):
        return f"--listen {host}: the simulator binds loopback addresses only"
    if args.peer is not None and not is_loopback(urlsplit(args.peer).hostname or ""):
        return f"--peer {args.peer}: the simulator connects to loopback only"
    for key, value in args.advanced:
        try:
            apply_advanced(new_config("check"), key, value)
        except ValueError as error:
            return str(error)
    return None


def _faults(args: Options, state: StateDir) -> FaultInjector:
    settings = FaultSettings(
        rate=args.fault_rate,
        kinds=args.fault_kinds,
        seed=args.fault_seed,
        latency_ms=args.latency_ms,
        timeout_s=args.fault_timeout_s,
    )
    return FaultInjector(settings, state.path / "faults.json")


def _ha(
    args: Options, appliance: SimulatedAppliance, credentials: SimulatorAccount, server: ApiServer, ca: Path
) -> HaController:
    """The HA controller, wired to the API server's peer calls."""
    ha = HaController(
        appliance,
        credentials,
        listen_port=server.server_address[1],
        peer_url=args.peer,
        peer_ca=(args.peer_ca or ca / "ca.pem").resolve(),
        interval=args.heartbeat_interval,
    )
    appliance.ha = ha
    server.peer_handler = ha.handle_peer
    server.peer_key_check = ha.check_pairing_key
    return ha


def serve(args: Options) -> int:
    credentials = _credentials()
    if credentials is None:
        return EXIT_USAGE
    refused = _refused_option(args)
    if refused is not None:
        print(f"lborg-simulator: {refused}", file=sys.stderr)
        return EXIT_USAGE
    state = StateDir(args.state_dir.resolve())
    try:
        state.acquire()
    except StateDirBusy as error:
        print(f"lborg-simulator: {error}", file=sys.stderr)
        return EXIT_USAGE
    host, port = args.listen
    ca_dir = (args.ca_dir or state.path).resolve()
    tls = issue_server_certificate(state.path, host, ca_dir)
    data_plane = _data_plane(state.path, args.layer4_netns)
    if data_plane is None:
        state.release()
        return EXIT_USAGE
    appliance = SimulatedAppliance(state, args.name, data_plane, dict(args.advanced))
    appliance.report_states = not args.no_state_report
    server = ApiServer((host, port), appliance, credentials, _faults(args, state), tls)
    server.response_layout = args.response_layout
    ha = _ha(args, appliance, credentials, server, ca_dir)
    try:
        appliance.refresh_data_plane()
    except HaproxyError as error:
        print(f"lborg-simulator: warning: running configuration not served: {error}", file=sys.stderr)
    endpoint = f"https://{'[' + host + ']' if ':' in host else host}:{server.server_address[1]}{API_PATH}"
    ready = f"{READY_PREFIX} name={args.name} endpoint={endpoint} ca={tls.ca_file}"
    try:
        _serve_until_stopped(server, ha, ready)
    finally:
        data_plane.stop()
        state.release()
    print("lborg-simulator stopped", flush=True)
    return 0


def _serve_until_stopped(server: ApiServer, ha: HaController, ready: str) -> None:
    """Serve the API and the heartbeat until SIGTERM or SIGINT, having said `ready`."""
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    thread = threading.Thread(target=server.serve_forever, args=(0.1,), name="api", daemon=True)
    thread.start()
    ha.start()
    print(ready, flush=True)
    try:
        stop.wait()
    finally:
        ha.stop()
        server.shutdown()
        server.server_close()


def wait_for(addresses: Sequence[tuple[str, int]], timeout: float) -> int:
    """0 once every address accepts a TCP connection; 1 (naming those that do not) after `timeout`."""
    import socket

    waiting = list(addresses)

    def all_accept() -> bool:
        while waiting:
            try:
                with socket.create_connection(waiting[0], timeout=1.0):
                    waiting.pop(0)
            except OSError:
                return False
        return True

    if wait_until(all_accept, timeout, interval=0.2) is None:
        shown = ", ".join(f"{h}:{p}" for h, p in waiting)
        print(
            f"lborg-simulator wait: nothing accepts connections at {shown} after {timeout:g} s",
            file=sys.stderr,
        )
        return 1
    return 0


def _eas_servers(args: Options) -> int:
    from lborg_simulator.eas_servers import run_cli

    if args.site is not None or args.pools:
        # The simulator is the appliance's stand-in and reads no site files; the application does.
        print(
            "eas-servers: --site and --pools moved to `eas-lb eas-servers --site SITE.yaml` "
            "(or --pools FILE); here give --listen IP:PORT (repeatable)",
            file=sys.stderr,
        )
        return EXIT_USAGE
    if not args.listen:
        print("eas-servers: give --listen IP:PORT (repeatable)", file=sys.stderr)
        return EXIT_USAGE
    return run_cli(args.listen, list(args.name), args.control_dir, netns=dict(args.netns))


def _program() -> click.Group:
    """`python -m lborg_simulator serve|eas-servers|wait`: what the lab and the tests start."""
    version = _version()
    serving = declare(
        "serve",
        serve,
        _SERVE_OPTIONS,
        summary="run one simulated Loadbalancer.org appliance (API v2 over HTTPS, real HAProxy) on a "
        "loopback address",
        details="Credentials come from LBORG_USERNAME, LBORG_PASSWORD and LBORG_API_KEY.",
        example="python -m lborg_simulator serve --listen 127.0.20.1:9443 --state-dir .demo/lb1",
        version=version,
    )
    eas = declare(
        "eas-servers",
        _eas_servers,
        _EAS_OPTIONS,
        summary="run stand-in EAS servers that answer with their name and address: one per --listen",
        details="For every server a site's pools need, use `eas-lb eas-servers --site SITE.yaml`.",
        example="python -m lborg_simulator eas-servers --listen 127.0.31.1:14143 --name eas-1",
        version=version,
    )
    wait = declare(
        "wait",
        lambda args: wait_for(args.addresses, args.timeout),
        _WAIT_OPTIONS,
        summary="wait until simulators started in the background accept connections",
        details="Wait until every IP:PORT accepts TCP connections (a simulator started with `&` answers "
        "its API; stand-in EAS servers listen), so the next command does not race them. Exit 1 after "
        "--timeout seconds.",
        example="python -m lborg_simulator wait 127.0.20.1:9443 127.0.20.2:9443",
        version=version,
    )
    return group(
        "python -m lborg_simulator",
        (serving, eas, wait),
        summary="a simulated appliance and stand-in EAS servers, on loopback",
        example="python -m lborg_simulator serve --help",
        version=version,
    )


def main(argv: Sequence[str] | None = None) -> int:
    """The exit code: 0 done, 1 failed, 3 a usage error or a refusal to start (docs/command-line.md)."""
    return run_program(_program(), argv, "python -m lborg_simulator")
