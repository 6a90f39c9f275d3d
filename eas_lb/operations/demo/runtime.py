"""Start and stop the demo's processes: one simulator per appliance, one stand-in EAS server set."""

from __future__ import annotations

import json
import os
import secrets
import sys
from pathlib import Path

from eas_lb.operations.demo import kernel_nat, processes
from eas_lb.operations.demo.layout import GUIDE_GLOBALS, ApplianceProcess, DemoLayout, server_name
from lborg_simulator import nat_network
from lborg_simulator.eas_servers import LISTEN_FILE, LISTENING_FILE, format_address
from lborg_support.files import write_atomic
from lborg_support.waiting import wait_until

EAS_PROCESS = "eas-servers"
CREDENTIAL_NAMES = ("LBORG_USERNAME", "LBORG_PASSWORD", "LBORG_API_KEY")


def demo_credentials(layout: DemoLayout) -> dict[str, str]:
    """The demo appliances' credentials: from the environment, else made once and kept (mode 0600)."""
    if all(os.environ.get(name) for name in CREDENTIAL_NAMES):
        return {name: os.environ[name] for name in CREDENTIAL_NAMES}
    path = layout.credentials_file
    if not path.exists():
        layout.run_dir.mkdir(parents=True, exist_ok=True)
        values = {
            "LBORG_USERNAME": "loadbalancer",
            "LBORG_PASSWORD": secrets.token_urlsafe(18),
            "LBORG_API_KEY": secrets.token_urlsafe(24),
        }
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.writelines(f"{k}={v}\n" for k, v in values.items())
    pairs = (line.partition("=") for line in path.read_text().splitlines() if "=" in line)
    return {key: value for key, _, value in pairs}


def _appliance_argv(layout: DemoLayout, appliance: ApplianceProcess) -> list[str]:
    argv = [
        sys.executable,
        "-m",
        "lborg_simulator",
        "serve",
        "--listen",
        f"{appliance.host}:{appliance.port}",
    ]
    argv += ["--state-dir", str(layout.state_dir(appliance.name)), "--name", appliance.name]
    argv += ["--ca-dir", str(layout.ca_dir)]
    for key, value in GUIDE_GLOBALS.items():
        argv += ["--advanced", f"{key}={value}"]
    network = kernel_nat.load(layout)
    if network is not None and any(a.name == appliance.name for a in network.appliances):
        argv += ["--layer4-netns", network.appliance_netns(appliance.name)]
    return argv


def start_appliance(layout: DemoLayout, name: str, env: dict[str, str]) -> bool:
    """Start one simulated appliance unless it runs already. True when it was started."""
    appliance = next((a for a in layout.appliances if a.name == name), None)
    if appliance is None:
        known = ", ".join(a.name for a in layout.appliances)
        raise KeyError(f"no appliance '{name}' in this site (known: {known})")
    if processes.is_running(layout.run_dir, name):
        return False
    state = layout.state_dir(name)
    if state.is_symlink() and not state.exists():
        raise RuntimeError(
            f"the state of {name} was in the lab's SSH chroot, which is gone (the machine restarted): "
            f"start the lab again (eas-lb lab up), or remove {state} for an empty appliance"
        )
    processes.start_detached(
        name, _appliance_argv(layout, appliance), layout.run_dir, env, ready_line="lborg-simulator ready"
    )
    return True


def stop_appliance(layout: DemoLayout, name: str) -> bool:
    return processes.stop(layout.run_dir, name)


def up(layout: DemoLayout) -> list[str]:
    """Start what is not running yet; return one line per action, for the progress output."""
    env = {**os.environ, **demo_credentials(layout)}
    done: list[str] = []
    for appliance in layout.appliances:
        if start_appliance(layout, appliance.name, env):
            done.append(
                f"started simulated appliance {appliance.name} at https://{appliance.host}:{appliance.port}"
            )
        else:
            done.append(f"simulated appliance {appliance.name} already running")
    if processes.is_running(layout.run_dir, EAS_PROCESS):
        done.append(_serve_new_servers(layout))
        return done
    argv = [sys.executable, "-m", "lborg_simulator", "eas-servers", "--control-dir", str(layout.control_dir)]
    for ip, port in layout.servers:
        argv += ["--listen", f"{ip}:{port}", "--name", server_name(ip)]
    for ip, netns in _server_netns(layout).items():
        argv += ["--netns", f"{ip}={netns}"]
    processes.start_detached(EAS_PROCESS, argv, layout.run_dir, env, ready_line="eas-servers ready")
    _served_file(layout).write_text(json.dumps(layout.servers))
    done.append(f"started {len(layout.servers)} stand-in EAS server ports")
    return done


def _served_file(layout: DemoLayout) -> Path:
    return layout.run_dir / "servers.json"


def _server_netns(layout: DemoLayout) -> dict[str, str]:
    network = kernel_nat.load(layout)
    return dict(nat_network.server_netns_map(network)) if network is not None else {}


def _serve_new_servers(layout: DemoLayout, timeout: float = 10.0) -> str:
    """Servers that appeared in the pools since the stand-ins started: the running process starts
    them (`lborg_simulator.eas_servers`: listen.json), and nothing that runs is restarted."""
    try:
        served = {(str(ip), int(port)) for ip, port in json.loads(_served_file(layout).read_text())}
    except (OSError, ValueError, TypeError):
        served = set()
    new = [(ip, port) for ip, port in layout.servers if (ip, port) not in served]
    if not new:
        return "stand-in EAS servers already running"
    netns = _server_netns(layout)
    wanted = [[server_name(ip), ip, port, netns.get(ip)] for ip, port in sorted({*served, *layout.servers})]
    write_atomic(layout.control_dir / LISTEN_FILE, json.dumps(wanted).encode())
    listening = layout.control_dir / LISTENING_FILE
    addresses = {format_address(ip, port) for ip, port in new}

    def serving() -> bool:
        try:
            return addresses <= set(json.loads(listening.read_text()))
        except (OSError, ValueError):
            return False

    if wait_until(serving, timeout, interval=0.05) is None:
        raise TimeoutError(
            f"the running stand-in EAS servers did not start {', '.join(sorted(addresses))} within "
            f"{timeout:g} s (see {layout.run_dir / (EAS_PROCESS + '.log')})"
        )
    _served_file(layout).write_text(json.dumps(sorted({*served, *layout.servers})))
    return (
        f"started stand-ins for {', '.join(sorted(addresses))} (new in the pools); the stand-in EAS servers "
        "that ran go on, their connections too"
    )


def down(layout: DemoLayout) -> list[str]:
    stopped = [name for name in processes.tracked(layout.run_dir) if processes.stop(layout.run_dir, name)]
    said = [f"stopped {name}" for name in stopped] or ["nothing was running"]
    return said + kernel_nat.down(layout)


def set_server(
    layout: DemoLayout, ip: str, running: bool, timeout: float = 10.0, *, keep_connections: bool = False
) -> None:
    """Stop or start one stand-in EAS server (all its ports) and wait until it did.

    A stop closes the server's established connections too, as stopping or restarting the EAS does
    (an upgrade); `keep_connections` keeps them, to see what the load balancer alone does to them."""
    name = server_name(ip)
    if not any(s_ip == ip for s_ip, _ in layout.servers):
        raise KeyError(f"{ip} is not an EAS server of this site")
    marker = layout.control_dir / f"{name}.stopped"
    state = layout.control_dir / f"{name}.state"
    if running:
        marker.unlink(missing_ok=True)
    else:
        marker.write_text("keep" if keep_connections else "")
    want = "running" if running else "stopped"
    if wait_until(lambda: state.exists() and state.read_text() == want, timeout, interval=0.05) is not None:
        return
    raise TimeoutError(f"EAS server {ip} did not become {want} within {timeout:g} s")
