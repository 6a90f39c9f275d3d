"""The machine's live processes, read from /proc: the one scan behind every test that asks which
processes a run left behind (providers that outlive terraform, HAProxy that outlives its
simulator)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

PROC = Path("/proc")


@dataclass(frozen=True)
class LiveProcess:
    """A process that was running (not a zombie) when the scan read it."""

    pid: int
    parent: int
    #: Its command line, arguments joined by spaces.
    command: str

    def environment(self) -> list[bytes]:
        """Its environment as `NAME=value` entries; empty once it has ended."""
        try:
            return (PROC / str(self.pid) / "environ").read_bytes().split(b"\0")
        except OSError:
            return []


def live_processes() -> Iterator[LiveProcess]:
    """Every process now running; one that ends while it is read is skipped."""
    for entry in PROC.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            # The fields after the command name, which may itself hold spaces and parentheses.
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[0] != "Z":
            yield LiveProcess(int(entry.name), int(fields[1]), command.strip())


def command_line(pid: int) -> str:
    """A process's command line, or "(gone)" once it has ended."""
    try:
        return (PROC / str(pid) / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return "(gone)"


def haproxy_processes_under(path: Path) -> list[str]:
    """`pid command` of every HAProxy whose command line names a file under `path`."""
    return [
        f"{process.pid} {process.command}"
        for process in live_processes()
        if "haproxy" in process.command and str(path) in process.command
    ]
