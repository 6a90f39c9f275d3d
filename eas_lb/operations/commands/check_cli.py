"""The declaration of `eas-lb check`: its options, help and example; `run` is in `check`.

Apart from that module so that `eas-lb check --help` loads neither pydantic nor the pools parser.
"""

from __future__ import annotations

import click

from eas_lb.operations.command_line import PATH, declare
from eas_lb.operations.site_option import default_site

OPTIONS = (
    click.argument("pools", type=PATH, required=False, metavar="[POOLS.txt]"),
    click.option(
        "--site",
        type=PATH,
        metavar="SITE.yaml",
        default=default_site,
        help="also check against this site file (default: $EAS_SITE, else ./site.yaml when there is one)",
    ),
    # Options then declare(), as fetch_pools_cli.py, restore_cli.py, new_site/cli.py do; each its own command.
    click.option("--json", is_flag=True, help="print the pools (or the problems) as one JSON object"),
)
command = declare(
    "check",
    "eas_lb.operations.commands.check:run",
    OPTIONS,
    summary="parse a pools.txt (and a site file) and print its pools",
    example="eas-lb check pools.txt --site site.yaml --json",
)
