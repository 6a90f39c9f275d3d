"""The declaration of `eas-lb fetch-pools`: its options, help and example; `run` is in `fetch_pools`.

Apart from that module so that `eas-lb fetch-pools --help` loads neither the site models nor SSH (paramiko).
"""

from __future__ import annotations

import click

from eas_lb.operations.command_line import declare, details_of, site_option

OPTIONS = (
    site_option(),
    click.option("--write", is_flag=True, help="replace the site's pools.txt with the fetched one"),
    # Options then declare(), as check_cli.py, restore_cli.py, new_site/cli.py do; each its own command.
    click.option("--require-all", is_flag=True, help="fail (status 1) when any EAS server cannot be read"),
    click.option("--json", is_flag=True, help="print the outcome as JSON"),
)
command = declare(
    "fetch-pools",
    "eas_lb.operations.commands.fetch_pools:run",
    OPTIONS,
    summary="fetch pools.txt from the EAS servers, compare it",
    example="eas-lb fetch-pools --site site.yaml --write",
    details=details_of("eas_lb.operations.commands.fetch_pools"),
)
