"""HA pairs: `ha_create`, replication to the peer, heartbeat and take-over.

The real appliance exchanges SSH keys on `ha_create` (using the peer password), then syncs
`lb_config.xml` to the secondary and restarts its services in step with the primary. Here the
primary calls the peer's `/api/v2/peer` endpoint instead: with the peer password for `probe` and
`join` (which hands the peer a random pairing key), then with the pairing key. Neither side keeps
the peer password; the peer keeps only a salted hash of the pairing key (`pairing.py`).

- `probe`  — is the peer empty and unpaired (the appliance refuses to pair otherwise);
- `join`   — become the secondary (role `slave`), take the replicated sections and the pairing key;
- `rekey`  — take a new pairing key (a primary whose state predates pairing keys sends one);
- `sync`   — take the primary's pending and running replicated sections; serve the running one;
- `beat`   — heartbeat, once per interval; the answer carries the peer's state and a digest of
             its replicated configuration, so the primary re-syncs a peer that missed a change.

Per-node settings (`<physical>`: hostname, interfaces, routes) are never sent. The active node
serves the VIPs and owns the floating IPs; the passive node's HAProxy binds none. The secondary
takes over after three missed beats and hands back when the primary returns (auto-failback, the
appliance's default for a master/slave pair).
"""

from __future__ import annotations

import copy
import hashlib
import hmac
import os
import sys
import threading
import time
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import defusedxml.ElementTree as safe_xml
import requests

from lborg_simulator import config as cfg
from lborg_simulator.appliance import REPLICATED_SECTIONS, SimulatedAppliance
from lborg_simulator.config import get_text, section, set_text
from lborg_simulator.haproxy_process import HaproxyError
from lborg_simulator.haproxy_render import is_loopback
from lborg_simulator.pairing import PAIRING_HEADER, KeyHash, new_pairing_key
from lborg_simulator.server import SimulatorAccount
from lborg_simulator.validation import ActionError, failed

MISSED_BEATS = 3
HA_FILE = "ha.json"


def _replicated_xml(root: ET.Element) -> str:
    wrapper = ET.Element("config")
    for name in REPLICATED_SECTIONS:
        wrapper.append(copy.deepcopy(section(root, name)))
    return ET.tostring(wrapper, encoding="unicode")


def _take_sections(target: ET.Element, xml_text: str) -> None:
    """Replace the replicated sections of `target` with those in `xml_text`."""
    source: ET.Element = safe_xml.fromstring(xml_text)  # from the peer, over the network: parsed defensively
    for name in REPLICATED_SECTIONS:
        incoming = source.find(name)
        if incoming is None:
            continue
        old = section(target, name)
        target.insert(list(target).index(old), copy.deepcopy(incoming))
        target.remove(old)


class HaController:
    def __init__(
        self,
        appliance: SimulatedAppliance,
        credentials: SimulatorAccount,
        *,
        listen_port: int,
        peer_url: str | None,
        peer_ca: Path,
        interval: float = 1.0,
    ) -> None:
        self.appliance = appliance
        self.credentials = credentials
        self.listen_port = listen_port
        self.peer_url_override = peer_url
        self.peer_ca = peer_ca
        self.interval = interval
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._last_beat = time.monotonic()
        self._missed = 0
        self._peer_state: str | None = None
        self._ha_file = appliance.state.path / HA_FILE
        self._key_lock = threading.Lock()
        saved = appliance.state.load_json(HA_FILE) or {}
        self._peer_url: str | None = saved.get("peer_url")
        #: Primary side: the key this node authenticates to its peer with.
        self._pairing_key: str | None = saved.get("pairing_key")
        #: Peer side: the salted hash of the key the primary authenticates with.
        self._peer_key_hash = KeyHash.from_json(saved.get("peer_key_hash"))
        self._verified_key: str | None = None  # in memory only: spares a scrypt per heartbeat
        # State written before pairing keys held the peer password itself: used (in memory) once
        # to hand the peer a pairing key, and dropped from the file at once.
        self._legacy_password: str | None = saved.get("peer_password")
        if self._legacy_password is not None:
            self._save()
        if self.paired:
            appliance.active = False  # decided by the heartbeat, never assumed at start

    # ---- facts -----------------------------------------------------------------------------
    def _heartbeat(self) -> ET.Element:
        return section(self.appliance.pending, "heartbeat")

    @property
    def paired(self) -> bool:
        return bool(
            get_text(self._heartbeat(), "ucast_ip/master") and get_text(self._heartbeat(), "ucast_ip/slave")
        )

    @property
    def role(self) -> str:
        return get_text(section(section(self.appliance.pending, "physical"), "network"), "role", "master")

    def _digest(self) -> str:
        app = self.appliance
        text = _replicated_xml(app.pending) + _replicated_xml(app.running)
        return hashlib.sha256(text.encode()).hexdigest()

    def status(self) -> dict[str, object]:
        return {
            "interval_s": self.interval,
            "peer_state": self._peer_state,
            "missed_beats": self._missed,
            "seconds_since_beat": round(time.monotonic() - self._last_beat, 1)
            if self.role == "slave"
            else None,
            "failback": "auto",
        }

    # ---- talking to the peer ---------------------------------------------------------------
    def _call_peer(
        self, url: str, body: dict[str, Any], timeout: float, *, password: str | None = None
    ) -> dict[str, Any]:
        """POST to the peer channel, with the peer password (ha_create) or else the pairing key."""
        endpoint = url.rstrip("/") + "/peer" if not url.rstrip("/").endswith("/peer") else url
        if password is not None:
            auth: tuple[str, str] | None = (self.credentials.username, password)
            headers = {}
        else:
            auth, headers = None, {PAIRING_HEADER: self._pairing_key or ""}
        response = requests.post(
            endpoint, json=body, auth=auth, headers=headers, verify=str(self.peer_ca), timeout=timeout
        )
        if response.status_code == 401:
            if password is None:
                raise failed(f"peer {endpoint} rejected the pairing key; break and re-create the HA pair")
            raise failed("ha_create: the peer rejected the peer password (field 'peer_password')")
        if response.status_code != 200:
            raise failed(f"peer {endpoint} answered HTTP {response.status_code}: {response.text[:200]}")
        answer: dict[str, Any] = response.json()
        return answer

    def _default_url(self, peer_ip: str) -> str:
        host = f"[{peer_ip}]" if ":" in peer_ip else peer_ip
        return self.peer_url_override or f"https://{host}:{self.listen_port}/api/v2/"

    # ---- ha_create on the primary ------------------------------------------------------------
    def pair(self, local_ip: str, peer_ip: str, peer_password: str) -> str:
        if self.paired:
            raise failed("ha_create: this appliance is already part of an HA pair")
        url = self._default_url(peer_ip)
        host = urlsplit(url).hostname or ""
        if not is_loopback(host):
            raise failed(
                f"field 'peer_ip': {peer_ip} is not a loopback address and the simulator connects to "
                "loopback only; start it with --peer https://127.x.y.z:PORT/api/v2/ to name the peer"
            )
        # The peer's running copy gets the pairing at once; our own is applied after the join.
        joined = copy.deepcopy(self.appliance.running)
        heartbeat = section(joined, "heartbeat")
        set_text(heartbeat, "ucast_ip/master", local_ip)
        set_text(heartbeat, "ucast_ip/slave", peer_ip)
        pending = copy.deepcopy(self.appliance.pending)
        set_text(section(pending, "heartbeat"), "ucast_ip/master", local_ip)
        set_text(section(pending, "heartbeat"), "ucast_ip/slave", peer_ip)
        try:
            probe = self._call_peer(url, {"op": "probe"}, timeout=10, password=peer_password)
            if probe.get("paired"):
                raise failed(f"ha_create: peer {peer_ip} is already part of an HA pair")
            if not probe.get("empty"):
                raise failed(
                    f"ha_create: peer {peer_ip} is not empty (it has VIPs, floating IPs or SSL "
                    "terminations); clear it first"
                )
            key = new_pairing_key()
            body = {
                "op": "join",
                "pending": _replicated_xml(pending),
                "running": _replicated_xml(joined),
                "pairing_key": key,
            }
            self._call_peer(url, body, timeout=60, password=peer_password)
        except requests.exceptions.SSLError:
            raise failed(
                f"ha_create: TLS verification of peer {peer_ip} at {url} failed; start both simulators "
                "with the same --ca-dir, or pass the peer's CA with --peer-ca"
            ) from None
        except requests.RequestException as error:
            raise failed(
                f"ha_create: peer {peer_ip} is unreachable at {url}: {type(error).__name__}"
            ) from None
        app = self.appliance
        set_text(section(app.pending, "heartbeat"), "ucast_ip/master", local_ip)
        set_text(section(app.pending, "heartbeat"), "ucast_ip/slave", peer_ip)
        set_text(section(section(app.pending, "physical"), "network"), "role", "master")
        self._pairing_key = key
        self._legacy_password = None
        self._peer_url = url
        self._save()
        self._peer_state = "passive"
        self._missed = 0
        app.apply_service("heartbeat")
        return f"HA pair created: {local_ip} (master, active) with {peer_ip} (slave, passive)"

    def _save(self) -> None:
        saved: dict[str, Any] = {"peer_url": self._peer_url}
        if self._pairing_key is not None:
            saved["pairing_key"] = self._pairing_key
        if self._peer_key_hash is not None:
            saved["peer_key_hash"] = self._peer_key_hash.to_json()
        self.appliance.state.save_json(HA_FILE, saved)
        os.chmod(self._ha_file, 0o600)

    def check_pairing_key(self, key: str) -> bool:
        """Whether `key` is the pairing key the primary handed over (checked against its salted hash)."""
        with self._key_lock:
            if self._verified_key is not None and hmac.compare_digest(
                key.encode(), self._verified_key.encode()
            ):
                return True
            stored = self._peer_key_hash
            if stored is None or not stored.matches(key):
                return False
            self._verified_key = key
            return True

    def _take_key(self, body: dict[str, Any]) -> None:
        key = body.get("pairing_key")
        if isinstance(key, str) and key:
            with self._key_lock:
                self._peer_key_hash = KeyHash.of(key)
                self._verified_key = None
            self._save()

    # ---- replication from the primary --------------------------------------------------------
    def replicate(self, reloads: list[str]) -> str | None:
        """Called with the appliance lock held after a batch that changed replicated state."""
        if not self.paired or self.role != "master" or not self._peer_url or not self._pairing_key:
            return None
        try:
            # Only a reload changes the running configuration: otherwise the peer's stays as it is
            # (the heartbeat's digest check sends both should the peer ever differ).
            self._sync(reloads, with_running=bool(reloads))
        except (ActionError, requests.RequestException, ValueError) as error:
            return f"not replicated yet ({type(error).__name__}); the heartbeat retries"
        return None

    def _sync(self, reloads: list[str], *, with_running: bool = True) -> None:
        assert self._peer_url is not None and self._pairing_key is not None
        app = self.appliance
        body: dict[str, Any] = {"op": "sync", "pending": _replicated_xml(app.pending), "reloads": reloads}
        if with_running:
            body["running"] = _replicated_xml(app.running)
        self._call_peer(self._peer_url, body, timeout=60)

    # ---- the peer side ---------------------------------------------------------------------
    def handle_peer(self, body: dict[str, Any]) -> dict[str, Any]:
        op = body.get("op")
        app = self.appliance
        with app.lock:
            if op == "probe":
                return {"empty": app.is_empty(), "paired": self.paired}
            if op == "join":
                if self.paired:
                    return {"error": "already paired"}
                set_text(section(section(app.pending, "physical"), "network"), "role", "slave")
                self._take_key(body)
                self._last_beat = time.monotonic()
                app.active = False
                return self._take(body, [])
            if op == "rekey":
                self._take_key(body)
                return {"state": "active" if app.active else "passive"}
            if op == "sync":
                reloads = [r for r in body.get("reloads", []) if r in app.counters.reloads]
                return self._take(body, reloads)
            if op == "beat":
                self._last_beat = time.monotonic()
                self._missed = 0
                self._peer_state = "active"
                if app.active and self.role == "slave":
                    app.active = False
                    self._serve("yielding to the returning primary")
                return {"state": "active" if app.active else "passive", "digest": self._digest()}
        return {"error": f"unknown op {op!r}"}

    def _take(self, body: dict[str, Any], reloads: list[str]) -> dict[str, Any]:
        app = self.appliance
        _take_sections(app.pending, str(body["pending"]))
        app.state.save_config(app.pending)
        if "running" in body:
            running_before = cfg.serialize(app.running)
            _take_sections(app.running, str(body["running"]))
            app.state.save_running(app.running)
            if cfg.serialize(app.running) != running_before or reloads:
                self._serve("replicated configuration")
        for service in reloads:
            app.counters.reloads[service] += 1
        return {"state": "active" if app.active else "passive", "digest": self._digest()}

    def _serve(self, why: str) -> None:
        try:
            self.appliance.refresh_data_plane()
        except HaproxyError as error:
            print(f"lborg-simulator: {why}: {error}", file=sys.stderr, flush=True)

    # ---- heartbeat loop ----------------------------------------------------------------------
    def start(self) -> None:
        self._last_beat = time.monotonic()
        self._thread = threading.Thread(target=self._loop, name="heartbeat", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)

    def _loop(self) -> None:
        while not self._stop.wait(self.interval):
            if not self.paired:
                continue
            # Same guard as nat_dataplane.py's _check_loop; kept inline: each loop's round and name differ.
            try:
                if self.role == "master":
                    self._beat_as_master()
                else:
                    self._watch_as_slave()
            except Exception as error:  # the heartbeat must survive anything one beat meets
                print(
                    f"lborg-simulator: heartbeat: {type(error).__name__}: {error}",
                    file=sys.stderr,
                    flush=True,
                )

    def _become(self, active: bool, why: str) -> None:
        app = self.appliance
        with app.lock:
            if app.active == active:
                return
            app.active = active
            self._serve(why)
        print(f"lborg-simulator: now {'active' if active else 'passive'}: {why}", file=sys.stderr, flush=True)

    def _beat_as_master(self) -> None:
        if self._peer_url and not self._pairing_key and self._legacy_password:
            self._rekey(self._peer_url, self._legacy_password)
        if not self._peer_url or not self._pairing_key:
            self._become(True, "no peer credentials")
            return
        try:
            answer = self._call_peer(self._peer_url, {"op": "beat"}, timeout=max(self.interval, 1.0))
        except (ActionError, requests.RequestException, ValueError):
            self._missed += 1
            self._peer_state = "unreachable"
            if self._missed >= MISSED_BEATS:
                self._become(True, f"peer missed {self._missed} heartbeats")
            return
        self._missed = 0
        self._peer_state = str(answer.get("state"))
        if answer.get("state") == "passive":
            self._become(True, "peer is passive")
        with self.appliance.lock:
            if answer.get("digest") != self._digest():
                self._sync([])

    def _rekey(self, url: str, password: str) -> None:
        """Replace a stored peer password by a pairing key (state from before pairing keys)."""
        key = new_pairing_key()
        try:
            self._call_peer(url, {"op": "rekey", "pairing_key": key}, timeout=10, password=password)
        except (ActionError, requests.RequestException, ValueError):
            return  # the peer is away: the next heartbeat tries again
        self._pairing_key = key
        self._legacy_password = None
        self._save()

    def _watch_as_slave(self) -> None:
        silent = time.monotonic() - self._last_beat
        if silent > MISSED_BEATS * self.interval:
            self._peer_state = "unreachable"
            self._missed = int(silent / self.interval)
            self._become(True, f"no heartbeat from the primary for {silent:.1f} s")
