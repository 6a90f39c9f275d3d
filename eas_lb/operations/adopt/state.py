"""What a stack's Terraform state already manages, read from the local backend's state file.

Adopt records objects for the next deploy to import. An object already in the stack's state is
managed: importing it again is at best a no-op, so adopt must neither count it nor record it.
Only the local backend's state is read here (a file beside the site file); with `pg` or `s3`
reading state needs Terraform and the backend's credentials, so adopt cannot tell and says so.
"""

from __future__ import annotations

import json
from pathlib import Path

from eas_lb.inputs.site import Site


def local_state_path(site_file: Path, site: Site, stack: str) -> Path | None:
    """The stack's state file with the local backend (cdktf's default place), else None."""
    if site.backend.kind != "local":
        return None
    configured = site.backend.config.get("path")
    if configured is not None:
        path = Path(str(configured))
        return path if path.is_absolute() else None
    return site_file.resolve().parent / f"terraform.{stack}.tfstate"


def managed_addresses(state_file: Path) -> set[str] | None:
    """`type.name` of every managed resource in a state file; None when there is no readable state."""
    try:
        document = json.loads(state_file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return None
    if not isinstance(document, dict):
        return None
    addresses = set()
    for resource in document.get("resources") or []:
        if isinstance(resource, dict) and resource.get("mode") == "managed" and resource.get("instances"):
            addresses.add(f"{resource.get('type')}.{resource.get('name')}")
    return addresses
