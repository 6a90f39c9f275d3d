"""SFTP sessions with host keys checked against the site's known_hosts file, and nothing else.

An unknown host key is refused, never accepted on first use: a scheduled job would otherwise
trust whatever answers at that address. The refusal prints the key's fingerprint and the exact
known_hosts line to add once a person has compared the fingerprint with the server's own (over
its console, or from its administrator). A changed key is refused with the old and the new
fingerprint. Private keys are loaded from the file the site names and are never printed; a
passphrase comes from the environment variable the site names.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass

import paramiko

from eas_lb.inputs.site_ssh import SshLogin


class SshError(Exception):
    """Connecting, authenticating or transferring failed; the message says where and what to do."""


class HostKeyRefused(SshError):
    """The server's host key is unknown or differs from the known_hosts file."""


@dataclass(frozen=True)
class SshTarget:
    """One server to log in to, with the login settings of its site section."""

    host: str
    port: int
    login: SshLogin

    @property
    def known_hosts_name(self) -> str:
        """The host as known_hosts writes it: `host`, or `[host]:port` off port 22."""
        return self.host if self.port == 22 else f"[{self.host}]:{self.port}"

    def __str__(self) -> str:
        return f"{self.login.user}@{self.known_hosts_name}"


def fingerprint(key: paramiko.PKey) -> str:
    """`SHA256:...` as `ssh-keygen -lf` prints it."""
    return str(key.fingerprint)


class _RefuseUnknown(paramiko.MissingHostKeyPolicy):
    """Refuse a host key the known_hosts file does not hold, saying how to accept it."""

    def __init__(self, target: SshTarget) -> None:
        self.target = target

    def missing_host_key(self, client: paramiko.SSHClient, hostname: str, key: paramiko.PKey) -> None:
        target = self.target
        line = f"{target.known_hosts_name} {key.get_name()} {key.get_base64()}"
        port = f"-p {target.port} " if target.port != 22 else ""
        keyscan = f"ssh-keyscan {port}-t {_short(key)} {target.host}"
        raise HostKeyRefused(
            f"{target.known_hosts_name}: unknown host key {key.get_name()} {fingerprint(key)}; "
            f"not in {target.login.known_hosts}. Compare this fingerprint with the server's own "
            f"(on the server: ssh-keygen -lf /etc/ssh/ssh_host_{_short(key)}_key.pub), then add this line "
            f"to {target.login.known_hosts}:\n    {line}\n(or append the output of `{keyscan}`, after "
            "checking its fingerprint with `ssh-keygen -lf FILE`)"
        )


def _short(key: paramiko.PKey) -> str:
    name = key.get_name()
    if "ed25519" in name:
        return "ed25519"
    if "ecdsa" in name:
        return "ecdsa"
    return "rsa"


def _load_key(login: SshLogin) -> paramiko.PKey:
    path = login.key_file
    passphrase = os.environ.get(login.key_passphrase_env) if login.key_passphrase_env else None
    if login.key_passphrase_env and not passphrase:
        raise SshError(f"key file {path}: environment variable {login.key_passphrase_env} is not set")
    try:
        return paramiko.PKey.from_path(path, password=passphrase)
    except FileNotFoundError:
        raise SshError(f"key file {path} does not exist") from None
    except PermissionError:
        raise SshError(f"key file {path} cannot be read (permission denied)") from None
    except paramiko.PasswordRequiredException:
        raise SshError(
            f"key file {path} is protected by a passphrase: name the environment variable holding it "
            "with key_passphrase_env"
        ) from None
    except paramiko.SSHException as error:
        # Paramiko's messages about key files never quote the key itself.
        raise SshError(f"key file {path} cannot be used: {error}") from None
    except (ValueError, TypeError) as error:
        raise SshError(f"key file {path} is not a private key paramiko can read ({error})") from None


def _check_known_hosts(target: SshTarget) -> None:
    path = target.login.known_hosts
    if not path.exists():
        raise SshError(
            f"known_hosts file {path} does not exist: create it (empty is fine) and add each server's "
            "host key after checking its fingerprint; a connection attempt prints the line to add"
        )
    try:
        paramiko.HostKeys(str(path))
    except (OSError, paramiko.SSHException) as error:
        raise SshError(f"known_hosts file {path} cannot be read: {error}") from None


@contextmanager
def sftp_session(target: SshTarget) -> Iterator[paramiko.SFTPClient]:
    """Log in to `target` with its key, host key verified, and open SFTP."""
    login = target.login
    _check_known_hosts(target)
    key = _load_key(login)
    client = paramiko.SSHClient()
    client.load_host_keys(str(login.known_hosts))  # read only: our policy never adds keys
    client.set_missing_host_key_policy(_RefuseUnknown(target))
    try:
        client.connect(
            target.host,
            port=target.port,
            username=login.user,
            pkey=key,
            timeout=login.timeout_s,
            banner_timeout=login.timeout_s,
            auth_timeout=login.timeout_s,
            channel_timeout=login.timeout_s,
            allow_agent=False,
            look_for_keys=False,
        )
    except HostKeyRefused:
        client.close()
        raise
    except paramiko.BadHostKeyException as error:
        client.close()
        raise HostKeyRefused(
            f"{target.known_hosts_name}: the host key CHANGED: {login.known_hosts} has "
            f"{error.expected_key.get_name()} {fingerprint(error.expected_key)}, the server offers "
            f"{error.key.get_name()} {fingerprint(error.key)}. Refusing to connect: this is what a "
            "man-in-the-middle looks like. If the server was reinstalled and its administrator confirms "
            f"the new fingerprint, remove the old line (ssh-keygen -R '{target.known_hosts_name}' -f "
            f"{login.known_hosts}) and connect again to see the line to add"
        ) from None
    except paramiko.AuthenticationException:
        client.close()
        raise SshError(f"{target}: the server refused the key in {login.key_file}") from None
    except TimeoutError:
        client.close()
        raise SshError(f"{target}: no answer within {login.timeout_s:g} s") from None
    except (OSError, paramiko.SSHException, EOFError) as error:
        client.close()
        raise SshError(f"{target}: cannot connect: {error}") from None
    try:
        sftp = client.open_sftp()
    except (OSError, paramiko.SSHException) as error:
        client.close()
        raise SshError(f"{target}: SFTP is not available: {error}") from None
    try:
        yield sftp
    finally:
        sftp.close()
        client.close()


def read_remote(sftp: paramiko.SFTPClient, target: SshTarget, path: str, limit: int = 16 << 20) -> bytes:
    """The bytes of a remote file, with a clear message when it is missing or too big."""
    try:
        attributes = sftp.stat(path)
        if attributes.st_mode is not None and not stat.S_ISREG(attributes.st_mode):
            raise SshError(f"{target}:{path} is not a regular file")
        if attributes.st_size is not None and attributes.st_size > limit:
            raise SshError(f"{target}:{path} is {attributes.st_size} bytes, more than {limit}")
        with sftp.open(path, "rb") as handle:
            return bytes(handle.read())
    except FileNotFoundError:
        raise SshError(f"{target}:{path} does not exist") from None
    except PermissionError:
        raise SshError(f"{target}:{path} cannot be read (permission denied)") from None
    except (OSError, paramiko.SSHException) as error:
        raise SshError(f"{target}:{path} cannot be read: {error}") from None


def read_remote_if_present(sftp: paramiko.SFTPClient, target: SshTarget, path: str) -> bytes | None:
    """Like `read_remote`, but None when the file does not exist (a configuration deleted by hand)."""
    try:
        sftp.stat(path)
    except FileNotFoundError:
        return None
    except (OSError, paramiko.SSHException):
        pass  # read_remote reports it
    return read_remote(sftp, target, path)


def replace_remote(sftp: paramiko.SFTPClient, target: SshTarget, path: str, data: bytes) -> None:
    """Replace a remote file atomically: write a sibling, copy the old mode, rename over it."""
    temporary = f"{path}.eas-lb-restore"
    try:
        try:
            mode = sftp.stat(path).st_mode
        except FileNotFoundError:
            mode = None
        with sftp.open(temporary, "wb") as handle:
            handle.write(data)
        if mode is not None:
            sftp.chmod(temporary, stat.S_IMODE(mode))
        sftp.posix_rename(temporary, path)
    except (OSError, paramiko.SSHException) as error:
        with suppress(OSError, paramiko.SSHException):
            sftp.remove(temporary)
        raise SshError(f"{target}:{path} cannot be written: {error}") from None
