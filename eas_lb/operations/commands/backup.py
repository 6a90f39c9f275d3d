"""`eas-lb backup --site SITE.yaml [--appliance NAME]...`: copy lb_config.xml now.

Uses the site's `backup:` section. Exit status 0 when every appliance was copied (or its newest
copy is already the same), 1 when any copy failed (the others are still taken) or the site file
is unusable (docs/command-line.md: one table of exit codes).
"""

from __future__ import annotations

import sys

import click

from eas_lb.inputs.pools import InputFileError
from eas_lb.inputs.site import load_site
from eas_lb.operations.command_line import Options, declare, site_option
from eas_lb.operations.ssh.backups import (
    BackupError,
    appliance_access,
    backup_settings,
    describe,
    take_backups,
)

EXIT_FAILED = 1
EXIT_INPUT = 1


def run(args: Options) -> int:
    try:
        site = load_site(args.site)
        backup = backup_settings(site, args.site)
        appliances = appliance_access(site, backup, args.appliance)
    except (InputFileError, BackupError) as error:
        print(f"backup: {error}", file=sys.stderr)
        return EXIT_INPUT
    done, failed = take_backups(backup, appliances)
    for copy in done:
        print(describe(copy))
    for message in failed:
        print(f"backup: {message}", file=sys.stderr)
    return EXIT_FAILED if failed else 0


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
    run,
    OPTIONS,
    summary="copy lb_config.xml from the appliances over SSH now",
    example="eas-lb backup --site site.yaml --appliance lb1",
)
