"""Files of one simulated appliance in its state directory, written atomically.

`lb_config.xml` is the configuration as edited through the API (the appliance writes it at once);
`running.xml` is what the services were last reloaded with, so pending changes are the difference
between the two. A lock file stops two simulators from sharing one state directory.
"""

from __future__ import annotations

import fcntl
import json
import os
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from lborg_simulator.config import load, serialize
from lborg_support.files import write_atomic

CONFIG_NAME = "lb_config.xml"
RUNNING_NAME = "running.xml"
OPSTATE_NAME = "opstate.json"
STATS_NAME = "stats.json"


class StateDirBusy(RuntimeError):
    """Another simulator already runs on this state directory."""


@dataclass
class StateDir:
    path: Path
    _lock_handle: IO[str] | None = field(default=None, repr=False)
    #: (inode, mtime, size) of lb_config.xml as this simulator last read or wrote it.
    _config_stamp: tuple[int, int, int] | None = field(default=None, repr=False)

    @property
    def config_file(self) -> Path:
        return self.path / CONFIG_NAME

    @property
    def running_file(self) -> Path:
        return self.path / RUNNING_NAME

    def acquire(self) -> None:
        self.path.mkdir(parents=True, exist_ok=True)
        handle = open(self.path / ".simulator.lock", "w")  # noqa: SIM115 - held for the process lifetime
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            raise StateDirBusy(f"another simulator is running with state directory {self.path}") from None
        handle.write(str(os.getpid()))
        handle.flush()
        self._lock_handle = handle

    def release(self) -> None:
        if self._lock_handle is not None:
            self._lock_handle.close()
            self._lock_handle = None

    def load_config(self) -> ET.Element | None:
        if not self.config_file.exists():
            return None
        stamp = self._stamp()
        root = load(self.config_file)
        self._config_stamp = stamp
        return root

    def config_replaced(self) -> bool:
        """lb_config.xml was written by someone else (a restore over SSH) since we last read or wrote it."""
        return self._config_stamp is not None and self._stamp() != self._config_stamp

    def _stamp(self) -> tuple[int, int, int] | None:
        try:
            info = self.config_file.stat()
        except FileNotFoundError:
            return None
        return info.st_ino, info.st_mtime_ns, info.st_size

    def load_running(self) -> ET.Element | None:
        return load(self.running_file) if self.running_file.exists() else None

    def save_config(self, root: ET.Element) -> None:
        write_atomic(self.config_file, serialize(root))
        self._config_stamp = self._stamp()

    def save_running(self, root: ET.Element) -> None:
        write_atomic(self.running_file, serialize(root))

    def load_json(self, name: str) -> Any:
        target = self.path / name
        if not target.exists():
            return None
        return json.loads(target.read_text())

    def save_json(self, name: str, value: Any) -> None:
        write_atomic(self.path / name, (json.dumps(value, indent=2, sort_keys=True) + "\n").encode())
