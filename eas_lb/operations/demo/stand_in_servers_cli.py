"""The declaration of `eas-lb eas-servers`: its options, help and example; `run` is in `stand_in_servers`.

Apart from that module so that `eas-lb eas-servers --help` loads neither the site models nor SSH.
"""

from __future__ import annotations

import click

from eas_lb.operations.command_line import PATH, declare

OPTIONS = (
    click.option("--site", type=PATH, default=None, metavar="SITE.yaml", help="default: $EAS_SITE"),
    click.option("--pools", type=PATH, multiple=True, help="a pools file (repeatable)"),
    click.option(
        "--control-dir", type=PATH, default=None, help="where each server's stop/start control files go"
    ),
)
command = declare(
    "eas-servers",
    "eas_lb.operations.demo.stand_in_servers:run",
    OPTIONS,
    summary="lab only: stand-in EAS servers for every server of a site's pools (loopback)",
    example="eas-lb eas-servers --site site.yaml",
    details="Serve a stand-in EAS server for every server address and port of a site's pools files "
    "(--site, default $EAS_SITE) or of pools files (--pools), until SIGTERM or Ctrl-C. Loopback "
    "addresses only: for a lab, never for a real site.",
)
