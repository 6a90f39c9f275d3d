"""A real server's state (`online`, `drain`, `halt`) as an appliance reports it, when it does, and
how long a real server that leaves the configuration drains (the provider's default and limit).

The vendor documents the actions that set the state (lbcli `drain`, `halt`, `online` with `vip` and
`rip`, listed as "Overview Actions") but no read of it: `list dumpconfig` is
`lb_config.xml` as JSON, and neither the lbcli help nor the JSON samples show a state element there
or any field of `nodestatus`. So the state is read from one place only, chosen by this project and
written down in `docs/appliance-api.md` (**assumed**): a `real_servers` list in the `nodestatus`
payload, one item per real server with its `layer`, `vip`, `rip` and `state`. The simulator
reports it there. An appliance whose `nodestatus` has no such list does not report states:
`reported_states` then says so (None), and the provider warns that it cannot see them instead of
guessing. A list that is there but unreadable is an error, never read as "all online".
"""

from __future__ import annotations

from typing import Any

from lborg_provider.model.choices import REAL_SERVER_STATE
from lborg_provider.model.normalize import as_list, text

#: How long a removed real server drains when its resource does not say (`drain_seconds` unset).
#: Thirty seconds lets requests in flight and short exchanges finish and clients without
#: persistence move to the other servers (the grace period Kubernetes gives a terminating pod by
#: default), and keeps an apply that removes a server short. Long-lived or sticky sessions need a
#: time chosen for the application: AWS target groups default to 300 s; `eas_lb` sets the EAS one.
DEFAULT_DRAIN_SECONDS = 30
#: The longest drain a resource may ask for: one day (a misread unit, minutes or milliseconds for
#: seconds, fails validation instead of holding an apply for weeks).
MAX_DRAIN_SECONDS = 86400
#: The `nodestatus` key of the list (**assumed**, see the module docstring).
REPORT_KEY = "real_servers"

#: (layer "7" or "4", VIP label, real-server label)
ServerKey = tuple[str, str, str]


class UnreadableStates(ValueError):
    """The `real_servers` list is there but not in the shape this project reads."""


def reported_states(status: dict[str, Any]) -> dict[ServerKey, str] | None:
    """Each reported real server's state, or None when the payload reports no states at all."""
    if REPORT_KEY not in status:
        return None
    states: dict[ServerKey, str] = {}
    for index, item in enumerate(as_list(status[REPORT_KEY])):
        if not isinstance(item, dict):
            raise UnreadableStates(f"{REPORT_KEY}[{index}] is not an object")
        layer, vip, rip, state = (text(item.get(key)) for key in ("layer", "vip", "rip", "state"))
        if layer not in ("7", "4") or not vip or not rip:
            raise UnreadableStates(f"{REPORT_KEY}[{index}] does not name a layer 7 or 4 VIP and real server")
        if state not in REAL_SERVER_STATE.values:
            raise UnreadableStates(
                f"{REPORT_KEY}[{index}] ({vip}/{rip}): state {state!r} is not one of "
                f"{REAL_SERVER_STATE.listing()}"
            )
        states[(layer, vip, rip)] = state
    return states


def state_to_record(had: str | None, reported: str | None) -> str | None:
    """The `state` a read records: what the appliance reports, `online` staying unset where the
    state had it unset (unset means online); when nothing is reported, what was there (`had`)."""
    if reported is None:
        return had
    if reported == "online" and had is None:
        return None
    return reported
