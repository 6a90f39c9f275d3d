"""The site file's `backend` section: what each stack's Terraform backend gets, and no secrets.

A site file is committed, and `cdktf synth` copies the backend's arguments into every stack's
`cdk.tf.json`. So a backend secret (the password in a PostgreSQL connection string, an S3 secret
key) is refused with a message naming the environment variable Terraform reads it from instead.

`pg` (the backend for a team, see the README): each stack keeps its state in its own schema of
the database, named after the stack (`<site>-<pair>-lb`), with `schema_name` as an optional
prefix; Terraform's lock on that state serializes two deploys of one stack. The connection string
has no password: Terraform takes it from `PGPASSWORD` (the PostgreSQL client's variable), or the
whole connection string from `PG_CONN_STR` when the site gives none.

`s3`: likewise one state object per stack, `<key>/<stack>.tfstate`, `key` naming the folder
(every stack of a site writing the same object would overwrite each other's state).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qs, urlsplit

#: Path of a value below `backend.config`, and the problem with it.
BackendProblem = tuple[tuple[str, ...], str]

#: Per backend kind: argument name → where that secret belongs instead.
_SECRET_ARGUMENTS: dict[str, dict[str, str]] = {
    "pg": {
        "password": "PGPASSWORD",
    },
    "s3": {
        "access_key": "AWS_ACCESS_KEY_ID",
        "secret_key": "AWS_SECRET_ACCESS_KEY",
        "token": "AWS_SESSION_TOKEN",
        "sse_customer_key": "AWS_SSE_CUSTOMER_KEY",
    },
}
_SECRET_WORDS = ("password", "secret", "token", "passwd")
_DSN_PASSWORD = re.compile(r"(?:^|\s)password\s*=", re.IGNORECASE)

PG_PASSWORD_ENV = "PGPASSWORD"
PG_CONN_STR_ENV = "PG_CONN_STR"


def _conn_str_has_password(conn_str: str) -> bool:
    """A password in a `postgres://user:PASSWORD@host/db` URL, its query, or a `key=value` string."""
    if "://" in conn_str:
        parts = urlsplit(conn_str)
        try:
            in_url = parts.password is not None
        except ValueError:
            in_url = ":" in parts.netloc.rpartition("@")[0]
        query = {key.lower() for key in parse_qs(parts.query, keep_blank_values=True)}
        return in_url or "password" in query
    return bool(_DSN_PASSWORD.search(conn_str))


def secret_problems(kind: str, config: Mapping[str, Any]) -> list[BackendProblem]:
    """Every secret given as a value in `backend.config`, with where it should come from."""
    problems: list[BackendProblem] = []
    known = _SECRET_ARGUMENTS.get(kind, {})
    for key in config:
        name = str(key)
        if name in known:
            problems.append(
                (
                    (name,),
                    f"a secret in the site file would be copied into every cdk.tf.json; remove {name} and "
                    f"export {known[name]} where cdktf deploy runs",
                )
            )
        elif any(word in name.lower() for word in _SECRET_WORDS):
            problems.append(
                (
                    (name,),
                    f"{name!r} looks like a secret, which the site file must not hold (it would be copied "
                    "into every cdk.tf.json); give it to Terraform through its environment variable",
                )
            )
    conn_str = config.get("conn_str")
    if kind == "pg" and isinstance(conn_str, str) and _conn_str_has_password(conn_str):
        problems.append(
            (
                ("conn_str",),
                "the connection string holds a password, which would be copied into every cdk.tf.json; "
                f"remove it (postgres://USER@HOST/DB) and export {PG_PASSWORD_ENV} where cdktf deploy "
                f"runs, or leave conn_str out and export the whole string as {PG_CONN_STR_ENV}",
            )
        )
    return problems


def pg_schema(config: Mapping[str, Any], stack_name: str) -> str:
    """The schema holding one stack's state: the stack's name, after `schema_name` if given."""
    prefix = config.get("schema_name")
    return f"{prefix}-{stack_name}" if prefix else stack_name


def backend_arguments(kind: str, config: Mapping[str, Any], stack_name: str) -> dict[str, Any]:
    """The arguments of one stack's backend block (secrets were refused when the site was read)."""
    arguments = dict(config)
    if kind == "pg":
        arguments["schema_name"] = pg_schema(config, stack_name)
    elif kind == "s3":
        arguments["key"] = s3_key(config, stack_name)
    return arguments


def s3_key(config: Mapping[str, Any], stack_name: str) -> str:
    """The S3 object holding one stack's state: `<key>/<stack>.tfstate` (`key` is the folder)."""
    folder = str(config.get("key") or "").strip("/")
    return f"{folder}/{stack_name}.tfstate" if folder else f"{stack_name}.tfstate"
