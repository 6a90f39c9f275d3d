"""An OpenSSH server that plays several machines at once: one chroot per listening address.

The SSH features read fixed paths on each machine (`/home/defcraft/files/pools.txt` on an EAS
server, `/etc/loadbalancer.org/lb_config.xml` on an appliance). One sshd can show each address
its own file system with a `Match LocalAddress` block that chroots logins on that address and
allows SFTP only, so no shell is offered to anyone. sshd refuses a chroot below a directory that
others can write to, and chrooting needs root, hence `require_root` and roots under a root-owned
base directory.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

SSHD_CANDIDATES = ("/usr/sbin/sshd", "/usr/local/sbin/sshd")


class SshServerUnavailable(RuntimeError):
    """sshd is missing, or this process may not chroot: the message says what to do."""


def sshd_binary() -> str:
    """sshd refuses to run unless started by its absolute path, so find that path."""
    found = shutil.which("sshd") or next((p for p in SSHD_CANDIDATES if Path(p).exists()), None)
    if found is None:
        raise SshServerUnavailable(
            "sshd is not installed: install OpenSSH's server (Debian/Ubuntu: apt-get install openssh-server)"
        )
    return str(Path(found).resolve())


def require_root(what: str) -> None:
    if os.geteuid() != 0:
        raise SshServerUnavailable(f"{what} needs root: sshd only chroots when it runs as root")


@dataclass(frozen=True)
class ChrootSshd:
    """The files of one sshd: configuration, host key, authorized keys and one root per address."""

    base: Path
    listen: tuple[tuple[str, int], ...]  # (address, port), one chroot per address
    users: tuple[str, ...]

    @property
    def config(self) -> Path:
        return self.base / "sshd_config"

    # Path properties alike layout.py's DemoLayout in shape; other files of another folder.
    @property
    def host_key(self) -> Path:
        return self.base / "ssh_host_ed25519_key"

    @property
    def authorized_keys(self) -> Path:
        return self.base / "authorized_keys"

    def root(self, address: str) -> Path:
        """The file system the server at `address` shows (its chroot)."""
        return self.base / "roots" / address

    def host_public_key(self) -> str:
        """`ssh-ed25519 AAAA...` without the comment."""
        kind, body, *_ = self.host_key.with_suffix(".pub").read_text().split()
        return f"{kind} {body}"

    def known_hosts_lines(self) -> list[str]:
        key = self.host_public_key()
        return [f"{address if port == 22 else f'[{address}]:{port}'} {key}" for address, port in self.listen]

    def argv(self) -> list[str]:
        """Run in the foreground, logging to stderr, so a process supervisor can stop it."""
        return [sshd_binary(), "-D", "-e", "-f", str(self.config)]

    def prepare(self, public_keys: Iterable[str]) -> None:
        """Make the base, host key, roots and configuration; keep a host key made before.

        Keeping the host key means a known_hosts file written by an earlier run stays valid.
        """
        self.base.mkdir(parents=True, exist_ok=True)
        os.chmod(self.base, 0o755)
        Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)  # sshd's privilege separation directory
        if not self.host_key.exists():
            keygen(self.host_key, "eas-lb-lab-host")
        self.authorized_keys.write_text("".join(f"{key.strip()}\n" for key in public_keys))
        os.chmod(self.authorized_keys, 0o644)
        for address, _ in self.listen:
            root = self.root(address)
            root.mkdir(parents=True, exist_ok=True)
            os.chmod(root.parent, 0o755)
            os.chmod(root, 0o755)
        self.config.write_text(self._config_text())

    def _config_text(self) -> str:
        lines = [f"ListenAddress {address}:{port}" for address, port in self.listen]
        lines += [
            f"HostKey {self.host_key}",
            "PidFile none",
            "UsePAM no",
            "StrictModes no",
            f"AuthorizedKeysFile {self.authorized_keys}",
            "PubkeyAuthentication yes",
            "PasswordAuthentication no",
            "KbdInteractiveAuthentication no",
            "PermitRootLogin prohibit-password",
            f"AllowUsers {' '.join(self.users)}",
            "Subsystem sftp internal-sftp",
            "LogLevel VERBOSE",
        ]
        for address in dict.fromkeys(address for address, _ in self.listen):
            lines += [
                f"Match LocalAddress {address}",
                f"  ChrootDirectory {self.root(address)}",
                "  ForceCommand internal-sftp",
                "  AllowTcpForwarding no",
                "  X11Forwarding no",
            ]
        return "\n".join(lines) + "\n"


READY_LINE = "Server listening on"
"""What sshd logs (with -e) once it listens; the lab waits for it before saying it is up."""


def keygen(path: Path, comment: str) -> None:
    """A new ed25519 key without a passphrase, private part 0600."""
    path.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", comment, "-f", str(path)],
        check=True,
        capture_output=True,
    )


def public_key_of(private: Path, env: Mapping[str, str], passphrase_env: str | None) -> str:
    """The public half of a private key: its .pub beside it, else derived with ssh-keygen -y."""
    pub = Path(f"{private}.pub")
    if pub.exists():
        return pub.read_text().strip()
    argv = ["ssh-keygen", "-y", "-f", str(private)]
    if passphrase_env and env.get(passphrase_env):
        argv[2:2] = ["-P", env[passphrase_env]]
    done = subprocess.run(argv, capture_output=True, text=True, stdin=subprocess.DEVNULL)
    if done.returncode != 0:
        raise SshServerUnavailable(
            f"cannot read the public key of {private} (wrong passphrase, or not a private key)"
        )
    return done.stdout.strip()
