"""The site file's day-two sections: `eas_servers:` (an EAS server's name and every address it
has), `drain:` (how long a leaving server drains) and `maintenance:`.

In scenario 1 one EAS server has two addresses: its management address in the `# MANAGEMENT`
pools (Layer 7) and its service address in the `# SERVICE` pools (Layer 4). pools.txt does not
say which addresses are one box, so `eas_servers:` names each server once with all of them, and
`maintenance:` can then take the server out by name: every address, every VIP, every pair. An
entry by address keeps working and means that address only (one layer, in scenario 1).

`drain:` sets how long a real server that leaves the configuration is drained (no new
connections, established ones kept) before it is deleted, for the whole site and per pool (by
VIP label, so `MGMT_HTTP-80` and `SERV_HTTP-80` can differ). An upgrade is a site-file change that
goes through plan review and a deploy, and back the same way. The default drain time and the
reasons for it are the guide layer's (`eas_lb.guide.mapping`).
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Sequence
from typing import Annotated, Any, Literal

from pydantic import Field, IPvAnyAddress, field_validator

from eas_lb.inputs.strict import StrictModel
from lborg_provider.model.server_states import MAX_DRAIN_SECONDS

# The longest drain a site may ask for is the provider's limit (one day): a drain holds the apply
# that removes a server, so a longer one is a typing mistake.

DrainSeconds = Annotated[int, Field(ge=0, le=MAX_DRAIN_SECONDS)]
#: The VIP label of a pool: `MGMT_<POOL>` or `SERV_<POOL>` (an adopted VIP's own label).
PoolLabel = Annotated[str, Field(pattern=r"^[A-Za-z0-9_.-]+$", max_length=63)]
#: The states an EAS server can be put in; `online` is every server that is not listed.
MaintenanceState = Literal["drain", "halt"]
#: An EAS server's name: its host name as the operator knows it (`eas-3`), never an address.
_SERVER_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]{0,62}$")
_SERVER_NAME_RULE = "a name starts with a letter and holds letters, digits, '.', '_' or '-' (63 at most)"


class Drain(StrictModel):
    """Drain before removal: how long a real server that leaves the configuration keeps its
    established connections (and gets no new ones) before it is deleted."""

    seconds: DrainSeconds | None = Field(
        default=None,
        description="drain time of every pool, in seconds (0: delete at once); default: 300, "
        "chosen for EAS traffic (see 'Drain and maintenance')",
    )
    pools: dict[PoolLabel, DrainSeconds] = Field(
        default_factory=dict,
        description="drain time per pool, by VIP label (MGMT_HTTPS-443, SERV_IMAP-143), in seconds",
    )


class EasServer(StrictModel):
    """One EAS server (one box) with every address the pools give it: in scenario 1 its
    management address (`# MANAGEMENT`, Layer 7) and its service address (`# SERVICE`, Layer 4)."""

    name: str = Field(description="the server's name, e.g. eas-3 (" + _SERVER_NAME_RULE + ")")
    addresses: Annotated[tuple[IPvAnyAddress, ...], Field(min_length=1)] = Field(
        description="every address of the server as pools.txt names it, e.g. [10.225.37.231, 192.168.85.61]"
    )

    @field_validator("name")
    @classmethod
    def _a_name(cls, value: str) -> str:
        if not _SERVER_NAME.match(value):
            raise ValueError(f"{value!r} is not an EAS server name: {_SERVER_NAME_RULE}")
        return value

    @field_validator("addresses")
    @classmethod
    def _each_once(cls, value: tuple[Any, ...]) -> tuple[Any, ...]:
        doubled = sorted({str(address) for address in value if value.count(address) > 1})
        if doubled:
            raise ValueError(f"{', '.join(doubled)} is listed twice")
        return value

    @property
    def title(self) -> str:
        """`eas-3 (10.225.37.231, 192.168.85.61)`: how every command names the server."""
        return f"{self.name} ({', '.join(str(address) for address in self.addresses)})"


class MaintenanceEntry(StrictModel):
    """One EAS server out of service: drained or halted on every VIP that uses it."""

    server: str = Field(
        description="a name from eas_servers: (every address of that server), or one address as "
        "pools.txt names it (that address only)"
    )
    state: MaintenanceState = Field(
        default="drain",
        description="drain: no new connections, established (and persistent) ones kept; "
        "halt: taken out at once (Layer 4 drops its established connections)",
    )
    note: str | None = Field(default=None, description="why (shown by the servers command), optional")

    @field_validator("server", mode="before")
    @classmethod
    def _address_or_name(cls, value: Any) -> Any:
        """An address in its canonical form (so `10.225.37.231` and its IPv6 spellings compare), or
        a server name; `eas_servers:` is checked against the pools once both are read."""
        if not isinstance(value, str):
            return value
        text = value.strip()
        try:
            return str(ipaddress.ip_address(text))
        except ValueError:
            pass
        if _SERVER_NAME.match(text):
            return text
        raise ValueError(
            f"{value!r} is neither an address (10.225.37.231) nor an EAS server name from eas_servers: "
            f"(eas-3; {_SERVER_NAME_RULE})"
        )

    @property
    def by_address(self) -> bool:
        """True when the entry gives one address rather than a server's name."""
        return is_address(self.server)


# Alike lborg_provider/client/redact.py's _is_ipv6 in shape; the provider never imports eas_lb.
def is_address(text: str) -> bool:
    """Whether `text` is an IP address (else it is a server name)."""
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


class UnknownServerName(ValueError):
    """A `maintenance:` entry names a server that `eas_servers:` does not list."""


def maintenance_by_address(
    servers: Sequence[EasServer], entries: Sequence[MaintenanceEntry]
) -> dict[str, MaintenanceEntry]:
    """Every address in maintenance, as `str(ip_address)`, with the entry that puts it there: a
    server's name stands for each of its addresses, an address for itself. The first entry of an
    address wins (the site checks refuse a second one)."""
    named = {server.name: server for server in servers}
    found: dict[str, MaintenanceEntry] = {}
    for entry in entries:
        if entry.by_address:
            found.setdefault(entry.server, entry)
            continue
        server = named.get(entry.server)
        if server is None:
            raise UnknownServerName(f"maintenance: no EAS server is named {entry.server!r} in eas_servers:")
        for address in server.addresses:
            found.setdefault(str(address), entry)
    return found
