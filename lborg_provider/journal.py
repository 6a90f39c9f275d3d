"""The create journal: objects this provider asked an appliance to create, until state has them.

Terraform records a created object in its state only once the provider answered the create and
Terraform itself lived to write the state. Between the appliance applying `add-vip` and that
write, many things can cut the chain: Ctrl-C, a killed `terraform`, an answer lost on the network
or arriving after the client gave up, a failed read back. The object is then on the appliance but
in no state, and the next apply's `add-*` answers `exists`.

Such an object must be taken over by the next apply, but one a person made by hand must never be.
The appliance keeps no mark of who created an object, so the provider keeps one: before each
`add-*` it writes an entry (appliance, object, and the identifying values it sent) to a small
file on the machine that runs Terraform. An `exists` answer is taken over only when the journal
holds an entry for that object and the object on the appliance still has the identifying values
this provider sent (label, address, ports). An entry is dropped as soon as Terraform reads the
object from state (every refresh reads every resource in state), or deletes it, so only objects
that never reached the state keep one. The check is made against the entry as it was *before*
the current create wrote its own.

Where: `$LBORG_JOURNAL_DIR`, else `$XDG_STATE_HOME/lborg-provider/journal`, else
`~/.local/state/lborg-provider/journal`; one JSON file per appliance endpoint, mode 0600. It holds
labels and addresses, never credentials. A journal that cannot be written stops the create (an
object created without its entry could never be taken over); one that cannot be read is treated
as empty (an `exists` then gives the import command instead of a take-over).

Entries older than `MAX_AGE_SECONDS` are pruned: an interrupted apply is re-run within days, and an
old entry should not vouch for an object that may have been deleted and remade by hand since.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import tempfile
import threading
import time
from collections.abc import Iterator, Mapping
from pathlib import Path

MAX_AGE_SECONDS = 30 * 24 * 3600
ENV_DIR = "LBORG_JOURNAL_DIR"

Identity = Mapping[str, str]


class JournalError(Exception):
    """The journal file could not be written; the create must not go ahead."""


def default_directory() -> Path:
    explicit = os.environ.get(ENV_DIR)
    if explicit:
        return Path(explicit)
    state_home = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(state_home) / "lborg-provider" / "journal"


class CreateJournal:
    """The entries of one appliance; safe for the provider's threads and for other processes."""

    def __init__(self, endpoint: str, directory: Path | None = None) -> None:
        digest = hashlib.sha256(endpoint.encode()).hexdigest()[:16]
        self.directory = directory or default_directory()
        self.path = self.directory / f"{digest}.json"
        self.endpoint = endpoint
        self._lock = threading.Lock()
        #: Keys this process knows are in the file (None: not read yet), so that the many reads of
        #: a refresh touch the file only for objects that have an entry.
        self._known: set[str] | None = None

    # -- file access ---------------------------------------------------------------------------
    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        """This process's threads and other processes (two terraform runs) take turns."""
        with self._lock:
            self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
            with open(self.directory / ".lock", "a+") as handle:
                fcntl.flock(handle, fcntl.LOCK_EX)
                try:
                    yield
                finally:
                    fcntl.flock(handle, fcntl.LOCK_UN)

    def _load(self) -> dict[str, dict[str, object]]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        entries = data.get("entries") if isinstance(data, dict) else None
        if not isinstance(entries, dict):
            return {}
        now = time.time()
        return {
            key: value
            for key, value in entries.items()
            if isinstance(value, dict) and now - float(value.get("at", 0) or 0) < MAX_AGE_SECONDS
        }

    def _save(self, entries: dict[str, dict[str, object]]) -> None:
        body = json.dumps({"endpoint": self.endpoint, "entries": entries}, indent=1, sort_keys=True)
        handle, temporary = tempfile.mkstemp(dir=self.directory, prefix=".journal-")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write(body)
                out.flush()
                os.fsync(out.fileno())
            os.chmod(temporary, 0o600)
            os.replace(temporary, self.path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise

    # -- the three operations ------------------------------------------------------------------
    def record(self, key: str, identity: Identity) -> dict[str, str] | None:
        """Before an `add-*`: this process is about to create `key` with `identity`.

        Returns the identity an earlier, unfinished create recorded for `key` (None when there is
        no entry): if the add answers `exists`, that earlier create is the only one that can
        have made the object.
        """
        try:
            with self._locked():
                entries = self._load()
                earlier = entries.get(key, {}).get("identity")
                entries[key] = {"identity": dict(identity), "at": time.time()}
                self._save(entries)
                self._known = set(entries)
        except OSError as error:
            raise JournalError(
                f"cannot write the create journal {self.path}: {error.strerror or error}; set "
                f"{ENV_DIR} to a writable directory"
            ) from None
        return {str(k): str(v) for k, v in earlier.items()} if isinstance(earlier, dict) else None

    def restore(self, key: str, earlier: Identity | None) -> None:
        """The add was answered "not created" (`exists`, `failed`): put back what the entry was, so
        a refused object never gains an entry (and is never taken over by a later apply)."""
        try:
            with self._locked():
                entries = self._load()
                if earlier is None:
                    entries.pop(key, None)
                else:
                    entries[key] = {"identity": dict(earlier), "at": time.time()}
                self._save(entries)
                self._known = set(entries)
        except OSError:
            pass  # a leftover entry names what this apply sent: a take-over needs those exact values

    def forget(self, key: str) -> None:
        """The object is in Terraform's state (read, or deleted): it needs no entry any more."""
        if self._known is None:
            try:
                with self._locked():
                    self._known = set(self._load())
            except OSError:
                self._known = set()
        if key not in self._known:
            return
        try:
            with self._locked():
                entries = self._load()
                if entries.pop(key, None) is not None:
                    self._save(entries)
                self._known = set(entries)
        except OSError:
            pass  # a stale entry only matters if the same object is later orphaned and matches
