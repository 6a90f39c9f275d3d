"""A stack's Terraform state: read with `terraform state pull` (any backend, nothing written), and
where the local backend keeps it.

Shared by `migrate-labels` (which initialises the stack first), `adopt` (which reads only a
stack a deploy has initialised already) and `deploy` (which refuses to run on a state file that
a killed `terraform` emptied).
"""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from eas_lb.inputs.site import Site

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


def site_projects(site_file: Path) -> list[Path]:
    """Where cdktf runs for this site: the site's folder, or the current one when EAS_SITE points away."""
    return list(dict.fromkeys((site_file.resolve().parent, Path.cwd().resolve())))


def local_state_path(site_file: Path, site: Site, stack: str) -> Path | None:
    """The stack's state file with the local backend, when one exists; else None.

    cdktf puts it in its project directory (where `cdktf.json` is and cdktf runs), which is the
    site repository in a site written by `new-site` but the current directory when `EAS_SITE`
    points elsewhere; the synthesized stack, when there is one, says exactly where.
    """
    if site.backend.kind != "local":
        return None
    candidates: list[Path] = []
    configured = site.backend.config.get("path")
    if configured is not None and Path(str(configured)).is_absolute():
        candidates.append(Path(str(configured)))
    for project in site_projects(site_file):
        synthesized = _synthesized_path(project / "cdktf.out" / "stacks" / stack / "cdk.tf.json")
        if synthesized is not None:
            candidates.append(synthesized)
        candidates.append(project / f"terraform.{stack}.tfstate")
    return next((path for path in candidates if path.is_file()), None)


def _synthesized_path(stack_json: Path) -> Path | None:
    """The local backend's absolute `path` in a synthesized stack, if it names one."""
    try:
        document = json.loads(stack_json.read_text(encoding="utf-8"))
        path = document["terraform"]["backend"]["local"]["path"]
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError):
        return None
    return Path(path) if isinstance(path, str) and Path(path).is_absolute() else None


@dataclass(frozen=True)
class EmptiedState:
    """A local state file left empty beside a backup that holds resources."""

    path: Path
    backup: Path
    resources: int


def emptied_local_state(site_file: Path, site: Site, stack: str) -> EmptiedState | None:
    """The stack's local state file when a killed `terraform` emptied it, else None.

    The local backend rewrites its file in place after each resource (truncate, then write): a
    `terraform` killed inside that write leaves it empty, and Terraform reads an empty file as
    "nothing deployed". The backup it wrote at the start of that apply (`<file>.backup`) still
    holds the state the killed apply found. A deploy from the empty file would try to create
    every object again and be refused for each one that earlier applies made, so the deploy stops
    and says how to put the backup back. Terraform never leaves an empty file otherwise.
    """
    path = local_state_path(site_file, site, stack)
    if path is None or path.stat().st_size != 0:
        return None
    backup = path.with_name(path.name + ".backup")
    try:
        document = json.loads(backup.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return None
    resources = document.get("resources") if isinstance(document, dict) else None
    if not isinstance(resources, list) or not resources:
        return None
    return EmptiedState(path, backup, len(resources))
