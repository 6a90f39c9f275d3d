"""`python -m eas_lb backup --site SITE.yaml [--appliance NAME]...`: copy lb_config.xml now.

Uses the site's `backup:` section. Exit status 0 when every appliance was copied (or its newest
copy is already the same), 1 when any copy failed (the others are still taken), 2 when the site
file is unusable.
"""

from __future__ import annotations

import argparse
import sys

from eas_lb.inputs.pools import InputFileError
from eas_lb.inputs.site import load_site
from eas_lb.operations.site_option import add_site_option
from eas_lb.operations.ssh.backups import (
    BackupError,
    appliance_access,
    backup_settings,
    describe,
    take_backups,
)

EXIT_FAILED = 1
EXIT_INPUT = 2


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_site_option(parser)
    parser.add_argument(
        "--appliance", action="append", metavar="NAME", help="only this appliance (repeatable; default: all)"
    )


def run(args: argparse.Namespace) -> int:
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
