"""`eas-lb deploy --reviewed [--plans-dir DIR]`: apply exactly the reviewed plans, or nothing.

`plan-review` keeps each stack's saved plan and a manifest of digests (`plans.saved_plans`). This
applies those plan files with `terraform apply PLANFILE` in `cdktf.out/stacks/<stack>`, after
checking every stack, so that it refuses before changing anything on any stack when:
- a stack to deploy has no saved plan (it was not reviewed, or could not be planned);
- the plan file is not the one the review saved (its digest differs from the manifest's);
- the configuration synthesized now differs from the one reviewed (a pools.txt or site file
  edited since: the refusal names the resources that differ);
- the state changed since the review (another deploy ran): Terraform would call the plan stale;
- a plan made now differs from the reviewed one (an appliance changed by hand: the state is
  unchanged, only a fresh refresh sees it).
Each refusal names the stack and what differs, and ends with the one command to review again.
The site's `-lb` stacks are deployed (or those named with `--stack`), plus any VM stack the review
planned. The labels by position of a site deployed by an earlier version are not migrated here:
a plain `deploy` (or `migrate-labels`) does that, and its result is reviewed like any change.
"""

from __future__ import annotations

import json
import shlex
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from eas_lb.operations.commands.interrupts import relay_lines
from eas_lb.operations.plans.changes import stack_plan
from eas_lb.operations.plans.drain_notices import DrainNotice, drain_notices
from eas_lb.operations.plans.plan_compare import configuration_differences, plan_differences
from eas_lb.operations.plans.plan_json import PlanFormatError, parse_plan
from eas_lb.operations.plans.planner import PlanningError, StackDir, plan_stack, show_plan
from eas_lb.operations.plans.saved_plans import (
    DEFAULT_PLANS_DIR,
    Manifest,
    ReviewedPlansError,
    plan_file_name,
    planned_from,
    read_manifest,
    reviewed_configuration,
    sha256_of,
)
from eas_lb.operations.terraform.state import StateReadError, pull_state

EXIT_REFUSED = 1


@dataclass(frozen=True)
class StackToApply:
    """A stack to apply: its working directory and the saved plan to apply there."""

    name: str
    directory: Path
    plan_file: Path


def stacks_to_apply(chosen: list[str], explicit: bool, manifest: Manifest, vm_stacks: set[str]) -> list[str]:
    """The stacks `deploy --reviewed` applies: those named, else the lb stacks and reviewed VM stacks."""
    if explicit:
        return chosen
    return [*chosen, *sorted(name for name in manifest.stacks if name in vm_stacks and name not in chosen)]


def review_again_command(plans_dir: Path, synth_dir: Path, stacks: list[str], explicit: bool) -> str:
    """The one command that reviews the stacks again (the deploy has just synthesized them)."""
    words = ["eas-lb", "plan-review", "--out", "review.md"]
    if synth_dir != Path("cdktf.out"):
        words += ["--synth-dir", str(synth_dir)]
    if plans_dir != DEFAULT_PLANS_DIR:
        words += ["--plans-dir", str(plans_dir)]
    for stack in stacks if explicit else []:
        words += ["--stack", stack]
    return shlex.join(words)


def _config_refusal(stack: StackToApply, manifest: Manifest) -> str | None:
    reviewed = manifest.stacks.get(stack.name)
    if reviewed is None:
        return f"stack {stack.name}: no saved plan (the review did not plan it)"
    if not stack.plan_file.is_file():
        return f"stack {stack.name}: the saved plan {stack.plan_file} is missing"
    if sha256_of(stack.plan_file) != reviewed.plan_sha256:
        return f"stack {stack.name}: {stack.plan_file} is not the plan the review saved (its SHA-256 differs)"
    config = stack.directory / "cdk.tf.json"
    if not config.is_file():
        return f"stack {stack.name}: not synthesized ({config} is missing)"
    if sha256_of(config) == reviewed.config_sha256:
        return None
    lines = configuration_differences(
        reviewed_configuration(stack.plan_file), json.loads(config.read_text(encoding="utf-8"))
    )
    detail = "".join(f"\n  {line}" for line in lines)
    return f"stack {stack.name}: the configuration synthesized now differs from the reviewed one:{detail}"


def _state_and_plan_refusal(stack: StackToApply, terraform: str) -> str | None:
    """The state the plan was made from (init first), then a plan made now, against the review."""
    directory = StackDir(stack.name, stack.directory)
    try:
        state = pull_state(stack.directory, terraform, init=True)
    except StateReadError as error:
        return f"stack {stack.name}: its state could not be read to compare with the review: {error}"
    planned = planned_from(stack.plan_file)
    current = (str(state["lineage"]), int(state.get("serial", 0))) if state.get("lineage") else None
    if planned != current:
        return (
            f"stack {stack.name}: the state changed since the review (a deploy or a state edit ran since): "
            "the saved plan is stale"
        )
    try:
        fresh = plan_stack(directory, terraform=terraform, check_only=True)
        reviewed = show_plan(directory, stack.plan_file, terraform=terraform)
    except PlanningError as error:
        return f"stack {stack.name}: could not be planned again to compare with the review: {error}"
    lines = plan_differences(reviewed, fresh)
    if not lines:
        return None
    detail = "".join(f"\n  {line}" for line in lines)
    return f"stack {stack.name}: a plan made now differs from the reviewed one:{detail}"


def check_all(
    stacks: list[StackToApply], manifest: Manifest, terraform: str, say: Callable[[str], None]
) -> list[str]:
    """Every refusal, all stacks checked before anything is applied; [] when all may be applied."""
    refusals = [refusal for stack in stacks if (refusal := _config_refusal(stack, manifest))]
    if refusals:
        return refusals  # no terraform needed to refuse, and none run against a changed config
    for stack in stacks:
        say(f"planning {stack.name} again, to compare with the reviewed plan")
        refusal = _state_and_plan_refusal(stack, terraform)
        if refusal:
            refusals.append(refusal)
    return refusals


def load(plans_dir: Path) -> Manifest | str:
    try:
        return read_manifest(plans_dir)
    except ReviewedPlansError as error:
        return str(error)


def resolve(names: list[str], synth_dir: Path, plans_dir: Path) -> list[StackToApply]:
    return [
        StackToApply(name, synth_dir / "stacks" / name, (plans_dir / plan_file_name(name)).absolute())
        for name in names
    ]


def drains_of(stack: StackToApply, terraform: str) -> list[DrainNotice] | str:
    """The drains the saved plan starts (`plans.drain_notices`), or why they could not be read."""
    try:
        shown = show_plan(StackDir(stack.name, stack.directory), stack.plan_file, terraform=terraform)
        return drain_notices(stack_plan(stack.name, parse_plan(shown, source=str(stack.plan_file))).changes)
    except (PlanningError, PlanFormatError) as error:
        return str(error)


def apply(
    stack: StackToApply,
    terraform: str,
    env: dict[str, str],
    color: bool,
    *,
    tick: Callable[[], None] | None = None,
    relay: Callable[[str], None] | None = None,
) -> tuple[int, str]:
    """`terraform apply PLANFILE` in the stack; its output goes to the terminal (or to `relay`, line
    by line), its errors too (kept, to recognise a stale plan); `tick` is called about five times a
    second meanwhile. (exit status, error output)."""
    command = [terraform, f"-chdir={stack.directory}", "apply", "-input=false"]
    if not color:
        command.append("-no-color")
    process = subprocess.Popen(
        [*command, str(stack.plan_file)],
        env=env,
        stdout=subprocess.PIPE if relay else None,
        stderr=subprocess.PIPE,
        text=True,
        errors="replace",
    )
    errors: list[str] = []
    assert process.stderr is not None
    say = relay or _to_stderr

    def error_line(line: str) -> None:
        errors.append(line)
        say(line)

    readers = [relay_lines(process.stderr, error_line)]
    if relay is not None and process.stdout is not None:
        readers.append(relay_lines(process.stdout, relay))
    while True:
        try:
            status = process.wait(timeout=0.2)
            break
        except subprocess.TimeoutExpired:
            if tick is not None:
                tick()
    for reader in readers:
        reader.join()
    return status, "".join(errors)


def _to_stderr(line: str) -> None:
    sys.stderr.write(line)
    sys.stderr.flush()
