"""`eas-lb lab status`: what the lab (or the demo) runs for a site, and on which addresses.

Read-only: it reads the lab's pid files and the site, and starts or stops nothing. Two labs on
one machine (the demo on its range, a site of one's own on another) each answer for their own
run directory, so a person sees at once which addresses are taken and by what.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from eas_lb.inputs.site import Deployment
from eas_lb.operations.demo import kernel_nat, processes
from eas_lb.operations.demo.lab import SSHD_PROCESS, plan_ssh
from eas_lb.operations.demo.layout import NotADemoSiteError, demo_layout
from eas_lb.operations.demo.runtime import EAS_PROCESS


@dataclass(frozen=True)
class Part:
    """One kind of process of the lab: what it is, whether it runs, where it listens."""

    what: str
    running: bool
    addresses: tuple[str, ...]
    note: str = ""


@dataclass(frozen=True)
class LabStatus:
    site: str
    run_dir: str
    parts: tuple[Part, ...]

    @property
    def all_running(self) -> bool:
        """The appliances and the EAS stand-ins run (the SSH server is optional: `--no-ssh`)."""
        return all(part.running for part in self.parts if not part.what.startswith("SSH"))

    def as_json(self) -> dict[str, Any]:
        return {
            "site": self.site,
            "run_dir": self.run_dir,
            "all_running": self.all_running,
            "parts": [
                {"what": p.what, "running": p.running, "addresses": list(p.addresses), "note": p.note}
                for p in self.parts
            ],
        }


def lab_status(deployment: Deployment) -> LabStatus:
    """Every appliance, the stand-in EAS servers and the SSH server, as they are now."""
    layout = demo_layout(deployment)
    run_dir = layout.run_dir
    parts = [
        Part(
            f"appliance {appliance.name}",
            processes.is_running(run_dir, appliance.name),
            (f"https://{appliance.host}:{appliance.port}",),
        )
        for appliance in layout.appliances
    ]
    servers = sorted({ip for ip, _ in layout.servers})
    ports = sorted({port for _, port in layout.servers})
    parts.append(
        Part(
            f"stand-in EAS servers ({len(servers)})",
            processes.is_running(run_dir, EAS_PROCESS),
            tuple(servers),
            f"ports {', '.join(map(str, ports))}",
        )
    )
    parts.append(_ssh(deployment))
    network = kernel_nat.load(layout)
    if network is not None:
        parts.append(
            Part("kernel-NAT Layer 4", True, network.vips, f"client namespace {network.client_netns}")
        )
    return LabStatus(deployment.site.name, str(run_dir), tuple(parts))


def _ssh(deployment: Deployment) -> Part:
    layout = demo_layout(deployment)
    running = processes.is_running(layout.run_dir, SSHD_PROCESS)
    if deployment.site.backup is None and deployment.site.eas is None:
        return Part("SSH server", running, (), "the site has no eas: or backup: section")
    try:
        listen = plan_ssh(deployment, layout).server.listen
    except NotADemoSiteError as error:
        return Part("SSH server", running, (), str(error))
    note = "" if running else "not started (eas-lb lab up as root, without --no-ssh)"
    return Part("SSH server", running, tuple(f"{address}:{port}" for address, port in listen), note)


def render(status: LabStatus) -> str:
    """One line per part: running or not, what, where."""
    lines = [f"lab of site {status.site} ({status.run_dir}):"]
    for part in status.parts:
        state = "running" if part.running else "stopped"
        where = ", ".join(part.addresses) or "-"
        lines.append(f"  {state:8} {part.what}: {where}" + (f" ({part.note})" if part.note else ""))
    return "\n".join(lines)
