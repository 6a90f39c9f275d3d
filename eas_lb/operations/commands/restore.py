"""`eas-lb restore --site SITE.yaml --from FILE --appliance NAME [--yes]`: put a copy back.

Shows how FILE differs from the appliance's lb_config.xml (secret values hidden), asks for
confirmation (`--yes` skips the question; without a terminal, `--yes` is required), saves the
file being replaced as a backup, writes FILE in its place and reloads the services through the
API. Exit status: 0 restored (or nothing to restore), 1 failed, unusable input or not confirmed.
"""

from __future__ import annotations

import sys

from eas_lb.inputs.pools import InputFileError
from eas_lb.inputs.site import load_site
from eas_lb.operations.appliances.clients import MissingCredentialsError, client_for
from eas_lb.operations.command_line import Options
from eas_lb.operations.ssh.backups import (
    BackupError,
    appliance_access,
    backup_settings,
    check_configuration,
    store_copy,
)
from eas_lb.operations.ssh.restore import plan_restore
from eas_lb.operations.ssh.session import SshError, read_remote_if_present, replace_remote, sftp_session
from lborg_provider.client import ApplianceError

EXIT_FAILED = 1
EXIT_INPUT = 1
EXIT_NOT_CONFIRMED = 1


def _fail(message: str, code: int = EXIT_FAILED) -> int:
    print(f"restore: {message}", file=sys.stderr)
    return code


def _confirmed(question: str) -> bool | None:
    if not sys.stdin.isatty():
        return None
    try:
        answer = input(f"{question} [y/N] ")
    except EOFError:
        return False
    return answer.strip().lower() in {"y", "yes"}


def run(args: Options) -> int:
    try:
        site = load_site(args.site)
        backup = backup_settings(site, args.site)
        access = appliance_access(site, backup, [args.appliance])[0]
        saved = args.source.read_bytes()
        check_configuration(saved, str(args.source))
    except (InputFileError, BackupError) as error:
        return _fail(str(error), EXIT_INPUT)
    except OSError as error:
        return _fail(f"cannot read {args.source}: {error.strerror}", EXIT_INPUT)
    try:
        with sftp_session(access.target) as sftp:
            current = read_remote_if_present(sftp, access.target, access.config_path)
            if current is None:
                print(f"{access.name}: {access.config_path} does not exist on the appliance")
            plan = plan_restore(access, current or b"", saved, str(args.source))
            if not plan.changes_anything:
                print(
                    f"{access.name}: {access.config_path} is already the same as {args.source}; nothing to do"
                )
                return 0
            for line in plan.diff:
                print(line)
            if plan.secrets_differ:
                print(f"(values hidden above also differ: {', '.join(plan.secrets_differ)})")
            for line in plan.summary():
                print(line)
            question = f"Restore {args.source} to {access.name} and reload {', '.join(plan.reloads)}?"
            if not args.yes:
                answer = _confirmed(question)
                if answer is None:
                    return _fail("not a terminal: pass --yes to restore without asking", EXIT_NOT_CONFIRMED)
                if not answer:
                    return _fail("not confirmed; nothing was changed", EXIT_NOT_CONFIRMED)
            if current is not None:
                kept = store_copy(backup, access.name, current)
                print(f"{access.name}: the file being replaced is kept as {kept.path}")
            replace_remote(sftp, access.target, access.config_path, saved)
    except (SshError, BackupError) as error:
        return _fail(str(error))
    except OSError as error:
        return _fail(f"cannot save the replaced file in {backup.directory}: {error}")
    print(f"{access.name}: wrote {access.config_path}")
    try:
        client = client_for(site, access.node, timeout_seconds=60.0)
        client.run([{"action": f"reload-{service}"} for service in plan.reloads])
    except (MissingCredentialsError, ApplianceError) as error:
        return _fail(
            f"{access.name}: the file is restored but the services were not reloaded: {error}; "
            f"reload them ({', '.join('reload-' + s for s in plan.reloads)}) before anything else changes"
        )
    print(f"{access.name}: reloaded {', '.join(plan.reloads)}")
    return 0
