"""The declaration of `eas-lb migrate-labels`: its options, help and example; `run` is in
`migrate_labels`.

Apart from that module so that `eas-lb migrate-labels --help` loads neither the site models nor
the state reader.
"""

from __future__ import annotations

import os
from pathlib import Path

import click

from eas_lb.operations.command_line import PATH, declare, details_of, site_option

OPTIONS = (
    site_option(),
    click.option(
        "--synth-dir",
        type=PATH,
        default=lambda: Path(os.environ.get("CDKTF_OUTDIR") or "cdktf.out"),
        help="cdktf output (default: $CDKTF_OUTDIR, else cdktf.out)",
    ),
    click.option("--terraform", default="terraform", help="the terraform binary (default: on PATH)"),
)
command = declare(
    "migrate-labels",
    "eas_lb.operations.commands.migrate_labels:run",
    OPTIONS,
    summary="keep the position labels (EAS_SSS-<n>) of a deployed site: record them, re-create nothing",
    example="eas-lb migrate-labels --site site.yaml",
    details=details_of("eas_lb.operations.commands.migrate_labels"),
)
