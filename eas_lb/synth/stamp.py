"""What a synth was made from: digests of the site file and its pools files, kept in the output.

`cdktf synth` writes the stacks from the site file and pools.txt. Reviewing a plan of an older
synth after editing pools.txt would silently show the old plan ("0 to add"), so the site app
records the inputs' digests in `cdktf.out/eas-site.json` and `plan-review` compares them. The
stamp also keeps the EAS servers the site file names (`eas_servers:`), so plan review speaks of
a server by its name and addresses without reading the site file again.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from eas_lb.inputs.site import Deployment

STAMP_FILE = "eas-site.json"


def _digest(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def inputs(deployment: Deployment) -> list[Path]:
    """The site file and every pools file it uses, each once, absolute."""
    paths = [deployment.source.resolve()]
    for plan in deployment.pairs:
        pools = deployment.site.pools_path(plan.pair).resolve()
        if pools not in paths:
            paths.append(pools)
    return paths


def write_stamp(outdir: Path, deployment: Deployment) -> Path:
    stamp = outdir / STAMP_FILE
    files = {str(path): _digest(path) for path in inputs(deployment)}
    titles = {
        str(address): server.title for server in deployment.site.eas_servers for address in server.addresses
    }
    record = {
        "site": deployment.site.name,
        "site_file": str(deployment.source.resolve()),
        "inputs": files,
        "eas_servers": titles,
    }
    stamp.write_text(json.dumps(record, indent=2) + "\n")
    return stamp


def synthesized_site_file(outdir: Path) -> Path | None:
    """The site file the last synth in `outdir` was made from, when it recorded one."""
    try:
        recorded: Any = json.loads((outdir / STAMP_FILE).read_text(encoding="utf-8"))
        return Path(recorded["site_file"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def eas_server_titles(outdir: Path) -> dict[str, str]:
    """Address → `eas-3 (10.225.37.231, 192.168.85.61)` as the last synth in `outdir` recorded
    them; {} without a stamp (or one from before names)."""
    try:
        recorded: Any = json.loads((outdir / STAMP_FILE).read_text(encoding="utf-8"))
        titles = recorded.get("eas_servers") or {}
        return {str(address): str(title) for address, title in titles.items()}
    except (OSError, ValueError, AttributeError, TypeError):
        return {}


def changed_inputs(outdir: Path) -> list[str]:
    """Inputs of the last synth in `outdir` that changed (or vanished) since; [] without a stamp."""
    try:
        recorded: Any = json.loads((outdir / STAMP_FILE).read_text(encoding="utf-8"))
        files = recorded["inputs"]
    except (OSError, ValueError, KeyError, TypeError):
        return []
    if not isinstance(files, dict):
        return []
    return [name for name, digest in files.items() if _digest(Path(name)) != digest]
