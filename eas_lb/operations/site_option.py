"""`--site SITE.yaml`, defaulting to `$EAS_SITE`, then `./site.yaml`: the same in every site command.

A shell that exported `EAS_SITE` for `cdktf synth` runs `check`, `verify`, `deploy`, ... without
repeating the path. A user who works in the site repository without having sourced `env.sh`
is in the directory holding `site.yaml`: that file is the one they mean. Without either, the
option is required, and the command line says so (`eas_lb.operations.command_line.site_option`).
"""

from __future__ import annotations

import os
from pathlib import Path

#: The site file's name in a site repository written by `new-site`.
SITE_FILE_NAME = "site.yaml"


def default_site() -> Path | None:
    """`$EAS_SITE` when set, else `./site.yaml` when the current directory holds one, else None."""
    site = os.environ.get("EAS_SITE")
    if site:
        return Path(site)
    here = Path(SITE_FILE_NAME)
    return here if here.is_file() else None
