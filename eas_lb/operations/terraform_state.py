"""A stack's Terraform state, read with `terraform state pull`: any backend, nothing written.

Shared by `migrate-labels` (which initialises the stack first) and `adopt` (which reads only a
stack a deploy has initialised already).
"""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import Any

_TIMEOUT_SECONDS = 600.0


class StateReadError(RuntimeError):
    """Terraform could not read a stack's state; the message names the stack and the command."""


def pull_state(
    stack_dir: Path,
    terraform: str = "terraform",
    env: Mapping[str, str] | None = None,
    *,
    init: bool = True,
    timeout: float = _TIMEOUT_SECONDS,
) -> dict[str, Any]:
    """The stack's state document (`terraform state pull`); an empty one when nothing is deployed.

    `init` first runs `terraform init` in the stack (it installs the provider and configures the
    backend, writing only inside the stack's directory); without it the stack must have been
    initialised already, as by a `cdktf deploy`.
    """
    environment = {**(os.environ if env is None else env), "TF_IN_AUTOMATION": "1", "TF_INPUT": "0"}
    output = ""
    steps = [["init", "-input=false", "-no-color"]] if init else []
    for arguments in [*steps, ["state", "pull"]]:
        shown = " ".join(["terraform", *arguments])
        try:
            result = subprocess.run(
                [terraform, f"-chdir={stack_dir}", *arguments],
                capture_output=True,
                text=True,
                env=environment,
                timeout=timeout,
                check=False,
            )
        except FileNotFoundError:
            raise StateReadError(f"'{terraform}' not found: install Terraform or pass --terraform") from None
        except subprocess.TimeoutExpired:
            raise StateReadError(f"{stack_dir.name}: '{shown}' did not finish in {timeout:.0f} s") from None
        if result.returncode != 0:
            tail = "\n".join((result.stderr or result.stdout).strip().splitlines()[-20:])
            raise StateReadError(f"{stack_dir.name}: '{shown}' failed (exit {result.returncode}):\n{tail}")
        output = result.stdout
    if not output.strip():
        return {}
    try:
        document = json.loads(output)
    except json.JSONDecodeError as error:
        raise StateReadError(
            f"{stack_dir.name}: 'terraform state pull' printed no JSON ({error.msg})"
        ) from None
    return document if isinstance(document, dict) else {}
