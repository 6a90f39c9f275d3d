"""What a stack's Terraform state already manages: the local backend's file, or any backend by Terraform.

Adopt records objects for the next deploy to import. An object already in the stack's state is
managed: importing it again is at best a no-op, so adopt must neither count it nor record it.
The local backend's state is a file beside the site file, read directly. A `pg` or `s3` state is
read with `terraform state pull` in the synthesized stack's directory, once `cdktf deploy` (or
`terraform init`) has initialised it there: the backend's credentials come from the environment
as for a deploy, nothing is written and no lock is taken. Without such a directory adopt cannot
tell, and records every object as before (Terraform then skips imports of managed objects).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from eas_lb.inputs.site import Site
from eas_lb.operations.terraform.state import StateReadError, local_state_path, pull_state, site_projects

#: `terraform state pull` reads one document from the backend; a backend that does not answer
#: within this time is treated as "cannot tell", never as "not managed".
_PULL_TIMEOUT_SECONDS = 120


@dataclass(frozen=True)
class StackState:
    """The managed resources of one stack's state, and where that state was read (for messages)."""

    where: str
    addresses: set[str]


def stack_state(site_file: Path, site: Site, stack: str) -> StackState | None:
    """The stack's managed resources, or None when its state cannot be read from here."""
    if site.backend.kind == "local":
        path = local_state_path(site_file, site, stack)
        addresses = managed_addresses(path) if path is not None else None
        return StackState(path.name, addresses) if path is not None and addresses is not None else None
    for project in site_projects(site_file):
        stack_dir = project / "cdktf.out" / "stacks" / stack
        if (stack_dir / ".terraform").is_dir():
            document = _pulled_state(stack_dir)
            if document is not None:
                return StackState(f"{stack} in the {site.backend.kind} backend", _managed_in(document))
    return None


def _pulled_state(stack_dir: Path) -> object | None:
    try:
        return pull_state(stack_dir, init=False, timeout=_PULL_TIMEOUT_SECONDS)
    except StateReadError:
        return None


def managed_addresses(state_file: Path) -> set[str] | None:
    """`type.name` of every managed resource in a state file; None when there is no readable state."""
    try:
        document = json.loads(state_file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return None
    if not isinstance(document, dict):
        return None
    return _managed_in(document)


def _managed_in(document: object) -> set[str]:
    addresses: set[str] = set()
    if not isinstance(document, dict):
        return addresses
    for resource in document.get("resources") or []:
        if isinstance(resource, dict) and resource.get("mode") == "managed" and resource.get("instances"):
            addresses.add(f"{resource.get('type')}.{resource.get('name')}")
    return addresses
