"""The Terraform backend of a stack, from the site file's `backend` section."""

from __future__ import annotations

from eas_lb.inputs.backend_config import backend_arguments, secret_problems
from eas_lb.inputs.site import Backend
from eas_lb.synth.framework import LocalBackend, PgBackend, S3Backend, TerraformStack


def configure_backend(stack: TerraformStack, backend: Backend) -> None:
    """Add the site's backend to `stack`.

    `local`: cdktf's default, one state file per stack, `terraform.<stack>.tfstate` in the project
    directory (not inside `cdktf.out`, which synth rewrites), unless `config.path` is given.
    `pg`: `config` passed through, except `schema_name`: each stack gets its own schema (see
    `eas_lb.inputs.backend_config`); without `conn_str` Terraform reads it from `PG_CONN_STR`.
    `s3`: the `config` mapping passed through as the backend's arguments (snake_case, e.g.
    `bucket`, `region`), except `key`, the folder of the per-stack state objects.
    A secret among the arguments is refused, never synthesized.
    """
    secrets = secret_problems(backend.kind, backend.config)
    if secrets:
        where, message = secrets[0]
        raise ValueError(f"backend.config.{'.'.join(where)}: {message}")
    config = backend_arguments(backend.kind, backend.config, stack.node.id)
    try:
        if backend.kind == "local":
            if config:
                LocalBackend(stack, **config)
        elif backend.kind == "pg":
            conn_str = config.pop("conn_str", None)
            pg = PgBackend(stack, conn_str=conn_str or "", **config)
            if conn_str is None:
                pg.add_override("conn_str", None)  # Terraform reads PG_CONN_STR from the environment
        else:
            S3Backend(stack, **config)
    except TypeError as error:
        raise ValueError(f"backend {backend.kind}: {error}; check backend.config in the site file") from None
