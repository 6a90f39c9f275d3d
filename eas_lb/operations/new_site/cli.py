"""The declaration of `eas-lb new-site`: its options, help and example; `run` is in `command`.

Apart from the command module so that `eas-lb new-site --help` loads neither the templates nor the
framework's choice.
"""

from __future__ import annotations

from typing import Any

import click

from eas_lb.operations.command_line import PATH, declare, repeatable

_SERVICE = "scenario 1, the service network (a placeholder when not given): "


def _excludes(other: str) -> Any:
    """A callback refusing `--ca-file` beside `--lab` (whichever is read second): the lab writes the CA."""

    def check(context: click.Context, _option: click.Parameter, value: Any) -> Any:
        if value and context.params.get(other):
            raise click.UsageError("--ca-file and --lab exclude each other: the lab writes its own CA")
        return value

    return check


OPTIONS = (
    click.argument("directory", type=PATH, metavar="DIR"),
    click.option("--name", help="site name, part of the stack names (default: DIR's name)"),
    click.option(
        "--scenario",
        type=click.Choice(("1", "2")),
        help="1: a separate service network (Layer 4 service VIPs); 2: management only (default)",
    ),
    click.option(
        "--topology",
        type=click.Choice(("one-pair", "two-pairs")),
        help="scenario 1 only: one-pair (one HA pair with arms in every network, default) or two-pairs "
        "(deployment guide 8.1: a Layer 4 pair connects the external clients to the service network, "
        "a Layer 7 pair sits in the management network; one pools.txt feeds both)",
    ),
    click.option(
        "--pairs",
        type=int,
        help="number of HA pairs (default 1; two-pairs: 2); with one-pair, each further pair serves "
        "a pools file of its own",
    ),
    click.option("--single", is_flag=True, help="one appliance per pair, no HA"),
    repeatable(
        "--appliance",
        metavar="IP[:PORT]",
        help="API address of each appliance in order: pair 1 primary, pair 1 secondary, ... "
        "(repeatable; port 9443 when omitted)",
    ),
    click.option(
        "--management-prefix", type=int, default=24, show_default=True, help="prefix length of eth0"
    ),
    repeatable("--service-ip", metavar="IP/PREFIX", help=f"{_SERVICE}eth1 of each appliance, in order"),
    click.option("--service-vip", metavar="IP", help=f"{_SERVICE}VIP of the service pools whose IP is '-'"),
    click.option("--eas-service-subnet", metavar="NET/PREFIX", help=f"{_SERVICE}the EAS servers' subnet"),
    click.option(
        "--service-gateway", metavar="IP", help=f"{_SERVICE}floating IP the EAS servers route through"
    ),
    click.option(
        "--ca-file",
        type=PATH,
        callback=_excludes("lab"),
        help="the appliances' CA certificate, copied to ca/",
    ),
    click.option(
        "--lab",
        is_flag=True,
        callback=_excludes("ca_file"),
        help="the appliances are simulated on loopback by `eas-lb lab up`, which writes "
        "their CA to lab/ca/ca.pem (every --appliance must be on 127.x)",
    ),
    click.option(
        "--eas-lb-requirement", help="the eas-lb line of requirements.txt (default: eas-lb==VERSION)"
    ),
    click.option(
        "--framework",
        type=click.Choice(("cdktf", "cdktn")),
        default="cdktf",
        help="the CDK the site runs on: cdktf (default) or its community fork CDK Terrain (cdktn), "
        "pinned in the site's requirements.txt and package.json, set in its env.sh",
    ),
    # Options then declare(), as check_cli.py, restore_cli.py, fetch_pools_cli.py do; each its own command.
    click.option("--force", is_flag=True, help="overwrite files that exist in DIR"),
    click.option("--no-input", is_flag=True, help="never ask, even on a terminal"),
)
command = declare(
    "new-site",
    "eas_lb.operations.new_site.command:run",
    OPTIONS,
    summary="write a new site repository that uses this package",
    example="eas-lb new-site ../site-lab --lab --appliance 127.14.0.1 --appliance 127.14.0.2",
    details="Write a new site repository in DIR: site.yaml, a pools.txt placeholder, the cdktf app "
    "(main.py, cdktf.json) using the installed eas_lb, the plan-review workflow, README and "
    ".gitignore. Options not given are asked for on a terminal (Enter keeps the default shown) and "
    "default otherwise, so the command also works in scripts. Nothing is overwritten unless --force.",
)
