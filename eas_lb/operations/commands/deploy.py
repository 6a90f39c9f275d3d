"""`python -m eas_lb deploy --site SITE.yaml [--stack NAME]... [--no-backup] [-- CDKTF DEPLOY ARGS]`.

`cdktf deploy`, preceded by a backup of lb_config.xml from every appliance the deployed stacks
configure (the `-lb` stacks: both nodes of their pair), taken with the site's `backup:` section.
If any backup fails, nothing is deployed. `--no-backup` is the explicit way to deploy without
copies. Without `--stack`, every `-lb` stack of the site is deployed (VM stacks are named
explicitly: they need the hypervisor, and they change no appliance configuration). Arguments after
`--` go to `cdktf deploy` unchanged (`--auto-approve`, `--skip-synth`, `--output DIR`, ...).

Exit status: cdktf's own (0 deployed), 2 unusable input, 4 a backup failed (nothing deployed).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

from eas_lb.inputs.pools import InputFileError
from eas_lb.inputs.site import Deployment, load_deployment
from eas_lb.operations.demo.deploy import cdktf_command, cdktf_env
from eas_lb.operations.site_option import add_site_option
from eas_lb.operations.ssh.backups import (
    BackupError,
    appliance_access,
    backup_settings,
    describe,
    take_backups,
)

EXIT_INPUT = 2
EXIT_BACKUP_FAILED = 4


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = __doc__.split("\n\n", 1)[1] if __doc__ else None
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    add_site_option(parser)
    parser.add_argument("--stack", action="append", default=[], metavar="NAME", help="repeatable")
    parser.add_argument(
        "--no-backup", action="store_true", help="deploy without copying lb_config.xml first (not advised)"
    )
    parser.add_argument(
        "--app-dir", type=Path, default=Path.cwd(), help="where cdktf.json is (default: current directory)"
    )
    parser.add_argument("cdktf_args", nargs="*", metavar="-- CDKTF_ARGS", help="passed to cdktf deploy")


def _say(line: str) -> None:
    print(f"==> {line}", flush=True)


def _stacks(deployment: Deployment, wanted: list[str]) -> tuple[list[str], list[str]]:
    """(stacks to deploy, appliances they configure); unknown names raise ValueError."""
    from eas_lb.synth.stacks.lb import lb_stack_name
    from eas_lb.synth.stacks.vms import vm_stack_name

    site = deployment.site
    lb = {lb_stack_name(site, plan): plan for plan in deployment.pairs}
    vms = {vm_stack_name(site, plan) for plan in deployment.pairs} if site.hypervisor else set()
    chosen = wanted or list(lb)
    unknown = [name for name in chosen if name not in lb and name not in vms]
    if unknown:
        raise ValueError(
            f"no stack {', '.join(unknown)} in this site (known: {', '.join([*lb, *sorted(vms)])})"
        )
    appliances = [node.name for name in chosen if name in lb for node in lb[name].pair.nodes]
    return chosen, appliances


def _backups(deployment: Deployment, source: Path, appliances: list[str]) -> int | None:
    """Take the backups; an exit status when the deploy must stop, else None."""
    try:
        backup = backup_settings(deployment.site, source)
        access = appliance_access(deployment.site, backup, appliances)
    except BackupError as error:
        print(f"deploy: {error}\nor pass --no-backup to deploy without copies", file=sys.stderr)
        return EXIT_INPUT
    _say(f"backing up lb_config.xml of {', '.join(appliances)} to {backup.directory}")
    done, failed = take_backups(backup, access)
    for copy in done:
        _say(describe(copy))
    if failed:
        for message in failed:
            print(f"deploy: {message}", file=sys.stderr)
        print(
            "deploy: stopped before any change, because not every appliance could be backed up; fix the "
            "cause above, or deploy without copies with --no-backup",
            file=sys.stderr,
        )
        return EXIT_BACKUP_FAILED
    return None


def _cdktf(app_dir: Path) -> list[str]:
    local = app_dir / "node_modules" / ".bin" / "cdktf"
    if local.exists():
        return [str(local)]
    found = shutil.which("cdktf")
    return [found] if found else cdktf_command()


def run(args: argparse.Namespace) -> int:
    app_dir: Path = args.app_dir
    if not (app_dir / "cdktf.json").exists():
        print(f"deploy: no cdktf.json in {app_dir}: run it where the site's cdktf app is", file=sys.stderr)
        return EXIT_INPUT
    try:
        deployment = load_deployment(args.site)
        stacks, appliances = _stacks(deployment, args.stack)
    except InputFileError as error:
        print(error, file=sys.stderr)
        return EXIT_INPUT
    except ValueError as error:
        print(f"deploy: {error}", file=sys.stderr)
        return EXIT_INPUT
    if args.no_backup:
        _say("deploying WITHOUT a backup of lb_config.xml (--no-backup)")
    elif appliances:
        stop = _backups(deployment, args.site, appliances)
        if stop is not None:
            return stop
    try:
        command = [*_cdktf(app_dir), "deploy", *stacks, *args.cdktf_args]
    except FileNotFoundError as error:
        print(f"deploy: {error}", file=sys.stderr)
        return EXIT_INPUT
    _say(f"cdktf deploy {' '.join([*stacks, *args.cdktf_args])}")
    result = subprocess.run(command, cwd=app_dir, env=cdktf_env(args.site, {}), check=False)
    return result.returncode
