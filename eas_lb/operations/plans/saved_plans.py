"""The reviewed plans: each stack's saved plan kept beside the review, with a manifest of digests.

`plan-review` plans every stack into a saved plan (`terraform plan -out`). So that what is applied
is exactly what was reviewed, it keeps a copy of each in a plans folder (`reviewed-plans/` by
default) as `<stack>.tfplan`, and writes `manifest.json` there: per stack the SHA-256 of the plan
file and of the synthesized configuration it was made from (`cdk.tf.json`), and when the review
was made. `deploy --reviewed` applies those files and nothing else (`reviewed_deploy`).

A Terraform plan file is a zip holding the plan, the state it was planned from (`tfstate`: its
lineage and serial are how Terraform calls a plan stale) and the configuration
(`tfconfig/m-/cdk.tf.json`). Terraform documents that a plan file may hold sensitive values in
clear, so the files are written owner-only and the folder keeps itself out of git. The stacks
never put a secret in their configuration (credentials are read from environment variables by
the provider at run time), which is why ours hold none: docs/plan-review.md says how that is
checked.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import shutil
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from lborg_support.files import PRIVATE_MODE, write_private

MANIFEST = "manifest.json"
DEFAULT_PLANS_DIR = Path("reviewed-plans")
# Layout alike planner.py, sizing.py, haproxy_process.py (constants, error, dataclass); unrelated.
PLAN_SUFFIX = ".tfplan"
_CONFIG_MEMBER = "tfconfig/m-/cdk.tf.json"
_FORMAT = 1


class ReviewedPlansError(RuntimeError):
    """The plans folder is missing, unreadable or not what plan-review wrote."""


# A frozen record alike preview.py's AttributeDifference and changes.py's AttributeChange; other fields.
@dataclass(frozen=True)
class ReviewedStack:
    """One reviewed stack: the digests of its saved plan and of the configuration it planned."""

    name: str
    plan_sha256: str
    config_sha256: str


@dataclass(frozen=True)
class Manifest:
    """What a review saved: when, and per stack its digests."""

    created: str
    stacks: dict[str, ReviewedStack]

    def to_json(self) -> str:
        stacks = {
            name: {
                "plan_file": plan_file_name(name),
                "plan_sha256": stack.plan_sha256,
                "config_sha256": stack.config_sha256,
            }
            for name, stack in sorted(self.stacks.items())
        }
        return json.dumps({"format": _FORMAT, "created": self.created, "stacks": stacks}, indent=2) + "\n"


def plan_file_name(stack: str) -> str:
    return f"{stack}{PLAN_SUFFIX}"


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def clear(plans_dir: Path) -> bool:
    """Remove the manifest and the plan files of an earlier review; whether there were any.

    Done before planning, so that a review that fails or is interrupted leaves nothing that
    `deploy --reviewed` could take for the latest review. Other files in the folder stay."""
    found = False
    for path in [plans_dir / MANIFEST, *plans_dir.glob(f"*{PLAN_SUFFIX}")]:
        if path.is_file():
            path.unlink()
            found = True
    return found


def keep_plan(plans_dir: Path, stack: str, plan_file: Path, config_file: Path) -> ReviewedStack:
    """Copy a stack's saved plan into the plans folder (owner-only); its digests."""
    plans_dir.mkdir(parents=True, exist_ok=True)
    plans_dir.chmod(0o700)
    ignore = plans_dir / ".gitignore"
    if not ignore.exists():
        write_private(ignore, b"# saved plans of eas-lb plan-review: artifacts, never committed\n*\n")
    target = plans_dir / plan_file_name(stack)
    shutil.copyfile(plan_file, target)
    target.chmod(PRIVATE_MODE)
    return ReviewedStack(stack, sha256_of(target), sha256_of(config_file))


def write_manifest(plans_dir: Path, stacks: list[ReviewedStack], now: datetime | None = None) -> Manifest:
    created = (now or datetime.now(UTC)).strftime("%Y-%m-%dT%H:%M:%SZ")
    manifest = Manifest(created, {stack.name: stack for stack in stacks})
    write_private(plans_dir / MANIFEST, manifest.to_json().encode("utf-8"))
    return manifest


def read_manifest(plans_dir: Path) -> Manifest:
    path = plans_dir / MANIFEST
    try:
        document: Any = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ReviewedPlansError(f"no reviewed plans in {plans_dir} ({MANIFEST} is missing)") from None
    except (OSError, ValueError) as error:
        raise ReviewedPlansError(f"{path} cannot be read: {error}") from None
    try:
        stacks = {
            str(name): ReviewedStack(str(name), str(entry["plan_sha256"]), str(entry["config_sha256"]))
            for name, entry in document["stacks"].items()
        }
        return Manifest(str(document["created"]), stacks)
    except (KeyError, TypeError, AttributeError):
        raise ReviewedPlansError(f"{path} is not a manifest written by plan-review") from None


def review_section(manifest: Manifest, plans_dir: Path) -> str:
    """The review's last section: the digests, so that what is applied can be matched to it."""
    lines = [
        "",
        "### Reviewed plans",
        "",
        f"Saved in `{plans_dir}/` at {manifest.created}; `eas-lb deploy --reviewed` applies "
        "exactly these plans and refuses when the configuration or the state changed since.",
        "",
        "| stack | plan SHA-256 | configuration (cdk.tf.json) SHA-256 |",
        "| --- | --- | --- |",
    ]
    for name, stack in sorted(manifest.stacks.items()):
        lines.append(f"| `{name}` | `{stack.plan_sha256}` | `{stack.config_sha256}` |")
    return "\n".join(lines) + "\n"


def _member(plan_file: Path, name: str) -> bytes | None:
    try:
        with zipfile.ZipFile(plan_file) as archive:
            return archive.read(name)
    except (OSError, KeyError, zipfile.BadZipFile):
        return None


def planned_from(plan_file: Path) -> tuple[str, int] | None:
    """(lineage, serial) of the state the plan was made from; None when it had no state yet."""
    data = _member(plan_file, "tfstate")
    if data is None:
        return None
    with contextlib.suppress(ValueError, TypeError):
        document = json.loads(data)
        if isinstance(document, dict) and document.get("lineage"):
            return str(document["lineage"]), int(document.get("serial", 0))
    return None


def reviewed_configuration(plan_file: Path) -> dict[str, Any] | None:
    """The cdk.tf.json the plan was made from (Terraform keeps a copy inside the plan file)."""
    data = _member(plan_file, _CONFIG_MEMBER)
    if data is None:
        return None
    with contextlib.suppress(ValueError):
        document = json.loads(data)
        return document if isinstance(document, dict) else None
    return None
