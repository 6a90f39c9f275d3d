"""The HA pairing key: how two paired simulators authenticate each other after `ha_create`.

The real appliance uses the peer password once, at `ha_create`, to exchange SSH keys, and never
keeps it. The simulator does the same with a random pairing key instead of SSH keys: the primary
sends it in the `join` (authenticated with the peer password), keeps it (its own credential, like
a private SSH key, in a file only its owner reads), and the peer keeps only a salted scrypt hash
of it, which each later call is checked against. Neither side stores the peer password.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Any

#: Header that carries the pairing key on the peer channel (instead of Basic auth).
PAIRING_HEADER = "X-LB-Pairing-Key"

# scrypt cost: ~16 MB and tens of milliseconds per check; a verified key is remembered in memory.
_N, _R, _P = 2**14, 8, 1


def new_pairing_key() -> str:
    return secrets.token_urlsafe(32)


def _scrypt(key: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(key.encode(), salt=salt, n=n, r=r, p=p, maxmem=64 * 1024 * 1024, dklen=32)


@dataclass(frozen=True)
class KeyHash:
    """A salted scrypt hash of a pairing key, as stored in the peer's state."""

    salt: bytes
    digest: bytes
    n: int = _N
    r: int = _R
    p: int = _P

    @classmethod
    def of(cls, key: str) -> KeyHash:
        salt = secrets.token_bytes(16)
        return cls(salt, _scrypt(key, salt, _N, _R, _P))

    def matches(self, key: str) -> bool:
        return hmac.compare_digest(_scrypt(key, self.salt, self.n, self.r, self.p), self.digest)

    def to_json(self) -> dict[str, Any]:
        return {
            "scrypt": {"n": self.n, "r": self.r, "p": self.p},
            "salt": self.salt.hex(),
            "hash": self.digest.hex(),
        }

    @classmethod
    def from_json(cls, data: Any) -> KeyHash | None:
        """The stored hash, or None when there is none (or it is unreadable: the pair must be re-created)."""
        if not isinstance(data, dict):
            return None
        try:
            cost = data["scrypt"]
            return cls(
                bytes.fromhex(data["salt"]),
                bytes.fromhex(data["hash"]),
                int(cost["n"]),
                int(cost["r"]),
                int(cost["p"]),
            )
        except (KeyError, TypeError, ValueError):
            return None
