"""What a reload of each appliance service does to established sessions: the one place that says it.

Plan review prints these under every appliance's reloads, so a reviewer can tell whether a routine
pools change drops subscriber sessions. The words follow the public documentation of the
components the appliance runs (docs/appliance-api.md, "Reloads and established connections",
lists the sources and what the vendor does not say):
- Layer 7 is HAProxy. A reload starts a new process with the new configuration, which takes
  every new connection; the old process stops listening and keeps serving the connections it
  holds until they close (HAProxy's soft-stop; only `hard-stop-after` would bound it).
- Layer 4 is the kernel's IPVS table, driven by ldirectord. A reload makes ldirectord re-read its
  configuration and edit that table in place: the connections of real servers that stay are
  untouched. A real server it deletes loses its established connections: with the kernel's
  default `expire_nodest_conn` 0 their packets are dropped, which is why a leaving server is
  drained first.
- The two layers are separate processes: a reload of one does not touch the other's connections.
- heartbeat runs the HA pair and its floating IPs; the vendor does not document what its reload
  does to connections.
"""

from __future__ import annotations

from collections.abc import Iterable

EFFECTS: dict[str, str] = {
    "haproxy": (
        "haproxy (Layer 7): established sessions are kept; the old HAProxy process serves them "
        "until they close while a new one takes new connections (Layer 4 untouched)"
    ),
    "ldirectord": (
        "ldirectord (Layer 4): established sessions to servers that stay are kept; IPVS is edited "
        "in place; a deleted real server's connections are dropped (after its drain, when it has "
        "one; Layer 7 untouched)"
    ),
    "heartbeat": (
        "heartbeat (HA pair, floating IPs): the vendor does not document its effect on established sessions"
    ),
}


def effects(services: Iterable[str]) -> list[str]:
    """One sentence per reloaded service, in the order given; an unknown service says so."""
    return [
        EFFECTS.get(name, f"{name}: not known to plan review; its effect on sessions is not described")
        for name in services
    ]
