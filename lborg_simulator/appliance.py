"""One simulated appliance: its configuration, the lbcli actions, reloads and counters.

Batches are serialized by one lock (the appliance runs lbcli one call at a time). As the
appliance's own front-end does (one lbcli run per action), every action of a batch runs, whatever
the earlier ones answered. Every action either changes the pending configuration completely or
not at all; the file is written once per batch that changed it. Reloads copy one section from
pending to running and then ask the data plane to serve the new running configuration.
"""

from __future__ import annotations

import copy
import threading
import xml.etree.ElementTree as ET
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from typing import Any, Protocol

from lborg_simulator import config as cfg
from lborg_simulator import node_actions, stored_actions, vip_actions
from lborg_simulator import validation as v
from lborg_simulator.config import get_text, section, set_text
from lborg_simulator.haproxy_process import HaproxyError
from lborg_simulator.state import OPSTATE_NAME, STATS_NAME, StateDir
from lborg_simulator.validation import ActionError, Fields, failed

Result = dict[str, Any]
# Name tuples alike vip_fields.py's L4_CHECK_TYPES/SERVICES in shape; other lists of names.
#: Services the help lists under reload-* and restart-*.
RELOADABLE = ("apache", "ldirectord", "haproxy", "waf", "syslog", "stunnel", "heartbeat", "gslb")
RESTARTABLE = (
    "ldirectord",
    "haproxy",
    "heartbeat",
    "pound",
    "stunnel",
    "collectd",
    "firewall",
    "syslog",
    "snmp",
    "waf",
    "autoscaling",
    "azha",
)
#: Actions that make a service serve its pending section (and so replicate to an HA peer).
RELOAD_SERVICES = {
    f"{verb}-{service}": service for verb in ("reload", "restart") for service in cfg.SERVICE_SECTIONS
}
READ_ACTIONS = ("list", "nodestatus")
#: The `nodestatus` key of the lab's connection counts: a simulator extension, not API v2, which
#: reports no connections (docs/appliance-api.md, "Lab extensions").
LAB_CONNECTIONS = "lab_connections"
#: Actions that never change the pending configuration (reloads change the running one).
KEEPS_CONFIG = frozenset({*READ_ACTIONS, *RELOAD_SERVICES, "drain", "halt", "online", "haproxy-clear-stick"})
#: Sections an HA primary replicates to its peer (everything but per-node `physical`).
REPLICATED_SECTIONS = ("haproxy", "ldirectord", "heartbeat")


class DataPlane(Protocol):
    """What serves the running configuration (HAProxy in the simulator)."""

    def serve(
        self,
        running: ET.Element,
        opstate: dict[str, dict[str, str]],
        active: bool,
        services: Collection[str] = ...,
        restart: bool = False,
    ) -> None:
        """Serve `running` with the processes of `services` (default: every one); `restart`
        stops them first, as a service restart does."""

    def set_server_state(self, vip: str, rip: str, state: str, weight: str) -> None: ...

    def clear_stick(self, vip: str | None) -> None: ...

    def status(self) -> list[dict[str, object]]: ...

    def connections(self) -> list[dict[str, object]]: ...

    def stop(self) -> None: ...


class HaHooks(Protocol):
    """How the appliance tells its HA controller about changes (see `ha.py`)."""

    def replicate(self, reloads: list[str]) -> str | None: ...

    def pair(self, local_ip: str, peer_ip: str, peer_password: str) -> str: ...

    def status(self) -> dict[str, object]: ...


# Counters alike the provider's batching.BatchStats in shape; the simulator never imports the provider.
@dataclass
class Counters:
    api_requests: int = 0
    peer_requests: int = 0
    #: Actions other than reads (`list`, `nodestatus`) received through the API, run or not.
    write_actions: int = 0
    #: Time spent answering API batches, to tell the appliance's share of a client's time.
    busy_seconds: float = 0.0
    reloads: dict[str, int] = field(default_factory=lambda: {"haproxy": 0, "ldirectord": 0, "heartbeat": 0})

    def as_json(self) -> dict[str, object]:
        return {
            "api_requests": self.api_requests,
            "peer_requests": self.peer_requests,
            "write_actions": self.write_actions,
            "busy_seconds": round(self.busy_seconds, 3),
            "reloads": dict(self.reloads),
        }


def _only_real(virtual: ET.Element, rip: str) -> ET.Element:
    """A copy of `virtual` with only the real server labelled `rip` (`list virtual --rip`)."""
    trimmed = copy.deepcopy(virtual)
    for real in trimmed.findall("real"):
        if get_text(real, "label") != rip:
            trimmed.remove(real)
    return trimmed


class SimulatedAppliance:
    """One simulated appliance node: its stored configuration, the lbcli actions that change it,
    and the data plane (a real HAProxy) its reloads drive. Named apart from the provider's
    connection to an appliance and the application's appliance construct."""

    def __init__(
        self,
        state: StateDir,
        name: str,
        data_plane: DataPlane,
        advanced: dict[str, str] | None = None,
    ) -> None:
        self.state = state
        self.name = name
        self.data_plane = data_plane
        self.lock = threading.RLock()
        self.counters = Counters()
        self.ha: HaHooks | None = None
        self.active = True
        loaded = state.load_config()
        self.pending = loaded if loaded is not None else cfg.new_config(name)
        running = state.load_running()
        self.running = running if running is not None else copy.deepcopy(self.pending)
        self.opstate: dict[str, dict[str, str]] = state.load_json(OPSTATE_NAME) or {}
        #: Whether `nodestatus` lists real servers' states (`--no-state-report`: an appliance that
        #: does not, which the vendor's silence allows).
        self.report_states = True
        for key, value in (advanced or {}).items():
            apply_advanced(self.pending, key, value)
            apply_advanced(self.running, key, value)
        state.save_config(self.pending)
        state.save_running(self.running)
        self._write_stats()

    # ---- batches -------------------------------------------------------------------------
    def run_batch(self, actions: list[Any]) -> list[Result]:
        with self.lock:
            unreadable = self._pick_up_replaced_file()
            if unreadable is not None:
                return [{"action": _name(raw), "status": "failed", "message": unreadable} for raw in actions]
            results: list[Result] = []
            reloads: list[str] = []
            for raw in actions:
                result = self._run_one(raw)
                results.append(result)
                if result["status"] == "success" and result["action"] in RELOAD_SERVICES:
                    reloads.append(RELOAD_SERVICES[result["action"]])
            # Only a successful action can change the configuration (each is all or nothing), so a
            # batch of reads or failures costs no serialization of the whole configuration.
            changed = any(r["status"] == "success" and r["action"] not in KEEPS_CONFIG for r in results)
            if changed:
                self.state.save_config(self.pending)
            if self.ha is not None and (reloads or changed):
                warning = self.ha.replicate(reloads)
                if warning and results:
                    last = results[-1]
                    last["message"] = f"{last.get('message', '')} (HA peer: {warning})".strip()
            self._write_stats()
            return results

    def _run_one(self, raw: Any) -> Result:
        if not isinstance(raw, dict):
            return {"action": "", "status": "failed", "message": "each lbcli item must be a JSON object"}
        name = raw.get("action")
        if not isinstance(name, str) or not name:
            return {"action": "", "status": "failed", "message": "field 'action' is required"}
        if name not in READ_ACTIONS:
            self.counters.write_actions += 1
        handler = self._handlers().get(name)
        if handler is None:
            return {"action": name, "status": "failed", "message": f"field 'action': unknown action '{name}'"}
        try:
            fields = v.normalize_fields(raw)
            # The help: any call may carry `--method api` (answer in JSON); the API always does.
            v.choice(fields.pop("method", "api"), "method", ("api",))
            message, data = handler(fields)
        except ActionError as error:
            return {"action": name, "status": error.status, "message": error.message}
        result: Result = {"action": name, "status": "success", "message": message}
        if data is not None:
            result["data"] = data
        return result

    def _handlers(self) -> dict[str, Callable[[Fields], tuple[str, Any]]]:
        def on_pending(function: Callable[[ET.Element, Fields], str]) -> Callable[[Fields], tuple[str, Any]]:
            return lambda fields: (function(self.pending, fields), None)

        def on_node(
            function: Callable[[ET.Element, Fields], tuple[str, Any]],
        ) -> Callable[[Fields], tuple[str, Any]]:
            return lambda fields: function(self.pending, fields)

        return {
            "add-vip": on_pending(vip_actions.add_vip),
            "edit-vip": on_pending(vip_actions.edit_vip),
            "delete-vip": self._delete_vip,
            "add-rip": on_pending(vip_actions.add_rip),
            "edit-rip": on_pending(vip_actions.edit_rip),
            "delete-rip": self._delete_rip,
            "drain": lambda f: self._server_state(f, "drain"),
            "halt": lambda f: self._server_state(f, "halt"),
            "online": lambda f: self._server_state(f, "online"),
            "clone-vip": on_pending(vip_actions.clone_vip),
            "add-floating-ip": self._add_floating_ip,
            "delete-floating-ip": self._delete_floating_ip,
            "fix-floating-ip": self._fix_floating_ip,
            "list": self._list,
            "haproxy-clear-stick": self._clear_stick,
            "ha_create": self._ha_create,
            "nodestatus": self._nodestatus,
            "hostname": on_node(node_actions.hostname),
            "address": on_node(node_actions.address),
            "route": on_node(node_actions.route),
            "dns": on_node(node_actions.dns),
            "mtu": on_node(node_actions.mtu),
            "api": self._api,
            "power": self._power,
            "lockdown": on_node(stored_actions.lockdown),
            "pbr": on_node(stored_actions.pbr),
            "acl": on_node(stored_actions.acl),
            "headers": on_node(stored_actions.headers),
            "termination": on_node(stored_actions.termination),
            "add-waf": on_node(stored_actions.add_waf),
            "edit-waf": on_node(stored_actions.edit_waf),
            "delete-waf": on_node(stored_actions.delete_waf),
            "gslb": on_node(stored_actions.gslb),
            "status-gslb": on_node(stored_actions.gslb_status),
            **{f"reload-{name}": self._service_action("reload", name) for name in RELOADABLE},
            **{f"restart-{name}": self._service_action("restart", name) for name in RESTARTABLE},
        }

    def _service_action(self, verb: str, name: str) -> Callable[[Fields], tuple[str, Any]]:
        """reload-X / restart-X. HAProxy, ldirectord and heartbeat apply their pending section; a
        restart stops the service first (its connections end), a reload keeps them. The other
        services are not emulated."""

        def run(fields: Fields) -> tuple[str, Any]:
            v.reject_unknown(fields, (), f"{verb}-{name}")
            if name in cfg.SERVICE_SECTIONS:
                self.apply_service(name, restart=verb == "restart")
                return f"{name} {verb}ed", None
            return f"{name} {verb}ed (not emulated: the simulator runs no {name})", None

        return run

    # ---- actions that need more than the configuration tree ---------------------------------
    def _delete_vip(self, fields: Fields) -> tuple[str, Any]:
        message = vip_actions.delete_vip(self.pending, fields)
        if self.opstate.pop(fields["vip"], None) is not None:
            self.state.save_json(OPSTATE_NAME, self.opstate)
        return message, None

    def _delete_rip(self, fields: Fields) -> tuple[str, Any]:
        message = vip_actions.delete_rip(self.pending, fields)
        if self.opstate.get(fields["vip"], {}).pop(fields["rip"], None) is not None:
            self.state.save_json(OPSTATE_NAME, self.opstate)
        return message, None

    def _server_state(self, fields: Fields, state: str) -> tuple[str, Any]:
        targets = vip_actions.locate_reals(self.pending, fields, state)
        for vip, rip in targets:
            states = self.opstate.setdefault(vip, {})
            if state == "online":
                states.pop(rip, None)
            else:
                states[rip] = state
        self.state.save_json(OPSTATE_NAME, self.opstate)
        for vip, rip in targets:
            found = cfg.find_virtual(self.pending, vip)
            real = cfg.find_real(found[1], rip) if found else None
            weight = get_text(real, "weight", "100") if real is not None else "100"
            try:
                self.data_plane.set_server_state(vip, rip, state, weight)
            except HaproxyError as error:
                raise failed(f"{state}: {error}") from None
        words = {"drain": "draining", "halt": "halted", "online": "online"}
        where = ", ".join(f"'{vip}'" for vip, _rip in targets)
        return f"real server '{targets[0][1]}' of VIP {where} is now {words[state]}", None

    def _add_floating_ip(self, fields: Fields) -> tuple[str, Any]:
        v.reject_unknown(fields, ("ip",), "add-floating-ip")
        ip = v.ip_address(v.required(fields, "ip"), "ip")
        if ip in cfg.floating_ips(self.pending):
            raise ActionError("exists", f"floating IP {ip} already exists")
        for _layer, virtual in cfg.all_virtuals(self.pending):
            if get_text(virtual, "server") == ip:
                raise ActionError(
                    "exists", f"floating IP {ip} is already brought up by VIP '{get_text(virtual, 'label')}'"
                )
        ET.SubElement(section(self.pending, "heartbeat"), "vip").text = ip
        return f"floating IP {ip} added", None

    def _fix_floating_ip(self, fields: Fields) -> tuple[str, Any]:
        """The help: removes and re-adds a floating IP. Nothing to repair on loopback."""
        v.reject_unknown(fields, ("ip",), "fix-floating-ip")
        ip = v.ip_address(v.required(fields, "ip"), "ip")
        if ip not in cfg.floating_ips(self.pending):
            raise ActionError("missing", f"floating IP {ip} does not exist")
        return f"floating IP {ip} removed and added again", None

    def _api(self, fields: Fields) -> tuple[str, Any]:
        """Accepted and answered; the simulator's credentials come from its environment and stay."""
        v.reject_unknown(fields, ("function", "username", "password", "apikey"), "api")
        function = v.choice(v.required(fields, "function"), "function", ("enable", "disable", "get"))
        if function == "get":
            return "API settings", {"enabled": "on"}
        if function == "enable":
            v.required(fields, "username")
            v.required(fields, "password")
        return f"API {function}d (not emulated: the simulator keeps the credentials it started with)", None

    def _power(self, fields: Fields) -> tuple[str, Any]:
        v.reject_unknown(fields, ("function",), "power")
        function = v.choice(v.required(fields, "function"), "function", ("shutdown", "restart"))
        return f"power {function} accepted (not emulated: the simulator keeps running)", None

    def _delete_floating_ip(self, fields: Fields) -> tuple[str, Any]:
        v.reject_unknown(fields, ("ip",), "delete-floating-ip")
        ip = v.ip_address(v.required(fields, "ip"), "ip")
        heartbeat = section(self.pending, "heartbeat")
        for node in heartbeat.findall("vip"):
            if node.text == ip:
                heartbeat.remove(node)
                return f"floating IP {ip} deleted", None
        raise ActionError("missing", f"floating IP {ip} does not exist")

    def _list(self, fields: Fields) -> tuple[str, Any]:
        v.reject_unknown(fields, ("function", "layer", "vip", "rip", "state"), "list")
        function = v.choice(
            v.required(fields, "function"), "function", ("dumpconfig", "floatingip", "virtual", "advanced")
        )
        # Simulator extra: `state` "running" lists what the services were last reloaded with.
        which = v.choice(fields.get("state", "pending"), "state", ("pending", "running"))
        root = self.running if which == "running" else self.pending
        if function == "dumpconfig":
            return "configuration", cfg.dump(root)
        if function == "floatingip":
            return "floating IPs", {"floatingip": cfg.floating_ips(root)}
        layer = vip_actions.parse_layer(fields)
        if function == "advanced":
            glob = section(section(root, cfg.LAYER_SECTION[layer]), "global")
            return f"layer {layer} global settings", {"layer": layer, "global": cfg.to_json(glob)}
        items = cfg.virtuals(root, layer)
        if fields.get("vip"):
            items = [item for item in items if get_text(item, "label") == fields["vip"]]
            if not items:
                raise ActionError("missing", f"layer {layer} VIP '{fields['vip']}' does not exist")
        if fields.get("rip"):
            items = [_only_real(item, fields["rip"]) for item in items if cfg.find_real(item, fields["rip"])]
            if not items:
                raise ActionError("missing", f"no layer {layer} VIP has a real server '{fields['rip']}'")
        return f"layer {layer} virtual services", {"virtual": [cfg.to_json(item) for item in items]}

    def pending_services(self) -> list[str]:
        return [
            service
            for service, name in cfg.SERVICE_SECTIONS.items()
            if cfg.section_bytes(self.pending, name) != cfg.section_bytes(self.running, name)
        ]

    def apply_service(self, service: str, restart: bool = False) -> None:
        """Make the pending section of `service` the running one and serve it."""
        name = cfg.SERVICE_SECTIONS[service]
        candidate = copy.deepcopy(self.running)
        old = section(candidate, name)
        candidate.insert(list(candidate).index(old), copy.deepcopy(section(self.pending, name)))
        candidate.remove(old)
        try:
            self.data_plane.serve(candidate, self.opstate, self.active, (service,), restart)
        except HaproxyError as error:
            raise failed(f"reload-{service}: {error}") from None
        self.running = candidate
        self.state.save_running(self.running)
        self.counters.reloads[service] += 1

    def refresh_data_plane(self) -> None:
        """Serve the running configuration again, e.g. after this node became active or passive."""
        with self.lock:
            self.data_plane.serve(self.running, self.opstate, self.active)

    def _clear_stick(self, fields: Fields) -> tuple[str, Any]:
        v.reject_unknown(fields, ("vip",), "haproxy-clear-stick")
        vip = fields.get("vip") or None
        if vip is not None and cfg.find_virtual(self.running, vip) is None:
            raise ActionError("missing", f"VIP '{vip}' is not in the running configuration")
        try:
            self.data_plane.clear_stick(vip)
        except HaproxyError as error:
            raise failed(f"haproxy-clear-stick: {error}") from None
        return f"stick table of {vip or 'every VIP'} cleared", None

    def _ha_create(self, fields: Fields) -> tuple[str, Any]:
        v.reject_unknown(fields, ("local_ip", "peer_ip", "peer_password"), "ha_create")
        local_ip = v.ip_address(v.required(fields, "local_ip"), "local_ip")
        peer_ip = v.ip_address(v.required(fields, "peer_ip"), "peer_ip")
        password = v.required(fields, "peer_password")
        if local_ip == peer_ip:
            raise failed(f"fields 'local_ip'/'peer_ip': both are {local_ip}")
        if self.ha is None:
            raise ActionError("fatal", "ha_create: this simulator was started without HA support")
        return self.ha.pair(local_ip, peer_ip, password), None

    def _nodestatus(self, fields: Fields) -> tuple[str, Any]:
        v.reject_unknown(fields, (), "nodestatus")
        network = section(section(self.pending, "physical"), "network")
        heartbeat = section(self.pending, "heartbeat")
        master = get_text(heartbeat, "ucast_ip/master")
        slave = get_text(heartbeat, "ucast_ip/slave")
        role = get_text(network, "role", "master")
        paired = bool(master and slave)
        data: dict[str, Any] = {
            "hostname": get_text(network, "hostname"),
            "role": role,
            "state": "active" if self.active else "passive",
            "ha": paired,
            "peer": (slave if role == "master" else master) if paired else None,
            "pending": self.pending_services(),
            "counters": self.counters.as_json(),
            "vips": self.data_plane.status(),
            "floating_ips": {
                "owned": self.active,
                "addresses": cfg.floating_ips(self.running),
            },
        }
        if self.report_states:
            data["real_servers"] = self._real_server_states()
        if self.active:  # the lab's count, never API v2's: docs/appliance-api.md, "Lab extensions"
            data[LAB_CONNECTIONS] = self.data_plane.connections()
        if self.ha is not None:
            data["heartbeat"] = self.ha.status()
        return "node status", data

    def _real_server_states(self) -> list[dict[str, str]]:
        """Each real server of the configuration with the state drain/halt/online last set
        (**assumed** report: the vendor documents those actions but no read of the state)."""
        return [
            {
                "layer": layer,
                "vip": get_text(virtual, "label"),
                "rip": get_text(real, "label"),
                "state": self.opstate.get(get_text(virtual, "label"), {}).get(
                    get_text(real, "label"), "online"
                ),
            }
            for layer, virtual in cfg.all_virtuals(self.pending)
            for real in virtual.findall("real")
        ]

    def _pick_up_replaced_file(self) -> str | None:
        """Read lb_config.xml again when someone else replaced it (a restore over SSH).

        The appliance's own tools read the file on every use, so a file put back by hand is what
        the next action sees and the next reload applies. An unreadable file fails every action.
        """
        if not self.state.config_replaced():
            return None
        try:
            replaced = self.state.load_config()
        except (ET.ParseError, ValueError) as error:
            return f"lb_config.xml cannot be read: {error}"
        if replaced is not None:
            self.pending = replaced
        return None

    # ---- HA support ------------------------------------------------------------------------
    def _replicated_bytes(self) -> bytes:
        return b"".join(cfg.section_bytes(self.pending, name) for name in REPLICATED_SECTIONS)

    def is_empty(self) -> bool:
        """No VIPs, floating IPs or SSL terminations: what a peer must meet for `ha_create` (help)."""
        return (
            not list(cfg.all_virtuals(self.pending))
            and not cfg.floating_ips(self.pending)
            and self.pending.find("stunnel/virtual") is None
        )

    def _write_stats(self) -> None:
        self.state.save_json(STATS_NAME, self.counters.as_json())

    def count_request(self, peer: bool = False) -> None:
        with self.lock:
            if peer:
                self.counters.peer_requests += 1
            else:
                self.counters.api_requests += 1


def _name(raw: Any) -> str:
    name = raw.get("action") if isinstance(raw, dict) else None
    return name if isinstance(name, str) else ""


ADVANCED_KEYS: dict[str, tuple[str, tuple[str, ...]]] = {
    "l7": ("haproxy", tuple(cfg.L7_GLOBAL_DEFAULTS)),
    "l4": ("ldirectord", tuple(cfg.L4_GLOBAL_DEFAULTS)),
}


def apply_advanced(root: ET.Element, key: str, value: str) -> None:
    """Set one global setting from `--advanced l7.interval=3000` (there is no API action for it)."""
    prefix, _, name = key.partition(".")
    if prefix not in ADVANCED_KEYS or name not in ADVANCED_KEYS[prefix][1]:
        known = [f"{p}.{n}" for p, (_s, names) in ADVANCED_KEYS.items() for n in names]
        raise ValueError(f"--advanced: unknown setting '{key}'; known: {', '.join(known)}")
    if name == "quiescent":
        if value not in ("yes", "no"):
            raise ValueError(f"--advanced {key}: '{value}' is not yes or no")
    elif not value.isdigit():
        raise ValueError(f"--advanced {key}: '{value}' is not a whole number")
    set_text(section(section(root, ADVANCED_KEYS[prefix][0]), "global"), name, value)
