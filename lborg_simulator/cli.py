"""Command line: `serve` runs one simulated appliance, `eas-servers` runs stand-in EAS servers."""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from types import FrameType
from urllib.parse import urlsplit

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
from lborg_support.waiting import wait_until

EXIT_USAGE = 2
READY_PREFIX = "lborg-simulator ready"


def split_host_port(text: str) -> tuple[str, int]:
    """`127.0.0.1:9443` or `[::1]:9443`."""
    host, sep, port_text = text.rpartition(":")
    host = host.strip("[]")
    if not sep or not host or not port_text.isdigit() or not 0 <= int(port_text) <= 65535:
        raise argparse.ArgumentTypeError(f"'{text}' is not IP:PORT (for example 127.0.0.1:9443)")
    return host, int(port_text)


def _key_value(text: str) -> tuple[str, str]:
    key, sep, value = text.partition("=")
    if not sep or not key:
        raise argparse.ArgumentTypeError(f"'{text}' is not KEY=VALUE (for example l7.interval=3000)")
    return key.strip(), value.strip()


def _rate(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number between 0 and 1") from None
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number between 0 and 1")
    return value


def _kinds(text: str) -> tuple[str, ...]:
    try:
        return validate_kinds(tuple(text.split(",")), "--fault-kinds")
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m lborg_simulator", description=__doc__)
    version = f"%(prog)s {_version()}"
    parser.add_argument("--version", action="version", version=version)
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser(
        "serve",
        help="run one simulated appliance",
        description="Run one simulated Loadbalancer.org appliance (API v2 over HTTPS, real HAProxy) on a "
        "loopback address. Credentials come from LBORG_USERNAME, LBORG_PASSWORD and LBORG_API_KEY.",
    )
    serve.add_argument("--version", action="version", version=version)
    serve.add_argument("--listen", type=split_host_port, default=("127.0.0.1", 9443), help="IP:PORT")
    serve.add_argument("--state-dir", type=Path, required=True, help="configuration, CA, HAProxy files")
    serve.add_argument("--name", default="lb1", help="host name of a new appliance (default lb1)")
    serve.add_argument(
        "--peer", default=None, help="API URL of the HA peer (default https://PEER_IP:PORT/api/v2/)"
    )
    serve.add_argument("--peer-ca", type=Path, default=None, help="CA of the peer's certificate")
    serve.add_argument(
        "--ca-dir",
        type=Path,
        default=None,
        help="CA shared by several simulators (default: the state dir)",
    )
    serve.add_argument(
        "--advanced",
        type=_key_value,
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="global setting, e.g. l7.interval=3000 or l4.checkinterval=3 (repeatable)",
    )
    serve.add_argument("--heartbeat-interval", type=float, default=1.0, help="seconds between HA heartbeats")
    serve.add_argument("--fault-rate", type=_rate, default=0.0, help="share of API requests that fail (0-1)")
    serve.add_argument(
        "--fault-kinds",
        type=_kinds,
        default=DEFAULT_KINDS,
        help=f"comma-separated, of {','.join(FAULT_KINDS)} (default {','.join(DEFAULT_KINDS)})",
    )
    serve.add_argument("--fault-seed", type=int, default=None, help="seed, to replay a run's faults")
    serve.add_argument("--latency-ms", type=int, default=0, help="delay added to every API request")
    serve.add_argument(
        "--response-layout",
        choices=LAYOUTS,
        default=DEFAULT_LAYOUT,
        help="where read results carry their payload (see lborg_simulator.layouts; default data)",
    )
    serve.add_argument("--fault-timeout-s", type=float, default=30.0, help="how long a 'timeout' fault hangs")
    serve.add_argument(
        "--layer4-netns",
        default=None,
        metavar="NETNS",
        help="serve Layer 4 VIPs as kernel NAT in this network namespace of a kernel-NAT lab "
        "(lborg_simulator.nat_network; root); default: a second HAProxy on loopback",
    )
    serve.add_argument(
        "--no-state-report",
        action="store_true",
        help="nodestatus lists no real-server states (an appliance that does not report them)",
    )

    eas = commands.add_parser(
        "eas-servers",
        help="run stand-in EAS servers (TCP/HTTP identity servers)",
        description="Run stand-in EAS servers that answer with their name and address: one per --listen. "
        "For every server a site's pools need, use `eas-lb eas-servers --site SITE.yaml`.",
    )
    eas.add_argument("--version", action="version", version=version)
    wait = commands.add_parser(
        "wait",
        help="wait until simulators started in the background accept connections",
        description="Wait until every IP:PORT accepts TCP connections (a simulator started with `&` "
        "answers its API; stand-in EAS servers listen), so the next command does not race them. "
        "Exit 1 after --timeout seconds.",
    )
    wait.add_argument("--version", action="version", version=version)
    wait.add_argument("addresses", type=split_host_port, nargs="+", metavar="IP:PORT")
    wait.add_argument("--timeout", type=float, default=60.0, help="seconds (default 60)")
    eas.add_argument("--listen", type=split_host_port, action="append", default=[], metavar="IP:PORT")
    eas.add_argument("--name", action="append", default=[], help="name per --listen (default eas-<n>)")
    eas.add_argument("--site", type=Path, help=argparse.SUPPRESS)  # moved: refused with the new command
    eas.add_argument("--pools", type=Path, action="append", default=[], help=argparse.SUPPRESS)
    eas.add_argument("--control-dir", type=Path, default=None, help="see lborg_simulator.eas_servers")
    eas.add_argument(
        "--netns",
        type=_key_value,
        action="append",
        default=[],
        metavar="IP=NETNS",
        help="listen on IP inside network namespace NETNS (a kernel-NAT lab's EAS server; root)",
    )
    return parser


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


def serve(args: argparse.Namespace) -> int:
    credentials = _credentials()
    if credentials is None:
        return EXIT_USAGE
    host, port = args.listen
    if not is_loopback(host):
        print(
            f"lborg-simulator: --listen {host}: the simulator binds loopback addresses only", file=sys.stderr
        )
        return EXIT_USAGE
    if args.peer is not None and not is_loopback(urlsplit(args.peer).hostname or ""):
        print(
            f"lborg-simulator: --peer {args.peer}: the simulator connects to loopback only", file=sys.stderr
        )
        return EXIT_USAGE
    for key, value in args.advanced:
        try:
            apply_advanced(new_config("check"), key, value)
        except ValueError as error:
            print(f"lborg-simulator: {error}", file=sys.stderr)
            return EXIT_USAGE
    state = StateDir(args.state_dir.resolve())
    try:
        state.acquire()
    except StateDirBusy as error:
        print(f"lborg-simulator: {error}", file=sys.stderr)
        return EXIT_USAGE
    ca_dir = (args.ca_dir or state.path).resolve()
    tls = issue_server_certificate(state.path, host, ca_dir)
    data_plane = _data_plane(state.path, args.layer4_netns)
    if data_plane is None:
        state.release()
        return EXIT_USAGE
    appliance = SimulatedAppliance(state, args.name, data_plane, dict(args.advanced))
    appliance.report_states = not args.no_state_report
    faults = FaultInjector(
        FaultSettings(
            rate=args.fault_rate,
            kinds=args.fault_kinds,
            seed=args.fault_seed,
            latency_ms=args.latency_ms,
            timeout_s=args.fault_timeout_s,
        ),
        state.path / "faults.json",
    )
    server = ApiServer((host, port), appliance, credentials, faults, tls)
    server.response_layout = args.response_layout
    bound_port = server.server_address[1]
    endpoint = f"https://{'[' + host + ']' if ':' in host else host}:{bound_port}{API_PATH}"
    ha = HaController(
        appliance,
        credentials,
        listen_port=bound_port,
        peer_url=args.peer,
        peer_ca=(args.peer_ca or ca_dir / "ca.pem").resolve(),
        interval=args.heartbeat_interval,
    )
    appliance.ha = ha
    server.peer_handler = ha.handle_peer
    server.peer_key_check = ha.check_pairing_key
    try:
        appliance.refresh_data_plane()
    except HaproxyError as error:
        print(f"lborg-simulator: warning: running configuration not served: {error}", file=sys.stderr)

    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    thread = threading.Thread(target=server.serve_forever, args=(0.1,), name="api", daemon=True)
    thread.start()
    ha.start()
    print(f"{READY_PREFIX} name={args.name} endpoint={endpoint} ca={tls.ca_file}", flush=True)
    try:
        stop.wait()
    finally:
        ha.stop()
        server.shutdown()
        server.server_close()
        data_plane.stop()
        state.release()
    print("lborg-simulator stopped", flush=True)
    return 0


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


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "serve":
        return serve(args)
    if args.command == "wait":
        return wait_for(args.addresses, args.timeout)
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
    return run_cli(args.listen, args.name, args.control_dir, netns=dict(args.netns))
