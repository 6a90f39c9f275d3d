"""The declaration of `eas-lb backup`: its options, help and example; `run` is in `backup`.

Apart from that module so that `eas-lb backup --help` loads neither the site models nor SSH.
"""

from __future__ import annotations

import click

from eas_lb.operations.command_line import declare, site_option

OPTIONS = (
    site_option(),
    click.option(
        "--appliance",
        multiple=True,
        metavar="NAME",
        callback=lambda _context, _option, names: list(names) or None,  # none given: all of them
        help="only this appliance (repeatable; default: all)",
    ),
)
command = declare(
    "backup",
    "eas_lb.operations.commands.backup:run",
    OPTIONS,
    summary="copy lb_config.xml from the appliances over SSH now",
    example="eas-lb backup --site site.yaml --appliance lb1",
)
