"""Pure mapping from a pools row to `lborg_*` resource attributes: the guide's values in one place.

| | Management pool (Layer 7 SNAT) | Service pool (Layer 4 NAT) |
| --- | --- | --- |
| label | `MGMT_<POOL>` | `SERV_<POOL>` |
| balance | weighted round robin (`roundrobin`) | weighted round robin (`wrr`) |
| persistence | 0: none; else source IP, sticky/60 minutes (rounded up) | 0: off; else sticky seconds |
| health check | connect, check port = pool port | connect, check port = pool port |
| timeouts | client 900000 ms, real server 901000 ms | — |
| real servers | `EAS_SSS-<address>`, port = pool port | `EAS_SSS-<address>`, port = pool port |
| limits | maxconn and stick table from `subscribers` (`layer7_capacity`) | — (IPVS has none per VIP) |
| real server limits | weight 100, minconns 0, maxconns 0 | weight 100, minconns 0, maxconns 0 |

The constructs feed these dictionaries to the generated bindings unchanged, so what a test sees
here is what lands in `cdk.tf.json`. The appliance's own defaults differ (Layer 7 timeouts 12h,
Layer 4 scheduler `wlc`, ...), which is why every guide value is set explicitly. Values the
guide leaves at the appliance's default (limits, the persistence time of a pool without
persistence) are set too, to that default: an attribute left unset takes whatever the appliance
reports, so a change made by hand would never show in a plan nor be repaired. The Layer 7 limits
follow the site's subscribers (`layer7_capacity`, with its reasons).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import NotRequired, TypedDict

from eas_lb.guide.sizing import GUIDE_CONCURRENT_CONNECTIONS, GUIDE_MAX_SUBSCRIBERS
from eas_lb.inputs.pools import IPAddress, Pool, Section


@dataclass(frozen=True)
class ManagementPoolOptions:
    """Overrides of the guide's Layer 7 values; the defaults are the guide's."""

    scheduler: str = "roundrobin"  # HAProxy's round robin honours weights: the WebUI's "Weighted Round Robin"
    check_type: str = "connect"
    timeout_client: str = "900000"
    timeout_server: str = "901000"
    real_server_weight: int = 100
    #: Seconds a real server that leaves the pool drains before its delete (`EAS_DRAIN_SECONDS`).
    drain_seconds: int | None = None
    #: EAS servers in maintenance by address: `drain` or `halt` (absent: `online`).
    server_states: Mapping[str, str] = field(default_factory=dict)
    #: Subscribers the VIP serves (the pair's share of the site's): sizes `maxconn` and the
    #: persistence table by `layer7_capacity`, unless they are given explicitly below.
    subscribers: int = GUIDE_MAX_SUBSCRIBERS
    maxconn: int | None = None
    persist_table_size: int | None = None
    #: The appliance's default, set so a change by hand is planned and repaired.
    persist_minutes_without_sticky: int = 30
    #: The VIP label when it is not the guide's `MGMT_<POOL>`: a VIP adopted from a pair configured
    #: by hand keeps its own label, because the API cannot rename a VIP (a new label replaces it).
    label: str | None = None
    #: Real server labels by server IP, where they are not `EAS_SSS-<address>`: adopted ones, and
    #: those of a site deployed when labels were by position (`EAS_SSS-<n>`), kept.
    server_labels: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ServicePoolOptions:
    """Overrides of the guide's Layer 4 NAT values; the defaults are the guide's."""

    scheduler: str = "wrr"
    forwarding: str = "masq"  # NAT
    check_type: str = "connect"
    real_server_weight: int = 100
    #: As for `ManagementPoolOptions`: drain time before a delete, servers in maintenance.
    drain_seconds: int | None = None
    server_states: Mapping[str, str] = field(default_factory=dict)
    #: The appliance's default, set so a change by hand is planned and repaired.
    persist_seconds_without_sticky: int = 300
    #: As for `ManagementPoolOptions`: an adopted VIP's own label instead of `SERV_<POOL>`.
    label: str | None = None
    server_labels: Mapping[str, str] = field(default_factory=dict)


class Layer7VipAttributes(TypedDict):
    label: str
    ip: str
    ports: str
    mode: str
    scheduler: str
    persistence: str
    persist_time: int
    persist_table_size: int
    maxconn: int
    check_type: str
    check_port: int
    timeout_client: str
    timeout_server: str


class Layer4VipAttributes(TypedDict):
    label: str
    ip: str
    ports: str
    protocol: str
    forwarding: str
    scheduler: str
    persistent: bool
    persist_time: int
    check_type: str
    check_port: int


class RealServerAttributes(TypedDict):
    vip: str
    label: str
    ip: str
    port: int
    weight: int
    minconns: int
    maxconns: int


#: Every label `real_server_label` makes starts so.
SERVER_LABEL_PREFIX = "EAS_SSS-"

#: The guide's global health-check settings, by their `list advanced` key. The WebUI sets them
#: (API v2 has no write action), so the code checks them: Layer 7 check interval 3000 ms; Layer 4
#: check interval 3 s, check timeout 3 s, failure count 2.
GLOBAL_CHECKS_L7: Mapping[str, int] = {"interval": 3000}
GLOBAL_CHECKS_L4: Mapping[str, int] = {"checkinterval": 3, "checktimeout": 3, "failurecount": 2}


def real_server_label(address: IPAddress | str) -> str:
    """A real server's label: `EAS_SSS-10.225.37.61`, the same on every VIP of that EAS server.

    Letters, digits, `.`, `:`, `_` and `-` only, at most 47 characters (an IPv6 address):
    within what the appliance takes for a label and HAProxy for a server name
    (`docs/appliance-api.md`).
    """
    return f"{SERVER_LABEL_PREFIX}{address}"


def server_order(label: str) -> tuple[tuple[str | int, ...], str]:
    """Sort key of real servers in a pool: by label, numbers compared as numbers.

    The commit's reload trigger digests a pool's real servers in this order, not the row's, so a
    row the EAS merely reorders digests the same (no reload). Position labels `EAS_SSS-1`,
    `EAS_SSS-2`, ... sort in the row order earlier versions digested, so a site that keeps them
    keeps its digest too; address labels sort by address, octet by octet.
    """
    parts = re.split(r"([0-9]+)", label)  # text, number, text, ...: always text at even places
    return tuple(int(part) if index % 2 else part for index, part in enumerate(parts)), label


def layer7_persist_minutes(sticky: int) -> tuple[int, str | None]:
    """Sticky seconds → Layer 7 persistence minutes (rounded up) and a warning when not exact."""
    minutes = -(-sticky // 60)
    if sticky % 60 == 0:
        return minutes, None
    return minutes, (
        f"sticky {sticky} s is not a whole number of minutes; Layer 7 persistence is set in minutes, "
        f"so it is rounded up to {minutes} min"
    )


#: The appliance's own Layer 7 defaults (lbcli help, `edit-vip`: `--persist_table_size (10240)`,
#: `--maxconn (40000)`), the floor of `layer7_capacity`.
APPLIANCE_MAXCONN = 40_000
APPLIANCE_PERSIST_TABLE_SIZE = 10_240


@dataclass(frozen=True)
class Layer7Capacity:
    """A Layer 7 VIP's limits: concurrent connections and source-IP persistence table entries."""

    maxconn: int
    persist_table_size: int


def connections_for(subscribers: int) -> int:
    """The guide's concurrent connections for `subscribers`: 380,000 per 250,000, rounded up."""
    return -(-subscribers * GUIDE_CONCURRENT_CONNECTIONS // GUIDE_MAX_SUBSCRIBERS)


def layer7_capacity(subscribers: int, *, sticky: bool) -> Layer7Capacity:
    """A Layer 7 VIP's `maxconn` and persistence table size for the subscribers it serves.

    The rule: both are the guide's concurrent connections for those subscribers (380,000 for
    250,000, in proportion), never below the appliance's defaults (40,000 and 10,240); a pool
    without persistence keeps the default table, which it does not use. Because:
    - the guide sizes one appliance in subscribers and whole-appliance connections only
      ("Sizing, Capacity, and Performance"); it gives no split per service, and how connections
      spread over the services depends on the subscribers' clients. A VIP limit below the
      appliance's figure would refuse connections the appliance is sized to carry, so every
      VIP may take them all; the appliance's own limits (memory, CPU) still hold the whole;
    - HAProxy's `maxconn` on a proxy stops accepting beyond the limit (new connections wait in
      the kernel's queue until one ends), so a limit too low queues clients of a healthy site;
    - a source-IP table holds one entry per client address seen within the persistence time.
      When it is full HAProxy purges the oldest entries to store new ones (configuration manual,
      `stick-table`, `nopurge`), and the client of a purged entry silently loses its server:
      CommPortal (2,100 s) sessions land on another EAS server. Every active client holds a
      connection, so a table with an entry for every connection the appliance is sized for never
      purges an active client at the sized load; idle clients' entries expire first, as they
      are the oldest. At about 50 bytes an entry (`stick-table`, `size`), 380,000 entries are
      about 19 MB per VIP, small beside the guide's 16 GB;
    - the appliance's defaults are the floor: a small site gains nothing from a smaller limit,
      and its subscriber count is an estimate.
    A pair's share of subscribers above the guide's 250,000 has no rule: `eas_lb.guide.capacity`
    refuses it unless the site gives the values (`capacity:`) or spreads over more pairs.
    """
    connections = connections_for(subscribers)
    return Layer7Capacity(
        maxconn=max(APPLIANCE_MAXCONN, connections),
        persist_table_size=max(APPLIANCE_PERSIST_TABLE_SIZE, connections)
        if sticky
        else APPLIANCE_PERSIST_TABLE_SIZE,
    )


def management_vip(pool: Pool, options: ManagementPoolOptions | None = None) -> Layer7VipAttributes:
    """The `lborg_layer7_vip` attributes for a `# MANAGEMENT` row."""
    if pool.section is not Section.MANAGEMENT or pool.pool_ip is None:
        raise ValueError(f"{pool.name}: a Layer 7 management VIP needs a '# MANAGEMENT' row with a pool IP")
    options = options or ManagementPoolOptions()
    capacity = layer7_capacity(options.subscribers, sticky=pool.sticky > 0)
    attributes: Layer7VipAttributes = {
        "label": options.label or pool.label,
        "ip": str(pool.pool_ip),
        "ports": str(pool.port),
        "mode": "tcp",
        "scheduler": options.scheduler,
        "persistence": "none" if pool.sticky == 0 else "ip",
        "persist_time": (
            layer7_persist_minutes(pool.sticky)[0] if pool.sticky else options.persist_minutes_without_sticky
        ),
        "persist_table_size": options.persist_table_size or capacity.persist_table_size,
        "maxconn": options.maxconn or capacity.maxconn,
        "check_type": options.check_type,
        "check_port": pool.port,
        "timeout_client": options.timeout_client,
        "timeout_server": options.timeout_server,
    }
    return attributes


def service_vip(
    pool: Pool, vip_ip: IPAddress, options: ServicePoolOptions | None = None
) -> Layer4VipAttributes:
    """The `lborg_layer4_vip` attributes for a `# SERVICE` row served on `vip_ip`."""
    if pool.section is not Section.SERVICE:
        raise ValueError(f"{pool.name}: a Layer 4 service VIP needs a '# SERVICE' row")
    options = options or ServicePoolOptions()
    attributes: Layer4VipAttributes = {
        "label": options.label or pool.label,
        "ip": str(vip_ip),
        "ports": str(pool.port),
        "protocol": "tcp",
        "forwarding": options.forwarding,
        "scheduler": options.scheduler,
        "persistent": pool.sticky > 0,
        "persist_time": pool.sticky if pool.sticky else options.persist_seconds_without_sticky,
        "check_type": options.check_type,
        "check_port": pool.port,
    }
    return attributes


#: How long a real server that leaves the configuration drains before it is deleted, for EAS
#: traffic, unless the site file says otherwise (`drain:` per site and per pool; 0 deletes at once).
#:
#: Draining stops new connections from clients without persistence and keeps the established
#: ones (Layer 4: IPVS weight 0; Layer 7: HAProxy `drain`); clients whose persistence entry still
#: points at the server keep reaching it. 300 s is chosen because:
#: - the requests EAS clients make through the VIPs (CommPortal pages, MVWEBPROV provisioning
#:   calls, IMAP commands) complete in seconds, so five minutes lets work in progress finish and
#:   lets clients that reconnect land on another server;
#: - it is paid once per apply, not per VIP (every VIP drains at once), and it holds that apply:
#:   an operator accepts five minutes on a deploy that removes a server, not half an hour;
#: - waiting out the persistence time would not move the clients it is meant for: an active
#:   client refreshes its persistence entry (HAProxy's stick table and IPVS persistence templates
#:   both restart their timer on use), so CommPortal's 2,100 s or MVWEBPROV's 86,400 s would hold
#:   every deploy for 35 minutes or a day and still leave active clients on the server until the
#:   delete. Only idle ones age out; a site that wants that sets the pool's time (e.g.
#:   `MGMT_HTTPS-443: 2100`), or puts the server in maintenance first, which has no time limit.
#: On Layer 4 the delete matters most: IPVS drops the packets of a deleted real server's
#: established connections (`expire_nodest_conn` 0), so the drain is their time to finish.
EAS_DRAIN_SECONDS = 300

#: The states a real server can be in: the provider's `state` values.
SERVER_STATES = ("online", "drain", "halt")


class RealServerState(TypedDict):
    drain_seconds: int
    state: NotRequired[str]


def real_server_state(
    server: str, options: ManagementPoolOptions | ServicePoolOptions | None = None
) -> RealServerState:
    """The `drain_seconds` of one EAS server's real server on a pool, and its `state` when the site
    puts it in maintenance (`drain` or `halt`).

    `state` is left out for a server in service: unset is the provider's `online`, and an adopted
    or imported real server, recorded unset, then plans no change. Both are kept apart from
    `real_servers`: they change no configuration the appliance reloads (a drain is a runtime
    action), so they stay out of the commit's reload digests.
    """
    options = options or ManagementPoolOptions()
    state = options.server_states.get(server, "online")
    if state not in SERVER_STATES:
        raise ValueError(f"server {server}: state {state!r} is not one of {', '.join(SERVER_STATES)}")
    drain = EAS_DRAIN_SECONDS if options.drain_seconds is None else options.drain_seconds
    result: RealServerState = {"drain_seconds": drain}
    if state != "online":
        result["state"] = state
    return result


def real_servers(
    pool: Pool,
    weight: int = 100,
    *,
    vip_label: str | None = None,
    labels: Mapping[str, str] | None = None,
) -> list[RealServerAttributes]:
    """One real server per server IP of the row, on the pool's port (Layer 7 and Layer 4 alike).

    `vip_label` and `labels` (server IP → label) keep the names of an adopted pool or of a site
    deployed with position labels. A server without one is `EAS_SSS-<address>`. A label two
    servers of the pool would share is refused: the appliance knows a real server by its label.
    """
    explicit = dict(labels or {})
    result: list[RealServerAttributes] = []
    owner: dict[str, str] = {}
    for server in pool.servers:
        label = explicit.get(str(server)) or real_server_label(server)
        if label in owner:
            raise ValueError(
                f"{pool.name}: servers {owner[label]} and {server} would both be real server {label!r}; "
                "a kept label (server_labels in the adoption record) names another server of the pool"
            )
        owner[label] = str(server)
        result.append(
            {
                "vip": vip_label or pool.label,
                "label": label,
                "ip": str(server),
                "port": pool.port,
                "weight": weight,
                "minconns": 0,
                "maxconns": 0,
            }
        )
    return result


def in_server_order(servers: Sequence[RealServerAttributes]) -> list[RealServerAttributes]:
    """The real servers of a pool sorted by `server_order` of their labels."""
    return sorted(servers, key=lambda attributes: server_order(attributes["label"]))


#: The deployment guide's rule for Layer 4 NAT (its "Layer 4 NAT Mode" section): replies must
#: return through the load balancer, so each EAS server's default gateway is an address on it,
#: for an HA pair the floating IP that moves with the active node (the site's `service_gateway`).
NAT_GATEWAY_RULE = (
    "the guide's rule for Layer 4 NAT: the default gateway of each EAS server must be an address on "
    "the load balancer, for an HA pair its floating IP on the service network (service_gateway), so "
    "that replies return through the pair"
)
