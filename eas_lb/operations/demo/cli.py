"""The declarations of `eas-lb lab up|down|status` and `eas-lb demo run|verify|down|server|appliance`.

Apart from the modules that do the work (`__main__`, `lab`, `runtime`, `status`) so that their
`--help` loads neither cdktf, the site models nor the simulator. `program` is the old
`python -m eas_lb.demo` form: every subcommand under one group, `--site` before or after it.

The site is the subcommand's `--site`, else the group's (`eas-lb demo --site S verify`), else
the group's default: for `lab`, `$EAS_SITE`, then `./site.yaml`, then the demo's site; for `demo`,
the demo's site (examples/site-demo.yaml). `eas-lb demo --net 127.N` (or `EAS_LB_NET`) runs the
demo on a loopback range of its own (`net`).
"""

from __future__ import annotations

import click

from eas_lb.operations.command_line import PATH, Decorator, declare, group, site_option

_WORK = "eas_lb.operations.demo.__main__"
#: kernel_nat.LAYER4_CHOICES, repeated here so that --help does not load the simulator.
LAYER4_CHOICES = ("auto", "kernel-nat", "proxy")
_DEMO_SITE = "the demo's site file (default: examples/site-demo.yaml)"


def _site(help: str = "the site file (default: the group's --site)") -> Decorator:
    return click.option("--site", type=PATH, metavar="SITE.yaml", help=help)


def _layer4(default: str) -> Decorator:
    return click.option(
        "--layer4",
        type=click.Choice(LAYER4_CHOICES),
        default=default,
        show_default=True,
        help="how the Layer 4 (service) VIPs are served: kernel-nat (root: network namespaces and "
        "nftables, the EAS stand-ins see the client's address), proxy (a TCP proxy on loopback), "
        "auto (kernel-nat where it works)",
    )


def _net(context: click.Context, _option: click.Parameter, value: str | None) -> str | None:
    from eas_lb.operations.demo.net import parse_net

    try:
        return None if not value else parse_net(value)
    except ValueError as error:
        raise click.BadParameter(str(error), ctx=context) from None


_NET = click.option(
    "--net",
    envvar="EAS_LB_NET",
    metavar="127.N",
    callback=_net,
    help="run the demo on this loopback range (its addresses 127.0.B.C become 127.N.B.C), beside "
    "another demo or lab; default: $EAS_LB_NET, else the demo site's own addresses",
)
_DISRUPTIVE = click.option(
    "--disruptive", is_flag=True, help="also the guide's drain, health-check and fail-over tests"
)

up = declare(
    "up",
    f"{_WORK}:run_up",
    (_site(), _layer4("proxy")),
    summary="start the simulated appliances and stand-in EAS servers",
    example="eas-lb demo up --site examples/site-demo.yaml",
)
#: `lab up` and the old `demo lab` run the same thing with the same options.
_LAB_OPTIONS = (
    _site(),
    click.option("--no-ssh", is_flag=True, help="without root: no SSH server"),
    _layer4("proxy"),
)
lab_up = declare(
    "up",
    f"{_WORK}:run_lab",
    _LAB_OPTIONS,
    summary="start the site's appliances, EAS stand-ins and (as root) an SSH server serving the EAS "
    "pools.txt and the appliances' lb_config.xml",
    example="sudo -E eas-lb lab up --site site.yaml",
)
old_lab = declare(
    "lab",
    f"{_WORK}:run_lab",
    _LAB_OPTIONS,
    summary="up, and an SSH server (as root) serving the EAS pools.txt and the appliances' lb_config.xml",
    example="eas-lb lab up --site site.yaml",
)
down = declare(
    "down",
    f"{_WORK}:run_down",
    (_site(),),
    summary="stop everything up, lab or run started (the state is kept)",
    example="eas-lb lab down --site site.yaml",
)
status = declare(
    "status",
    f"{_WORK}:run_status",
    (_site(), click.option("--json", is_flag=True, help="print what runs as JSON")),
    summary="what the lab runs, on which addresses: appliances, stand-in EAS servers, SSH server",
    example="eas-lb lab status --site site.yaml --json",
    details="Read-only. Exit 0 when everything the site needs runs, 1 when something does not.",
)
run = declare(
    "run",
    f"{_WORK}:run_run",
    (
        _site(),
        _layer4("auto"),
        click.option("--output", type=PATH, help="where cdktf writes the stacks (default: cdktf.out)"),
        _DISRUPTIVE,
    ),
    summary="up, cdktf deploy, verify",
    example="eas-lb demo run   (what make demo runs)",
)
verify = declare(
    "verify",
    f"{_WORK}:run_verify",
    (_site(), _DISRUPTIVE),
    summary="verify the running demo (--disruptive for the guide's tests)",
    example="eas-lb demo verify --disruptive",
)
_ACTION = click.argument("action", type=click.Choice(("stop", "start")))
server = declare(
    "server",
    f"{_WORK}:run_server",
    (
        _ACTION,
        click.argument("target", metavar="IP"),
        _site(),
        click.option(
            "--keep-connections",
            is_flag=True,
            help="stop: keep the server's established connections (by default they are closed, as "
            "stopping or restarting the EAS closes them)",
        ),
    ),
    summary="stop or start a stand-in EAS server (all its ports), by IP",
    example="eas-lb demo server stop 127.0.31.1",
)
appliance = declare(
    "appliance",
    f"{_WORK}:run_appliance",
    (_ACTION, click.argument("target", metavar="NAME"), _site()),
    summary="stop or start a simulated appliance, by name",
    example="eas-lb demo appliance stop lb1",
)

lab = group(
    "lab",
    (lab_up, down, status),
    summary="simulated appliances, stand-in EAS servers and SSH on loopback for a site",
    example="eas-lb lab up --site site.yaml",
    options=(
        site_option("the site file (default: $EAS_SITE, else ./site.yaml, else the demo's)", required=False),
    ),
)
demo = group(
    "demo",
    (run, verify, down, server, appliance),
    summary="the demo site on a local simulated HA pair",
    example="eas-lb demo --net 127.66 run",
    options=(_site(_DEMO_SITE), _NET),
)
#: `python -m eas_lb.demo`, kept one release: the subcommands as they were named.
program = group(
    "eas-lb demo",
    (up, old_lab, down, run, verify, server, appliance),
    summary="the demo's moving parts, one command each",
    example="eas-lb demo --net 127.66 run",
    options=(_site(_DEMO_SITE), _NET),
)
