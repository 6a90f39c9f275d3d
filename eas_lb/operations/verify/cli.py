"""The declaration of `eas-lb verify`: its options, help and example; `run` is in `command`.

Apart from the command module so that `eas-lb verify --help` loads neither the HTTP client nor the
site models.
"""

from __future__ import annotations

import click

from eas_lb.operations.command_line import declare, site_option

_HOOKS = "(--disruptive; {ip} and {name} are filled in)"
OPTIONS = (
    site_option("the site file (YAML); default: $EAS_SITE"),
    click.option("--json", is_flag=True, help="print the report as JSON"),
    click.option(
        "--disruptive",
        is_flag=True,
        help="also run the drain, health-check and fail-over tests (they interrupt users: never on a live "
        "system)",
    ),
    click.option(
        "--client-netns",
        envvar="EAS_VERIFY_CLIENT_NETNS",
        metavar="NETNS",
        help="connect to the service (Layer 4 NAT) VIPs from this network namespace and check their data "
        "path: a kernel-NAT lab's client (root); default: $EAS_VERIFY_CLIENT_NETNS",
    ),
    click.option("--server-stop-cmd", help=f"stop the EAS server at {{ip}} {_HOOKS}"),
    click.option("--server-start-cmd", help=f"start the EAS server at {{ip}} {_HOOKS}"),
    click.option("--appliance-stop-cmd", help=f"stop (power off) the appliance {{name}} {_HOOKS}"),
    click.option("--appliance-start-cmd", help=f"start the appliance {{name}} again {_HOOKS}"),
)
command = declare(
    "verify",
    "eas_lb.operations.verify.command:run",
    OPTIONS,
    summary="check that the deployed VIPs answer as the pools say",
    example="eas-lb verify --site site.yaml --json",
)
