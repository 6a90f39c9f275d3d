"""The declaration of `eas-lb servers`: its options, help and example; `run` is in `command`.

Apart from the command module so that `eas-lb servers --help` loads neither the HTTP client nor the
site models.
"""

from __future__ import annotations

import click

from eas_lb.operations.command_line import declare, site_option

OPTIONS = (
    site_option("the site file (YAML); default: $EAS_SITE, else ./site.yaml"),
    # Option rows alike plan_review/cli.py's in shape; each command declares its own flags.
    click.option(
        "--detail",
        is_flag=True,
        help="one row per real server, VIP and appliance (default: one line per EAS server)",
    ),
    click.option(
        "--json", is_flag=True, help="print the servers as JSON: each EAS server and each real server"
    ),
    click.option(
        "--wait-drained",
        is_flag=True,
        help="wait until every drained server has been seen draining for its pool's drain time (read-only; "
        "polls the appliances); API v2 reports no established connections, so long-lived ones may "
        "still be open then",
    ),
    click.option(
        "--timeout",
        type=float,
        metavar="SECONDS",
        help="give up waiting after this long (default: the longest drain time of the site plus 120 s)",
    ),
    click.option("--interval", type=float, default=5.0, metavar="SECONDS", help="seconds between reads"),
)
command = declare(
    "servers",
    "eas_lb.operations.servers.command:run",
    OPTIONS,
    summary="one line per EAS server, --detail per VIP and appliance, read-only; --wait-drained",
    example="eas-lb servers --site site.yaml --json",
)
