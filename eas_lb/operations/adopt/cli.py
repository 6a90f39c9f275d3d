"""The declaration of `eas-lb adopt`: its options, help and example; `run` is in `command`.

Apart from the command module so that `eas-lb adopt --help` loads neither cdktf nor the HTTP
client.
"""

from __future__ import annotations

from eas_lb.operations.command_line import declare, site_option

OPTIONS = (site_option("the site file"),)
command = declare(
    "adopt",
    "eas_lb.operations.adopt.command:run",
    OPTIONS,
    summary="bring a pair configured by hand under code, read-only",
    example="eas-lb adopt --site site.yaml",
)
