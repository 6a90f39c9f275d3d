"""Which VIPs a plan deletes, so the deletes of their real servers need not drain them.

A real server removed from a VIP that stays drains before the reload that removes it
(`runtime.drains`). One removed with its VIP need not: the reload ends the VIP, whatever its
servers do, so a `drain` would be one more lbcli action on the appliance for nothing. But the delete
of a real server cannot see whether its VIP goes: Terraform deletes a VIP's real servers before the
VIP, in an apply process that starts with no knowledge of the plan.

What carries that knowledge is the plan itself. Terraform plans every delete (the provider
announces `plan_destroy`, `runtime.plugin_protocol`), a real server's before its VIP's, and hands
each delete's planned private data back to it at apply, from a saved plan file too. So:

- the process that plans has a random token of its own (`token`); a real server's delete plan
  carries it as private data;
- a VIP's delete plan records the VIP under that token in a small file beside the create journal
  (`<appliance>.destroys.json`, mode 0600, labels only);
- at apply, a real server's delete skips its drain only when the file names its VIP under the
  token of the very plan being applied (`deletes_vip`).

Anything else drains, as before: a plan made on another machine (no file, or no entry), a plan
older than `MAX_AGE_SECONDS`, an unreadable file, a server whose VIP this plan keeps or replaces
(a replacement is not a delete plan). A token names one planning process, so an entry of a plan
that was never applied (a nightly drift check) vouches for nothing else.
"""

from __future__ import annotations

import contextlib
import json
import secrets
import threading
import time
from pathlib import Path
from typing import Any

from lborg_provider.runtime.create_journal import appliance_file, default_directory, folder_lock
from lborg_support.files import write_private

#: A saved plan is applied within days (plan review keeps reviewed plans for a while); an entry
#: older than this is forgotten when the file is next written.
MAX_AGE_SECONDS = 30 * 24 * 3600
#: The private data's key naming the planning process's token.
PRIVATE_KEY = "plan"


class DestroyPlans:
    """The VIPs the plans made on this machine delete, per planning process, for one appliance."""

    def __init__(self, endpoint: str, directory: Path | None = None) -> None:
        self.directory = directory or default_directory()
        self.path = appliance_file(self.directory, endpoint, ".destroys.json")
        self._lock = threading.Lock()
        self._file_lock = threading.Lock()
        #: VIPs this process planned to delete, and those of them the file already has.
        self._planned: set[str] = set()
        self._written: set[str] = set()
        #: This process's token as a planner (what its real servers' delete plans carry).
        self.token = secrets.token_hex(8)
        #: Plans read back at apply, by token: what the file said (read once per process).
        self._read: dict[str, frozenset[str]] = {}

    # -- planning ----------------------------------------------------------------------------
    def private_data(self) -> bytes:
        """The private data of a real server's delete plan: this planning process's token."""
        return json.dumps({PRIVATE_KEY: self.token}).encode()

    def vip_deleted(self, layer: str, label: str) -> None:
        """This plan deletes VIP `label` of `layer`. Recorded before the plan ends; VIPs planned
        while another thread writes the file leave together in its next write. A file that cannot
        be written records nothing (those VIPs' real servers then drain, as without this file)."""
        with self._lock:
            self._planned.add(_vip_name(layer, label))
        with contextlib.suppress(OSError), folder_lock(self.directory, self._file_lock):
            with self._lock:
                wanted = set(self._planned)
            if wanted <= self._written:
                return
            plans = self._load()
            entry = plans.setdefault(self.token, {"at": time.time(), "vips": []})
            entry["vips"] = sorted(set(entry["vips"]) | wanted)
            write_private(self.path, json.dumps(plans, indent=1, sort_keys=True).encode() + b"\n")
            self._written = wanted

    # -- apply -------------------------------------------------------------------------------
    def deletes_vip(self, private: bytes, layer: str, label: str) -> bool:
        """Whether the plan whose private data is `private` also deletes VIP `label` of `layer`."""
        token = _token_of(private)
        if token is None:
            return False
        with self._lock:
            vips = self._read.get(token)
        if vips is None:
            try:
                with folder_lock(self.directory, self._file_lock):
                    vips = frozenset(self._load().get(token, {}).get("vips", ()))
            except OSError:
                vips = frozenset()
            with self._lock:
                self._read[token] = vips
        return _vip_name(layer, label) in vips

    # -- the file ----------------------------------------------------------------------------
    def _load(self) -> dict[str, dict[str, Any]]:
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}  # none yet, or damaged: every real server then drains
        forgotten = time.time() - MAX_AGE_SECONDS
        plans: dict[str, dict[str, Any]] = {}
        for token, entry in raw.items() if isinstance(raw, dict) else ():
            if not isinstance(entry, dict):
                continue
            at, vips = entry.get("at"), entry.get("vips")
            if isinstance(at, int | float) and at >= forgotten and isinstance(vips, list):
                plans[str(token)] = {"at": float(at), "vips": [str(vip) for vip in vips]}
        return plans


def _vip_name(layer: str, label: str) -> str:
    return f"{layer}:{label}"


def _token_of(private: bytes) -> str | None:
    """The planning token in a delete's private data; None for none (a plan made without it)."""
    if not private:
        return None
    try:
        value = json.loads(private)
    except ValueError:
        return None
    token = value.get(PRIVATE_KEY) if isinstance(value, dict) else None
    return token if isinstance(token, str) and token else None
