"""`--site SITE.yaml`, defaulting to `$EAS_SITE`, declared the same way by every site command.

A shell that exported `EAS_SITE` for `cdktf synth` runs `check`, `verify`, `deploy`, ... without
repeating the path; without it the option is required, and argparse says so in its own words.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path


def add_site_option(
    parser: argparse.ArgumentParser, *, help: str | None = None, metavar: str | None = "SITE.yaml"
) -> None:
    """Add `--site`: the path given, else `$EAS_SITE`, else an error naming the missing option."""
    site = os.environ.get("EAS_SITE")
    parser.add_argument(
        "--site",
        type=Path,
        required=not site,
        default=Path(site) if site else None,
        metavar=metavar,
        help=help,
    )
