"""The cdktf app: every stack of the site file named by `EAS_SITE` (default: the demo site).

EAS_SITE=examples/site-scenario1.yaml cdktf synth
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from cdktf import App

from eas_lb.site import SiteFileError, load_deployment
from eas_lb.stacks import build_stacks

DEFAULT_SITE = Path(__file__).resolve().parent / "examples" / "site-demo.yaml"


def main() -> int:
    site_path = Path(os.environ.get("EAS_SITE") or DEFAULT_SITE)
    try:
        deployment = load_deployment(site_path)
    except SiteFileError as error:
        print(error, file=sys.stderr)
        return 1
    app = App()
    try:
        build_stacks(app, deployment)
    except ValueError as error:
        print(f"{site_path}: {error}", file=sys.stderr)
        return 1
    app.synth()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
