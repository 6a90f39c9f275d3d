"""The declaration of `eas-lb destroy`; `run` is in `destroy`.

Apart from that module so that `eas-lb destroy --help` loads neither cdktf nor the site models.
"""

from __future__ import annotations

from eas_lb.operations.command_line import declare, details_of
from eas_lb.operations.commands.deploy_cli import cdktf_options

command = declare(
    "destroy",
    "eas_lb.operations.commands.destroy:run",
    cdktf_options("destroy"),
    summary="back up lb_config.xml of the appliances, then cdktf destroy",
    example="eas-lb destroy --site site.yaml --stack lab-pair1-lb",
    details=details_of("eas_lb.operations.commands.destroy"),
)
