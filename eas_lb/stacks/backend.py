"""The Terraform backend of a stack, from the site file's `backend` section."""

from __future__ import annotations

from cdktf import LocalBackend, PgBackend, S3Backend, TerraformStack

from eas_lb.site import Backend


def configure_backend(stack: TerraformStack, backend: Backend) -> None:
    """Add the site's backend to `stack`.

    `local`: cdktf's default, one state file per stack, `terraform.<stack>.tfstate` in the project
    directory (not inside `cdktf.out`, which synth rewrites), unless `config.path` is given.
    `pg` and `s3`: the `config` mapping passed through as the backend's arguments (snake_case,
    e.g. `conn_str`, `bucket`, `key`, `region`).
    """
    config = dict(backend.config)
    try:
        if backend.kind == "local":
            if config:
                LocalBackend(stack, **config)
        elif backend.kind == "pg":
            PgBackend(stack, **config)
        else:
            S3Backend(stack, **config)
    except TypeError as error:
        raise ValueError(f"backend {backend.kind}: {error}; check backend.config in the site file") from None
