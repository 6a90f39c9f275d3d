"""Verify's rows for EAS servers that are not online: one warning per real server and appliance.

A server left in `drain` or `halt` serves no new client: verify must never call that "every
check passed". Each such real server gets its own `server state` row, a warning (it does not fail
the run: maintenance is a legitimate state), that says whether the site file asks for it (its
`maintenance:` section) or someone set it outside Terraform (which plan review then shows, and a
deploy would put back online). A server the site file names (`eas_servers:`) is spoken of by its
name and addresses, so the rows of its management and service addresses read as one box.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from eas_lb.operations.appliances.live_servers import UnreadableServers, live_servers
from eas_lb.operations.verify.report import Outcome, Report

TEST = "server state"
_WORDS = {"drain": "draining", "halt": "halted"}


def report_server_states(
    appliance: str,
    config: dict[str, Any],
    status: dict[str, Any],
    report: Report,
    maintenance: Mapping[str, str],
    names: Mapping[str, str] | None = None,
) -> None:
    """A `server state` warning for every real server of `config` that is not online (states
    from the appliance's `status`, its `nodestatus`); `names`: address → `eas-3 (10.225.37.231,
    192.168.85.61)` for the servers the site file names."""
    try:
        servers = live_servers(appliance, config, status)
    except UnreadableServers as error:
        report.add(appliance, "-", TEST, Outcome.FAIL, str(error))
        return
    if servers and all(server.state is None for server in servers):
        report.add(appliance, "-", TEST, Outcome.SKIP, f"{appliance} does not report real-server states")
        return
    for server in servers:
        if server.state is None or server.in_service:
            continue
        wanted = maintenance.get(server.address)
        state = _WORDS.get(server.state, server.state)
        title = (names or {}).get(server.address)
        who = f"{title}: {server.address}" if title else server.address
        what = f"EAS {who} ({server.label}) is {state} on {appliance}"
        if wanted == server.state:
            detail = f"{what}: in maintenance in the site file"
        elif wanted is not None:
            detail = f"{what}; the site file asks for {wanted}: deploy to apply it"
        else:
            detail = (
                f"{what}, set outside the site file: plan review shows it, and a deploy puts it back "
                "online (list it under maintenance: to keep it)"
            )
        report.add(server.vip, server.address, TEST, Outcome.WARN, detail)
