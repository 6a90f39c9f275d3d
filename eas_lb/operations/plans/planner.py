"""Plan every synthesized stack with the real ``terraform`` and read the JSON plans.

``cdktf synth`` writes one Terraform working directory per stack
(``cdktf.out/stacks/<stack>/cdk.tf.json``); each is initialized, planned into a saved plan and
shown as JSON, exactly what an operator would run by hand. Terraform finds the lborg provider
through the environment's ``TF_CLI_CONFIG_FILE``. The JSON plan holds sensitive values in clear
text (only marked), so it is kept in memory and never written next to the review; the saved plan
itself is kept by plan-review for `deploy --reviewed` (`saved_plans`).
"""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PLAN_FILE = "plan.review.tfplan"
# Layout alike saved_plans.py, sizing.py, haproxy_process.py (constants, error, dataclass); unrelated.
#: The refresh-only plan of `eas-lb drift`, deleted once read.
REFRESH_PLAN_FILE = "plan.drift.tfplan"
#: The plan `deploy --reviewed` makes to compare with the reviewed one, deleted once read.
CHECK_PLAN_FILE = "plan.check.tfplan"
_ERROR_LINES = 40


class PlanningError(RuntimeError):
    """Terraform could not plan a stack; the message names the stack and the command."""


@dataclass(frozen=True)
class StackDir:
    """A synthesized stack: its name and its Terraform working directory."""

    name: str
    path: Path


def discover_stacks(synth_dir: Path, only: Sequence[str] = ()) -> list[StackDir]:
    """The stacks under ``<synth_dir>/stacks``, sorted; ``only`` selects some by name."""
    root = synth_dir / "stacks"
    found = sorted(
        (StackDir(path.name, path) for path in root.glob("*") if (path / "cdk.tf.json").is_file()),
        key=lambda stack: stack.name,
    )
    if not found:
        raise PlanningError(
            f"no synthesized stacks in {root} (expected {root}/<stack>/cdk.tf.json); run 'cdktf synth' first"
        )
    if only:
        missing = sorted(set(only) - {stack.name for stack in found})
        if missing:
            names = ", ".join(stack.name for stack in found)
            raise PlanningError(f"stack(s) {', '.join(missing)} not found in {root}; synthesized: {names}")
        found = [stack for stack in found if stack.name in only]
    return found


def _environment() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("TF_IN_AUTOMATION", "1")
    env.setdefault("CHECKPOINT_DISABLE", "1")
    env["TF_INPUT"] = "0"
    return env


def _run(stack: StackDir, terraform: str, arguments: list[str], timeout: float) -> str:
    command = [terraform, f"-chdir={stack.path}", *arguments]
    shown = " ".join(["terraform", *arguments])
    try:
        result = subprocess.run(
            command, capture_output=True, text=True, env=_environment(), timeout=timeout, check=False
        )
    except FileNotFoundError:
        raise PlanningError(f"'{terraform}' not found: install Terraform or pass --terraform") from None
    except subprocess.TimeoutExpired:
        raise PlanningError(f"stack {stack.name}: '{shown}' did not finish within {timeout:.0f} s") from None
    if result.returncode != 0:
        output = result.stderr or result.stdout
        tail = "\n".join(output.strip().splitlines()[-_ERROR_LINES:])
        hint = _hint(output)
        raise PlanningError(f"stack {stack.name}: '{shown}' failed (exit {result.returncode}){hint}:\n{tail}")
    return result.stdout


def _hint(output: str) -> str:
    """What to do about the failures a new user meets first, before Terraform's own words."""
    if "could not connect to local" in output or ("local/lborg/lborg" in output and "registry" in output):
        return (
            "; Terraform cannot find the lborg provider: run `eas-lb provider install`, export "
            "TF_CLI_CONFIG_FILE=<the path it prints last>, then `cdktf synth` (it writes the lock "
            "entries) or `eas-lb provider lock cdktf.out/stacks/*`"
        )
    return ""


def plan_stack(
    stack: StackDir,
    *,
    terraform: str = "terraform",
    timeout: float = 900,
    refresh_only: bool = False,
    check_only: bool = False,
) -> Any:
    """init, plan -out and show -json for one stack; returns the decoded JSON plan.

    ``refresh_only``: `plan -refresh-only -lock=false`, what `drift` needs: the appliances read
    and compared with the state, nothing else planned. A plan never writes state; without the
    lock, a nightly drift run never makes a colleague's deploy wait (or fail) on a team backend.
    ``check_only``: the plan `deploy --reviewed` compares with the reviewed one, in a file of its
    own. Both plan files are deleted once shown; the review's is kept (plan-review saves it)."""
    _run(stack, terraform, ["init", "-input=false", "-no-color"], timeout)
    plan_file = REFRESH_PLAN_FILE if refresh_only else CHECK_PLAN_FILE if check_only else PLAN_FILE
    mode = ["-refresh-only", "-lock=false"] if refresh_only else []
    try:
        _run(stack, terraform, ["plan", "-input=false", "-no-color", *mode, f"-out={plan_file}"], timeout)
        return show_plan(stack, stack.path / plan_file, terraform=terraform, timeout=timeout)
    finally:
        if refresh_only or check_only:
            (stack.path / plan_file).unlink(missing_ok=True)


def show_plan(stack: StackDir, plan_file: Path, *, terraform: str = "terraform", timeout: float = 900) -> Any:
    """`terraform show -json` of a saved plan, decoded (the stack must be initialised)."""
    shown = _run(stack, terraform, ["show", "-json", "-no-color", str(plan_file.absolute())], timeout)
    try:
        return json.loads(shown)
    except json.JSONDecodeError as error:
        raise PlanningError(
            f"stack {stack.name}: 'terraform show -json' printed no JSON ({error.msg})"
        ) from None
