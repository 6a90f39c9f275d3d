"""Fetch pools.txt from every EAS server the site names and check that they agree.

The guide says the file is identical on every EAS server; when it is not, the EAS deployment is
mid-change or broken, and no copy can be trusted over another, so the disagreement is reported
(which servers hold which version) and nothing is written.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from eas_lb.inputs.site_ssh import EasServers
from eas_lb.operations.ssh.session import SshError, SshTarget, read_remote, sftp_session


@dataclass(frozen=True)
class FetchedCopy:
    server: str  # as written in the site file
    data: bytes

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.data).hexdigest()[:12]


@dataclass
class FetchOutcome:
    copies: list[FetchedCopy] = field(default_factory=list)
    failures: dict[str, str] = field(default_factory=dict)  # server -> reason

    def versions(self) -> dict[str, list[str]]:
        """Digest -> servers holding that version, the most common version first."""
        groups: dict[str, list[str]] = {}
        for copy in self.copies:
            groups.setdefault(copy.digest, []).append(copy.server)
        return dict(sorted(groups.items(), key=lambda item: -len(item[1])))

    @property
    def agreed(self) -> FetchedCopy | None:
        """The one version every reachable server holds, if they agree."""
        if not self.copies or len(self.versions()) != 1:
            return None
        return self.copies[0]


def fetch_all(eas: EasServers) -> FetchOutcome:
    """Read `eas.path` from each server; a server that fails is recorded, the others still read."""
    outcome = FetchOutcome()
    for written, host, port in eas.endpoints():
        target = SshTarget(host, port, eas)
        try:
            with sftp_session(target) as sftp:
                data = read_remote(sftp, target, eas.path, limit=4 << 20)
        except SshError as error:
            outcome.failures[written] = str(error)
            continue
        outcome.copies.append(FetchedCopy(written, data))
    return outcome
