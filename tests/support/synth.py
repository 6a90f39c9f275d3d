"""Shared helpers for synth tests: synthesize a site's stacks in-process with the Testing API."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from eas_lb.inputs.site import load_deployment
from eas_lb.synth.framework import Testing
from eas_lb.synth.stacks.app import build_stacks
from tests.support.paths import REPO_ROOT

REPO = REPO_ROOT
EXAMPLES = REPO / "examples"


def synth_site(site: Path) -> dict[str, dict[str, Any]]:
    """Every stack of `site` → its synthesized JSON (what `cdk.tf.json` holds)."""
    app = Testing.app()
    stacks = build_stacks(app, load_deployment(site))
    return {stack.node.id: json.loads(Testing.synth(stack)) for stack in stacks}


def resources(stack: dict[str, Any], type_name: str) -> list[dict[str, Any]]:
    return list(stack.get("resource", {}).get(type_name, {}).values())
