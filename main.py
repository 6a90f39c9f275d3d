"""The cdktf app: every stack of the site file named by `EAS_SITE` (default: the demo site).

EAS_SITE=examples/site-scenario1.yaml cdktf synth
"""

from __future__ import annotations

from pathlib import Path

from eas_lb.synth.site_app import run_site_app

ROOT = Path(__file__).resolve().parent
DEFAULT_SITE = ROOT / "examples" / "site-demo.yaml"

if __name__ == "__main__":
    raise SystemExit(run_site_app(DEFAULT_SITE, fallback_mirror=ROOT / "build" / "terraform-mirror"))
