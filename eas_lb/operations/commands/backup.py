"""`eas-lb backup --site SITE.yaml [--appliance NAME]...`: copy lb_config.xml now.

Uses the site's `backup:` section. Exit status 0 when every appliance was copied (or its newest
copy is already the same), 1 when any copy failed (the others are still taken) or the site file
is unusable (docs/command-line.md: one table of exit codes).
"""

from __future__ import annotations

import sys

from eas_lb.inputs.pools import InputFileError
from eas_lb.inputs.site import load_site
from eas_lb.operations.command_line import Options
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
