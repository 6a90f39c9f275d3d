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
    for project in dict.fromkeys((site_file.resolve().parent, Path.cwd().resolve())):
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
