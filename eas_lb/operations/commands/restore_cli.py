"""The declaration of `eas-lb restore`: its options, help and example; `run` is in `restore`.

Apart from that module so that `eas-lb restore --help` loads neither the site models nor SSH.
"""

from __future__ import annotations

import click

from eas_lb.operations.command_line import PATH, declare, site_option

OPTIONS = (
    site_option(),
    click.option("--from", "source", type=PATH, required=True, metavar="FILE", help="a saved copy"),
    click.option("--appliance", required=True, metavar="NAME", help="the appliance to restore"),
    # Options then declare(), as check_cli.py, fetch_pools_cli.py, new_site/cli.py do; each its own command.
    click.option("--yes", is_flag=True, help="do not ask for confirmation"),
)
command = declare(
    "restore",
    "eas_lb.operations.commands.restore:run",
    OPTIONS,
    summary="put a saved lb_config.xml back and reload the services",
    example="eas-lb restore --site site.yaml --appliance lb1 --from backups/lb1.xml",
)
