"""Synthesize sites as the CLI's app run does, in a process of its own (one framework per process).

    EAS_LB_FRAMEWORK=cdktn python -m tests.support.synth_app OUTDIR SITE.yaml...

Each site's stacks go to `OUTDIR/<site file stem>/` exactly as `cdktf synth` / `cdktn synth` write
them (`manifest.json`, `stacks/<stack>/cdk.tf.json`); the last line printed is JSON naming the
framework that ran, so a test can tell that the setting took effect.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from eas_lb.inputs.site import load_deployment
from eas_lb.synth import framework
from eas_lb.synth.stacks.app import build_stacks


def synth_sites(outdir: Path, sites: list[Path]) -> dict[str, str]:
    app_module = ""
    for site in sites:
        (outdir / site.stem).mkdir(parents=True, exist_ok=True)
        app = framework.App(outdir=str(outdir / site.stem))
        app_module = type(app).__module__
        build_stacks(app, load_deployment(site))
        app.synth()
    return {"framework": framework.NAME, "app": app_module}


def main(argv: list[str]) -> int:
    outdir, *sites = (Path(arg) for arg in argv)
    print(json.dumps(synth_sites(outdir, sites)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
