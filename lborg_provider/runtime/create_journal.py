"""The create journal and take-over: the whole protocol that keeps a lost create from being lost.

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
this provider sent (label, address, ports). The check is made against the entry as it was
*before* the current create wrote its own.

One object's entry, from the resource's point of view (VIPs, real servers and floating IPs all
follow this table; the create protocol, `runtime.create`, is the only way in for a create):

| Event                                    | Entry after            | Outcome                     |
|------------------------------------------|------------------------|-----------------------------|
| create: the journal cannot be written    | unchanged              | create stops, nothing sent  |
| create: `add-*` sent                     | this create's identity | -                           |
| `add-*` answered `success`               | kept                   | finish the create           |
| `add-*` unanswered (time-out, killed)    | kept                   | maybe created: next apply   |
| `exists`, earlier entry E matches object | kept                   | take over: edit the diff    |
| `exists`, no E, or E does not match      | E restored (or none)   | refused, with the import    |
| `add-*` answered another failure         | E restored (or none)   | reported, nothing created   |
| refresh reads the object from state      | none                   | it is in state now          |
| delete                                   | none                   | -                           |
| entry older than `MAX_AGE_SECONDS`       | ignored (as none)      | -                           |

Only objects that never reached the state keep an entry: every refresh reads every resource in
state. A take-over edits only what differs from the plan and warns; it never changes an object
whose identifying values differ from what this provider sent.

Where: `$LBORG_JOURNAL_DIR`, else `$XDG_STATE_HOME/lborg-provider/journal`, else
`~/.local/state/lborg-provider/journal`; one file per appliance endpoint, mode 0600. It holds
labels and addresses, never credentials. A journal that cannot be written stops the create (an
object created without its entry could never be taken over); one that cannot be read is treated
as empty (an `exists` then gives the import command instead of a take-over).

The file is a log of JSON lines (an entry, or the end of one), appended to and fsynced, and read
from where this process last stopped, so each create costs the same whatever the number of
entries: an apply of a thousand creates must not rewrite a thousand-entry file a thousand times.
When most lines are dead the log is rewritten with the live entries only, atomically (file and
folder fsynced). A line cut short by a crash is skipped.

Entries older than `MAX_AGE_SECONDS` are ignored: an interrupted apply is re-run within days, and an
old entry should not vouch for an object that may have been deleted and remade by hand since.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import threading
import time
from collections.abc import Iterator, Mapping
from pathlib import Path

from lborg_support.files import write_private

MAX_AGE_SECONDS = 30 * 24 * 3600
ENV_DIR = "LBORG_JOURNAL_DIR"
#: The log is rewritten when it has more than this many lines and four times its live entries.
COMPACT_AFTER_LINES = 1000

Identity = Mapping[str, str]


class JournalError(Exception):
    """The journal file could not be written; the create must not go ahead."""


def appliance_file(directory: Path, endpoint: str, suffix: str) -> Path:
    """One appliance endpoint's file in the journal folder (`<digest><suffix>`): the create
    journal's, and the drain deadlines beside it."""
    return directory / f"{hashlib.sha256(endpoint.encode()).hexdigest()[:16]}{suffix}"


@contextlib.contextmanager
def folder_lock(directory: Path, thread_lock: threading.Lock) -> Iterator[None]:
    """Take turns on the journal folder with this process's other threads (`thread_lock`) and
    with other processes (two terraform runs): one lock file for every file in the folder."""
    with thread_lock:
        directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        with open(directory / ".lock", "a+") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)


def default_directory() -> Path:
    explicit = os.environ.get(ENV_DIR)
    if explicit:
        return Path(explicit)
    state_home = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(state_home) / "lborg-provider" / "journal"


class CreateJournal:
    """The entries of one appliance; safe for the provider's threads and for other processes."""

    def __init__(self, endpoint: str, directory: Path | None = None) -> None:
        self.directory = directory or default_directory()
        self.path = appliance_file(self.directory, endpoint, ".jsonl")
        self.endpoint = endpoint
        self._lock = threading.Lock()
        #: The live entries as of `_offset` bytes into the file whose inode is `_inode`.
        self._entries: dict[str, dict[str, object]] = {}
        self._offset = 0
        self._inode: int | None = None
        self._lines = 0
        self._read_once = False

    # -- file access ---------------------------------------------------------------------------
    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        """This process's threads and other processes (two terraform runs) take turns; the view
        of the log is brought up to date first."""
        with folder_lock(self.directory, self._lock):
            self._catch_up()
            self._read_once = True  # only now is `_entries` the whole log
            yield

    def _catch_up(self) -> None:
        """Read what was appended since this process last looked (all of it if the file was
        replaced by a rewrite); only whole lines count. Called under the thread lock."""
        try:
            status = os.stat(self.path)
        except FileNotFoundError:
            self._entries, self._offset, self._inode, self._lines = {}, 0, None, 0
            return
        if status.st_ino != self._inode or status.st_size < self._offset:
            self._entries, self._offset, self._inode, self._lines = {}, 0, status.st_ino, 0
        if status.st_size == self._offset:
            return
        with open(self.path, "rb") as log:
            log.seek(self._offset)
            data = log.read()
        whole = data.rfind(b"\n") + 1
        for line in data[:whole].splitlines():
            self._replay(line)
        self._offset += whole

    def _replay(self, line: bytes) -> None:
        self._lines += 1
        try:
            record = json.loads(line)
        except ValueError:
            return  # cut short by a crash, or damaged: it vouches for nothing
        if not isinstance(record, dict) or not isinstance(record.get("key"), str):
            return
        identity = record.get("identity")
        if isinstance(identity, dict):
            self._entries[record["key"]] = {"identity": identity, "at": record.get("at", 0)}
        else:
            self._entries.pop(record["key"], None)

    def _append(self, key: str, identity: Identity | None, *, durable: bool = True) -> None:
        """Add a line (an entry, or with `identity` None the end of one); called under the lock.
        `durable` False: not fsynced (a forget: lost in a crash, the entry is forgotten again by
        the next refresh; a refresh of hundreds of resources must not wait for a disk flush each)."""
        record: dict[str, object] = {"key": key}
        if identity is not None:
            record.update(identity=dict(identity), at=time.time())
        line = json.dumps(record, sort_keys=True).encode() + b"\n"
        descriptor = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            size = os.fstat(descriptor).st_size
            if size > self._offset:  # a line cut short by a crash: start on a line of our own
                line = b"\n" + line
            os.write(descriptor, line)
            if durable:
                os.fsync(descriptor)
            self._inode = os.fstat(descriptor).st_ino
        finally:
            os.close(descriptor)
        self._offset = size + len(line)
        for part in line.splitlines():
            if part:
                self._replay(part)
        if self._lines > COMPACT_AFTER_LINES and self._lines > 4 * len(self._entries):
            self._rewrite()

    def _rewrite(self) -> None:
        """Replace the log with one line per live entry (atomically, under the lock)."""
        lines = b"".join(
            json.dumps({"key": key, **entry}, sort_keys=True).encode() + b"\n"
            for key, entry in self._entries.items()
        )
        write_private(self.path, lines)
        status = os.stat(self.path)
        self._inode, self._offset, self._lines = status.st_ino, status.st_size, len(self._entries)

    def _live(self, key: str) -> dict[str, str] | None:
        entry = self._entries.get(key)
        if entry is None or time.time() - float(entry.get("at", 0) or 0) >= MAX_AGE_SECONDS:  # type: ignore[arg-type]
            return None
        identity = entry.get("identity")
        return {str(k): str(v) for k, v in identity.items()} if isinstance(identity, dict) else None

    # -- the three operations ------------------------------------------------------------------
    def record(self, key: str, identity: Identity) -> dict[str, str] | None:
        """Before an `add-*`: this process is about to create `key` with `identity`.

        Returns the identity an earlier, unfinished create recorded for `key` (None when there is
        no entry): if the add answers `exists`, that earlier create is the only one that can
        have made the object.
        """
        try:
            with self._locked():
                earlier = self._live(key)
                self._append(key, identity)
        except OSError as error:
            raise JournalError(
                f"cannot write the create journal {self.path}: {error.strerror or error}; set "
                f"{ENV_DIR} to a writable directory"
            ) from None
        return earlier

    def restore(self, key: str, earlier: Identity | None) -> None:
        """The add was answered "not created" (`exists`, `failed`): put back what the entry was, so
        a refused object never gains an entry (and is never taken over by a later apply)."""
        try:
            with self._locked():
                self._append(key, earlier)
        except OSError:
            pass  # a leftover entry names what this apply sent: a take-over needs those exact values

    def forget(self, key: str) -> None:
        """The object is in Terraform's state (read, or deleted): it needs no entry any more.

        Called for every resource of every refresh, from Terraform's parallel reads: the log is
        read once, and written only for objects that have an entry. The quick "no entry" answer
        is taken under the thread lock: another thread may be reading the log into `_entries`
        right now, and a look at a half-read table would skip the forget (and a later create of
        the object, after a `terraform state rm`, would be taken over instead of refused)."""
        try:
            with self._lock:
                if self._read_once and key not in self._entries:
                    return
            with self._locked():
                if key in self._entries:
                    self._append(key, None, durable=False)
        except OSError:
            pass  # a stale entry only matters if the same object is later orphaned and matches
