"""The declaration of `eas-lb drift`: its options, help and example; `run` is in `command`.

Apart from the command module so that `eas-lb drift --help` loads neither the HTTP client nor the
plan models.
"""

from __future__ import annotations

from pathlib import Path

import click

from eas_lb.operations.command_line import PATH, declare, details_of, site_option

OPTIONS = (
    site_option(),
    click.option("--json", is_flag=True, help="print the report as JSON on standard output"),
    click.option("--out", type=PATH, metavar="FILE.md", help="also write the markdown report here"),
    click.option("--synth-dir", type=PATH, default=Path("cdktf.out"), show_default=True, help="cdktf output"),
    click.option("--terraform", default="terraform", show_default=True, help="terraform executable"),
)
command = declare(
    "drift",
    "eas_lb.operations.drift.command:run",
    OPTIONS,
    summary="read-only: what changed on the appliances outside the code since the last deploy",
    example="eas-lb drift --site site.yaml --json",
    details=details_of("eas_lb.operations.drift.command"),
)
