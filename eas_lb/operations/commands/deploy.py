"""`eas-lb deploy --site SITE.yaml [--stack NAME]... [--no-backup] [-- CDKTF DEPLOY ARGS]`.

`cdktf deploy`, preceded by a backup of lb_config.xml from every appliance the deployed stacks
configure (the `-lb` stacks: both nodes of their pair), taken with the site's `backup:` section.
If any backup fails, nothing is deployed. `--no-backup` is the explicit way to deploy without
copies. Without `--stack`, every `-lb` stack of the site is deployed (VM stacks are named
explicitly: they need the hypervisor, and they change no appliance configuration). Arguments after
`--` go to `cdktf deploy` unchanged (`--auto-approve`, `--skip-synth`, `--output DIR`, ...).

Nothing runs without the lborg provider's mirror configured (`TF_CLI_CONFIG_FILE`, which the
site's `env.sh` exports): Terraform would otherwise look for the provider on the network. Without
a terminal, cdktf runs in its CI mode, so that logs get the final output, not a spinner's frames.

An appliance of the stacks that does not answer on its API port stops it before any backup: the
tool changes an HA pair only with both nodes up, and the message says what to do meanwhile.

Before `cdktf deploy`, `deploy` reads the lb stacks' Terraform state (synthesizing first when
there is no synthesized stack) and keeps the labels of real servers deployed when labels were by
position (`EAS_SSS-<n>`), as `migrate-labels` does: a site deployed by an earlier version then
upgrades with no real server re-created and no reload. Once they are recorded it adds nothing.

With the local backend, a state file left empty beside a backup that holds resources (what a
`terraform` killed while writing its state leaves) stops the deploy (or destroy) before anything
runs, with the command that puts the backup back: from the empty file a deploy would create every
object again, and a destroy would remove nothing and report success.

Exit status: cdktf's own (0 deployed), 2 unusable input, 4 a backup failed (nothing deployed),
5 an appliance does not answer (nothing deployed).
"""

from __future__ import annotations

import argparse
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

from eas_lb.inputs.pools import InputFileError
from eas_lb.inputs.site import Deployment, load_deployment
from eas_lb.inputs.site_ssh import Backup
from eas_lb.operations.appliances.reachability import refusal, silent_nodes
from eas_lb.operations.site_option import add_site_option
from eas_lb.operations.ssh.backups import (
    ApplianceAccess,
    BackupError,
    appliance_access,
    backup_settings,
    describe,
    take_backups,
)
from eas_lb.operations.terraform.cdktf import CLI, cdktf_command, cdktf_env, quiet_env
from eas_lb.operations.terraform.state import emptied_local_state

EXIT_INPUT = 2
EXIT_BACKUP_FAILED = 4
EXIT_NODE_DOWN = 5


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_cdktf_arguments(parser, "deploy", __doc__)


def add_cdktf_arguments(parser: argparse.ArgumentParser, verb: str, doc: str | None) -> None:
    """The options `deploy` and `destroy` share: they differ only in the cdktf command they end with."""
    parser.description = doc.split("\n\n", 1)[1] if doc else None
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    add_site_option(parser)
    parser.add_argument("--stack", action="append", default=[], metavar="NAME", help="repeatable")
    parser.add_argument(
        "--no-backup", action="store_true", help=f"{verb} without copying lb_config.xml first (not advised)"
    )
    parser.add_argument(
        "--app-dir", type=Path, default=Path.cwd(), help="where cdktf.json is (default: current directory)"
    )
    parser.add_argument("cdktf_args", nargs="*", metavar="-- CDKTF_ARGS", help=f"passed to cdktf {verb}")


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


def _emptied_states(deployment: Deployment, stacks: list[str], site_file: Path, verb: str) -> list[str]:
    """The refusal for each stack whose local state a killed `terraform` emptied (none: []).

    From the empty file a deploy would create every object again (each one refused as made
    outside the configuration), and a destroy would destroy nothing and say it succeeded."""
    effect = {
        "deploy": "a deploy from it would try to create every object again (each one refused as "
        "made outside the configuration)",
        "destroy": "a destroy from it would remove nothing from the appliances and report success",
    }[verb]
    lines = []
    for stack in stacks:
        emptied = emptied_local_state(site_file, deployment.site, stack)
        if emptied is None:
            continue
        lines.append(
            f"{verb}: stopped before anything ran: {emptied.path.name} is empty, but "
            f"{emptied.backup.name} holds {emptied.resources} resources. A terraform killed while "
            f"writing its state empties the file, and {effect}.\n"
            f"{verb}: to fix it, put the backup back, then {verb} again (what the killed apply "
            f"created is taken over): cp {shlex.quote(str(emptied.backup))} "
            f"{shlex.quote(str(emptied.path))}"
        )
    return lines


def _backup_access(
    deployment: Deployment, source: Path, appliances: list[str], verb: str
) -> tuple[Backup, list[ApplianceAccess]] | int:
    """The site's backup settings for these appliances, or EXIT_INPUT with the mistake printed.

    Read before any appliance is contacted: a mistake in the site file is reported as such, not
    hidden behind an appliance that happens to be down.
    """
    try:
        backup = backup_settings(deployment.site, source)
        return backup, appliance_access(deployment.site, backup, appliances)
    except BackupError as error:
        print(f"{verb}: {error}\nor pass --no-backup to {verb} without copies", file=sys.stderr)
        return EXIT_INPUT


def _backups(backup: Backup, access: list[ApplianceAccess], verb: str) -> int | None:
    """Take the backups; an exit status when the deploy (or destroy) must stop, else None."""
    _say(f"backing up lb_config.xml of {', '.join(item.node.name for item in access)} to {backup.directory}")
    done, failed = take_backups(backup, access)
    for copy in done:
        _say(describe(copy))
    if failed:
        for message in failed:
            print(f"{verb}: {message}", file=sys.stderr)
        print(
            f"{verb}: stopped before any change, because not every appliance could be backed up; fix the "
            f"cause above, or {verb} without copies with --no-backup",
            file=sys.stderr,
        )
        return EXIT_BACKUP_FAILED
    return None


def _synth_dir(app_dir: Path, env: dict[str, str], cdktf_args: list[str]) -> Path:
    """Where cdktf writes the stacks: `--output DIR`, else `$CDKTF_OUTDIR`, else `cdktf.out`."""
    chosen = env.get("CDKTF_OUTDIR") or "cdktf.out"
    for index, argument in enumerate(cdktf_args):
        if argument in ("--output", "-o") and index + 1 < len(cdktf_args):
            chosen = cdktf_args[index + 1]
        elif argument.startswith("--output="):
            chosen = argument.split("=", 1)[1]
    return app_dir / chosen


def _keep_position_labels(
    deployment: Deployment, stacks: list[str], app_dir: Path, env: dict[str, str], cdktf_args: list[str]
) -> int | None:
    """Keep the labels of a site deployed when real servers were labelled by position, before
    `cdktf deploy` would re-create them (`migrate-labels`); an exit status when it must stop."""
    from eas_lb.guide.kept_labels import KeptLabelsError
    from eas_lb.operations.commands.migrate_labels import keep_position_labels
    from eas_lb.operations.terraform.state import StateReadError
    from eas_lb.synth.stacks.lb import lb_stack_name

    site = deployment.site
    lb = [name for name in stacks if name in {lb_stack_name(site, plan) for plan in deployment.pairs}]
    if not lb:
        return None
    synth_dir = _synth_dir(app_dir, env, cdktf_args)
    if not all((synth_dir / "stacks" / name / "cdk.tf.json").is_file() for name in lb):
        _say("cdktf synth, to read the stacks' state before the deploy")
        stop = _synth(app_dir, env, synth_dir)
        if stop is not None:
            return stop
    try:
        kept = keep_position_labels(deployment, synth_dir, lb, env=env)
    except (StateReadError, KeptLabelsError) as error:
        print(
            f"deploy: stopped before any change: the real-server labels the stacks' state holds could not "
            f"be read, and without them this version would re-create real servers: {error}",
            file=sys.stderr,
        )
        return EXIT_INPUT
    if kept.record is None:
        return None
    _say(f"kept {kept.added} real-server labels of the deployed site, in {kept.record} (commit it):")
    for line in kept.lines:
        _say(f"  {line}")
    if "--skip-synth" in cdktf_args:  # the synthesized stacks lack the moves the record now asks for
        _say("cdktf synth again, so that the deploy moves the kept real servers instead of re-creating them")
        return _synth(app_dir, env, synth_dir)
    return None


def _synth(app_dir: Path, env: dict[str, str], synth_dir: Path) -> int | None:
    """`cdktf synth` into `synth_dir`; its exit status (and output) when it failed, else None."""
    command = [*_cdktf(app_dir), "synth", "--output", str(synth_dir)]
    synth = subprocess.run(command, cwd=app_dir, env=env, capture_output=True, text=True, check=False)
    if synth.returncode != 0:
        print(f"{synth.stdout}{synth.stderr}".rstrip(), file=sys.stderr)
        return synth.returncode
    return None


def _cdktf(app_dir: Path) -> list[str]:
    """The chosen framework's CLI (`cdktf` or `cdktn`): the site's own, else the one on PATH."""
    local = app_dir / "node_modules" / ".bin" / CLI
    if local.exists():
        return [str(local)]
    found = shutil.which(CLI)
    return [found] if found else cdktf_command()


def run(args: argparse.Namespace) -> int:
    return run_cdktf_verb(args, "deploy")


def run_cdktf_verb(args: argparse.Namespace, verb: str) -> int:
    """Back up the stacks' appliances, then `cdktf VERB STACKS...`; the exit status."""
    from lborg_provider.tools.cli_config import MirrorNotFound, configured_mirror

    app_dir: Path = args.app_dir
    if not (app_dir / "cdktf.json").exists():
        print(f"{verb}: no cdktf.json in {app_dir}: run it where the site's cdktf app is", file=sys.stderr)
        return EXIT_INPUT
    try:
        deployment = load_deployment(args.site)
        stacks, appliances = _stacks(deployment, args.stack)
    except InputFileError as error:
        print(error, file=sys.stderr)
        return EXIT_INPUT
    except ValueError as error:
        print(f"{verb}: {error}", file=sys.stderr)
        return EXIT_INPUT
    env = quiet_env(cdktf_env(args.site, {}), sys.stdout.isatty())
    try:
        configured_mirror(env)
    except MirrorNotFound as error:
        fix = "run `. ./env.sh` in the site's directory, or " if (app_dir / "env.sh").is_file() else ""
        print(
            f"{verb}: stopped before anything ran: {error}\n{verb}: to fix it, {fix}export "
            "TF_CLI_CONFIG_FILE as above (without it Terraform looks for the provider on the network)",
            file=sys.stderr,
        )
        return EXIT_INPUT
    emptied = _emptied_states(deployment, stacks, args.site, verb)
    if emptied:
        print("\n".join(emptied), file=sys.stderr)
        return EXIT_INPUT
    backups: tuple[Backup, list[ApplianceAccess]] | None = None
    if not args.no_backup and appliances:
        found = _backup_access(deployment, args.site, appliances, verb)
        if isinstance(found, int):
            return found
        backups = found
    silent = silent_nodes(deployment, stacks)
    if silent:
        print(refusal(verb, silent), file=sys.stderr)
        return EXIT_NODE_DOWN
    if verb == "deploy":
        stop = _keep_position_labels(deployment, stacks, app_dir, env, args.cdktf_args)
        if stop is not None:
            return stop
    if args.no_backup:
        _say(f"{verb}ing WITHOUT a backup of lb_config.xml (--no-backup)")
    elif backups is not None:
        stop = _backups(backups[0], backups[1], verb)
        if stop is not None:
            return stop
    quiet = [] if sys.stdout.isatty() or "--no-color" in args.cdktf_args else ["--no-color"]
    try:
        cli = _cdktf(app_dir)
    except FileNotFoundError as error:
        print(f"{verb}: {error}", file=sys.stderr)
        return EXIT_INPUT
    for batch in _batches(verb, stacks):
        _say(f"{CLI} {verb} {' '.join([*batch, *args.cdktf_args])}")
        result = subprocess.run(
            [*cli, verb, *batch, *args.cdktf_args, *quiet], cwd=app_dir, env=env, check=False
        )
        if result.returncode != 0:
            return result.returncode
    return 0


def _batches(verb: str, stacks: list[str]) -> list[list[str]]:
    """The stacks of each cdktf run: all at once for a deploy, one per run (last first) for a destroy.

    `cdktf destroy` of several stacks in one command (cdktf-cli 0.21) can stop for good: its first
    stack's `terraform destroy` waits on cdktf's terminal even with `--auto-approve`, while one
    stack per command finishes. The stacks of one site do not depend on each other's outputs, so
    destroying them one by one, in the reverse of the deploy order, changes nothing else.
    """
    if verb == "destroy" and len(stacks) > 1:
        return [[stack] for stack in reversed(stacks)]
    return [stacks]
