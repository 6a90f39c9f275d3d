"""The site file's SSH sections: `eas:` (where pools.txt comes from) and `backup:` (lb_config.xml copies).

Both name files, never secrets: the private key is a path (its passphrase, if any, an environment
variable name) and host keys are checked against a known_hosts file the site keeps, so a
scheduled job on a fresh runner verifies exactly the servers a person checked once. Paths are
relative to the site file, like every other path in it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from pydantic import Field, ValidationInfo, field_validator, model_validator

from eas_lb.inputs.strict import StrictModel

#: Where the EAS writes pools.txt (deployment guide, "pools.txt"; identical on every EAS server).
GUIDE_POOLS_PATH = "/home/defcraft/files/pools.txt"
#: The appliance's whole configuration (guide, appendix "Restoring From a Backup").
APPLIANCE_CONFIG_PATH = "/etc/loadbalancer.org/lb_config.xml"

Port = Annotated[int, Field(ge=1, le=65535)]
EnvName = Annotated[str, Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")]

_SECRET_WORDS = ("password", "passphrase", "private_key", "secret", "token")


class _NoSecretValues(StrictModel):
    """The SSH sections name files and variables; a key that looks like a secret is refused by name."""

    @model_validator(mode="before")
    @classmethod
    def _no_secret_values(cls, data: Any) -> Any:
        if isinstance(data, dict):
            for key in data:
                lowered = str(key).lower()
                if any(word in lowered for word in _SECRET_WORDS) and not lowered.endswith("_env"):
                    raise ValueError(
                        f"'{key}' would put a secret in the site file; give the private key as "
                        "key_file: PATH (its passphrase, if any, as key_passphrase_env: VARIABLE)"
                    )
        return data


def _resolve(value: Path, info: ValidationInfo) -> Path:
    if "\0" in str(value):
        raise ValueError("a path cannot contain a NUL character (\\0); check the quoting of this value")
    base = (info.context or {}).get("base_dir")
    if value.is_absolute() or base is None:
        return value
    return (Path(base) / value).resolve()


def split_host(text: str, default_port: int) -> tuple[str, int]:
    """`host`, `host:port`, `[v6]` or `[v6]:port` into host and port."""
    text = text.strip()
    if text.startswith("["):
        host, _, rest = text[1:].partition("]")
        if not rest:
            return host, default_port
        if not rest.startswith(":") or not rest[1:].isdigit():
            raise ValueError(f"{text!r}: expected [ADDRESS]:PORT")
        return host, int(rest[1:])
    if text.count(":") == 1:
        host, _, port = text.partition(":")
        if not port.isdigit() or not 1 <= int(port) <= 65535:
            raise ValueError(f"{text!r}: the port after ':' must be a number from 1 to 65535")
        return host, int(port)
    return text, default_port


def _check_hosts(values: tuple[str, ...]) -> tuple[str, ...]:
    for value in values:
        if not value.strip():
            raise ValueError("a host name or address is empty")
        split_host(value, 22)
    return values


class SshLogin(_NoSecretValues):
    """How to log in: user, private key file and the known_hosts file the host keys are checked against."""

    user: str
    key_file: Path = Field(description="private key (OpenSSH or PEM format); relative to the site file")
    key_passphrase_env: EnvName | None = Field(
        default=None, description="environment variable holding the key's passphrase, if it has one"
    )
    known_hosts: Path = Field(description="known_hosts file with the servers' host keys")
    port: Port = 22
    timeout_s: Annotated[float, Field(gt=0, le=300)] = 15.0

    _resolve_key = field_validator("key_file", "known_hosts")(_resolve)


class EasServers(SshLogin):
    """`eas:`: the EAS servers pools.txt is fetched from (over SFTP)."""

    user: str = "defcraft"
    hosts: Annotated[tuple[str, ...], Field(min_length=1)] = Field(
        description="EAS servers: HOST, HOST:PORT or [IPV6]:PORT"
    )
    path: str = Field(default=GUIDE_POOLS_PATH, description="pools.txt on each EAS server")

    _hosts = field_validator("hosts")(_check_hosts)

    def endpoints(self) -> list[tuple[str, str, int]]:
        """(as written, host, port) of every EAS server."""
        return [(text, *split_host(text, self.port)) for text in self.hosts]


class ApplianceSsh(_NoSecretValues):
    """Per-appliance exceptions under `backup.appliances.NAME`."""

    host: str | None = Field(default=None, description="SSH address; default: the API endpoint's host")
    port: Port | None = None
    config_path: str | None = Field(default=None, description=f"default: {APPLIANCE_CONFIG_PATH}")


class Backup(SshLogin):
    """`backup:`: copies of each appliance's lb_config.xml, taken over SFTP before every deploy."""

    user: str = "root"
    directory: Path = Field(
        default=Path("backups"),
        validate_default=True,
        description="where copies go; relative to the site file",
    )
    keep: Annotated[int, Field(ge=1)] = Field(default=30, description="copies kept per appliance")
    config_path: str = APPLIANCE_CONFIG_PATH
    appliances: dict[str, ApplianceSsh] = Field(default_factory=dict)

    _resolve_directory = field_validator("directory")(_resolve)
