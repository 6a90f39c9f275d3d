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

`--reviewed` applies instead exactly the plans `plan-review` saved (`--plans-dir`, default
`reviewed-plans`) with `terraform apply PLANFILE`, and refuses before anything changes when a
stack has no saved plan or its configuration or state changed since the review
(`reviewed_deploy`). Without it, `deploy` plans afresh (`cdktf deploy`) and says so.

Ctrl-C while cdktf or terraform runs lets Terraform stop gracefully and ends with one line saying
what was done and what is left (`interrupts`); anywhere else nothing has changed yet.

Exit status (docs/command-line.md): 0 deployed; 1 failed: unusable input, a backup failed or an
appliance does not answer (nothing deployed; the message says which), or cdktf failed; with
`--reviewed`, refused or failed; 130 interrupted (Ctrl-C) before cdktf ran to its end.
"""

from __future__ import annotations

import json
import shlex
import shutil
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from eas_lb.inputs.pools import InputFileError
from eas_lb.inputs.site import Deployment, load_deployment
from eas_lb.inputs.site_ssh import Backup
from eas_lb.operations.appliances.reachability import refusal, silent_nodes
from eas_lb.operations.command_line import Options
from eas_lb.operations.commands.drain_progress import DeployDrains
from eas_lb.operations.commands.interrupts import (
    deferred_interrupts,
    interrupted_line,
    quiet_dead_jsii_kernel,
    run_cdktf,
)
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
from lborg_support.countdown import Countdown

if TYPE_CHECKING:
    from eas_lb.operations.commands import reviewed_deploy as reviewed
from lborg_support.progress import say

#: Every stop before a change is "failed" (the table's 1); the message on stderr names the cause.
EXIT_INPUT = EXIT_BACKUP_FAILED = EXIT_NODE_DOWN = 1
#: Ctrl-C: what was done and what is left is said in one line.
EXIT_INTERRUPTED = 130
#: `deploy --reviewed`: every refusal and failure (the plans were not all applied).
EXIT_REVIEWED_REFUSED = 1


def _say(line: str) -> None:
    say(line)


def _stacks(deployment: Deployment, wanted: list[str]) -> tuple[list[str], list[str]]:
    """(stacks to deploy, appliances they configure); unknown names raise ValueError."""
    from eas_lb.synth.stacks.names import lb_stack_name, vm_stack_name

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
    from eas_lb.synth.stacks.names import lb_stack_name

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
    if kept.record is not None:
        _say(f"kept {kept.added} real-server labels of the deployed site, in {kept.record} (commit it):")
        for line in kept.lines:
            _say(f"  {line}")
        if "--skip-synth" in cdktf_args:  # the synthesized stacks lack the moves the record now asks for
            _say("cdktf synth again, so that the deploy moves the kept real servers, never re-creating them")
            stop = _synth(app_dir, env, synth_dir)
            if stop is not None:
                return stop
    _say_planned_drains(deployment, kept.states, synth_dir)
    return None


def _say_planned_drains(deployment: Deployment, states: Mapping[str, Any], synth_dir: Path) -> None:
    """Before `cdktf deploy`: the drains its apply starts (`plans.drain_notices`), from each lb
    stack's state and its synthesized configuration. A synth older than the site's files may not
    be what cdktf deploys: then nothing is said here (the drains are said when they start)."""
    from eas_lb.operations.plans.drain_notices import planned_drains

    now = time.time()
    inputs = [deployment.source, *(Path(plan.pools.source) for plan in deployment.pairs)]
    newest = max((path.stat().st_mtime for path in inputs if path.is_file()), default=0.0)
    for stack, state in states.items():
        config = synth_dir / "stacks" / stack / "cdk.tf.json"
        if not config.is_file() or config.stat().st_mtime < newest:
            continue
        for notice in planned_drains(stack, state, json.loads(config.read_text(encoding="utf-8"))):
            _say(notice.sentence(now))


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


def run(args: Options) -> int:
    status = run_cdktf_verb(args, "deploy")
    return (0 if status == 0 else EXIT_REVIEWED_REFUSED) if args.reviewed else status


def run_cdktf_verb(args: Options, verb: str) -> int:
    """Back up the stacks' appliances, then `cdktf VERB STACKS...`; the exit status.

    Ctrl-C while terraform runs is handled where it runs (`interrupts`); anywhere else (reading
    the site, checks, backups, a synth) nothing has changed yet, and one line says so."""
    try:
        return _run_cdktf_verb(args, verb)
    except KeyboardInterrupt:
        quiet_dead_jsii_kernel()
        print(
            f"{verb}: interrupted (Ctrl-C) before anything changed on the appliances; left: all of it, "
            f"{verb} again when ready",
            file=sys.stderr,
        )
        return EXIT_INTERRUPTED


def _run_cdktf_verb(args: Options, verb: str) -> int:
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
    if verb == "deploy" and args.reviewed:
        return _deploy_reviewed(args, deployment, stacks, env, backups)
    return _cdktf_runs(args, verb, deployment, stacks, env, backups)


def _take_backups(
    args: Options, verb: str, backups: tuple[Backup, list[ApplianceAccess]] | None
) -> int | None:
    if args.no_backup:
        _say(f"{verb}ing WITHOUT a backup of lb_config.xml (--no-backup)")
    elif backups is not None:
        return _backups(backups[0], backups[1], verb)
    return None


# Parameters alike _deploy_reviewed's below; two ways to deploy, kept as two functions.
def _cdktf_runs(
    args: Options,
    verb: str,
    deployment: Deployment,
    stacks: list[str],
    env: dict[str, str],
    backups: tuple[Backup, list[ApplianceAccess]] | None,
) -> int:
    """Keep position labels (deploy), back up, then `cdktf VERB` per batch; Ctrl-C ends in one line."""
    app_dir: Path = args.app_dir
    if verb == "deploy":
        _say(
            "deploy plans afresh (cdktf deploy); to apply exactly a reviewed plan: "
            "eas-lb plan-review, then deploy --reviewed"
        )
        stop = _keep_position_labels(deployment, stacks, app_dir, env, args.cdktf_args)
        if stop is not None:
            return stop
    stop = _take_backups(args, verb, backups)
    if stop is not None:
        return stop
    quiet = [] if sys.stdout.isatty() or "--no-color" in args.cdktf_args else ["--no-color"]
    try:
        cli = _cdktf(app_dir)
    except FileNotFoundError as error:
        print(f"{verb}: {error}", file=sys.stderr)
        return EXIT_INPUT
    return _run_batches(args, verb, deployment, stacks, env, [*cli, verb], quiet)


def _run_batches(
    args: Options,
    verb: str,
    deployment: Deployment,
    stacks: list[str],
    env: dict[str, str],
    command: list[str],
    quiet: list[str],
) -> int:
    """`cdktf VERB` per batch, saying each drain the apply starts and the time left until the
    reload (`drain_progress`); Ctrl-C ends in one line."""
    batches = _batches(verb, stacks)
    terminal = sys.stdout.isatty()
    # On a terminal cdktf redraws its own screen, which a live line would garble: the countdown is
    # drawn there only when cdktf asks nothing (--auto-approve), its lines then relayed above it.
    relayed = terminal and "--auto-approve" in args.cdktf_args
    run_env = {**env, "CI": "1"} if relayed else env
    with Countdown(sys.stdout, terminal=relayed) as countdown:
        drains = DeployDrains(_endpoints(deployment, stacks), countdown)
        tick = drains.tick if relayed or not terminal else None  # never write over cdktf's screen
        relay = countdown.say if relayed else None
        for index, batch in enumerate(batches):
            _say(f"{CLI} {verb} {' '.join([*batch, *args.cdktf_args])}")
            status, interrupted = run_cdktf(
                [*command, *batch, *args.cdktf_args, *quiet], args.app_dir, run_env, tick=tick, relay=relay
            )
            countdown.clear()
            if interrupted.count:
                left = [stack for later in batches[index:] for stack in later]
                again = shlex.join(["eas-lb", verb, *(f"--stack={stack}" for stack in left)])
                started = bool(interrupted.forwarded_to)
                print(interrupted_line(verb, deployment, left, started=started, again=again), file=sys.stderr)
                return status or EXIT_INTERRUPTED
            if status != 0:
                return status
    return 0


def _endpoints(deployment: Deployment, stacks: list[str]) -> dict[str, str]:
    """Appliance name -> API endpoint, for every appliance the lb stacks among `stacks` configure."""
    from eas_lb.synth.stacks.names import lb_stack_name

    return {
        node.name: node.endpoint
        for plan in deployment.pairs
        if lb_stack_name(deployment.site, plan) in stacks
        for node in plan.pair.nodes
    }


# Parameters alike _cdktf_runs' above; two ways to deploy, kept as two functions.
def _deploy_reviewed(
    args: Options,
    deployment: Deployment,
    stacks: list[str],
    env: dict[str, str],
    backups: tuple[Backup, list[ApplianceAccess]] | None,
) -> int:
    """Synthesize, check every stack against the review, back up, then apply the saved plans."""
    from eas_lb.operations.commands import reviewed_deploy as reviewed
    from eas_lb.synth.stacks.names import vm_stack_name

    manifest = reviewed.load(args.plans_dir)
    synth_dir = _synth_dir(args.app_dir, env, [])
    site = deployment.site
    vms = {vm_stack_name(site, plan) for plan in deployment.pairs} if site.hypervisor else set()
    names = (
        stacks
        if isinstance(manifest, str)
        else reviewed.stacks_to_apply(stacks, bool(args.stack), manifest, vms)
    )
    shown_synth = (
        Path("cdktf.out") if synth_dir.resolve() == (Path.cwd() / "cdktf.out").resolve() else synth_dir
    )
    again = reviewed.review_again_command(args.plans_dir, shown_synth, names, bool(args.stack))
    if isinstance(manifest, str):
        return _refused([manifest], again)
    _say(f"{CLI} synth, to compare the configuration with the reviewed one")
    stop = _synth(args.app_dir, env, synth_dir)
    if stop is not None:
        return stop
    targets = reviewed.resolve(names, synth_dir, args.plans_dir)
    refusals = reviewed.check_all(targets, manifest, "terraform", _say)
    if refusals:
        return _refused(refusals, again)
    stop = _take_backups(args, "deploy", backups)
    if stop is not None:
        return stop
    return _apply_reviewed(deployment, targets, env, manifest.created, again)


def _say_drains(target: reviewed.StackToApply) -> None:
    """Before the apply: the drains the reviewed plan starts, and until when (from now)."""
    from eas_lb.operations.commands import reviewed_deploy as reviewed

    notices = reviewed.drains_of(target, "terraform")
    if isinstance(notices, str):
        _say(f"stack {target.name}: the drains of the plan could not be read ({notices})")
        return
    now = time.time()
    for notice in notices:
        _say(notice.sentence(now))


def _apply_reviewed(
    deployment: Deployment,
    targets: list[reviewed.StackToApply],
    env: dict[str, str],
    created: str,
    again: str,
) -> int:
    """Apply each saved plan, saying its drains first and counting down while the apply waits."""
    from eas_lb.operations.commands import reviewed_deploy as reviewed

    terminal = sys.stdout.isatty()
    with deferred_interrupts() as interrupted, Countdown(sys.stdout, terminal=terminal) as countdown:
        drains = DeployDrains(_endpoints(deployment, [t.name for t in targets]), countdown)
        for index, target in enumerate(targets):
            _say_drains(target)
            _say(f"terraform apply {target.plan_file} (stack {target.name}, reviewed {created})")
            relay = countdown.say if terminal else None
            status, errors = reviewed.apply(target, "terraform", env, terminal, tick=drains.tick, relay=relay)
            countdown.clear()
            if interrupted.count:
                quiet_dead_jsii_kernel()
                left = [item.name for item in targets[index:]]
                finish = f"{again}, then eas-lb deploy --reviewed (the saved plans are stale now)"
                print(
                    interrupted_line("deploy", deployment, left, started=True, again=finish), file=sys.stderr
                )
                return EXIT_INTERRUPTED
            if status != 0:
                return _apply_failed(target.name, errors, again)
    return 0


def _refused(reasons: list[str], again: str) -> int:
    for reason in reasons:
        print(f"deploy --reviewed: refused, nothing was applied: {reason}", file=sys.stderr)
    print(f"deploy --reviewed: to review again: {again}", file=sys.stderr)
    return EXIT_INPUT


def _apply_failed(stack: str, errors: str, again: str) -> int:
    if "Saved plan is stale" in errors:
        print(
            f"deploy --reviewed: stack {stack}: Terraform refused the saved plan as stale (the state "
            f"changed since the review); nothing of it was applied. To review again: {again}",
            file=sys.stderr,
        )
    else:
        print(
            f"deploy --reviewed: stack {stack}: terraform apply failed (its message above)", file=sys.stderr
        )
    return EXIT_INPUT


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
