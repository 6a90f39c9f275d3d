"""`eas-lb new-site DIR`: write a ready site repository.

    eas-lb new-site ../lab-site --scenario 2 --appliance 10.0.0.11 --appliance 10.0.0.12

Options not given are asked for on a terminal (Enter keeps the default shown) and default
otherwise, so the command also works in scripts. Nothing is overwritten unless `--force`.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable
from pathlib import Path

from eas_lb.operations.command_line import Options
from eas_lb.operations.new_site.render import SiteOptions, endpoints, render
from eas_lb.synth.framework_choice import Framework, cli_bin_dir, node

#: docs/command-line.md: unusable input is "failed" (1); nothing was written.
EXIT_INPUT = 1
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")


Ask = Callable[[str, str], str]


def _ask_terminal(question: str, default: str) -> str:
    answer = input(f"{question} [{default}]: ").strip()
    return answer or default


def _default_name(directory: Path) -> str:
    name = re.sub(r"[^A-Za-z0-9_-]", "-", directory.resolve().name).strip("-_") or "site"
    return name if _NAME.match(name) else f"site-{name}"


def _check_lab_addresses(appliances: list[str], count: int) -> None:
    """The lab simulates appliances on loopback only: say so now rather than when it starts."""
    if len(appliances) < count:
        raise ValueError(
            f"--lab: give every appliance's address on loopback ({count} --appliance, "
            "e.g. --appliance 127.14.0.1 --appliance 127.14.0.2)"
        )
    for address in appliances:
        host = address.rsplit(":", 1)[0] if address.count(":") == 1 else address
        if not host.startswith("127."):
            raise ValueError(f"--lab: appliance address {address!r} is not on loopback (127.x)")


def gather(args: Options, ask: Ask | None) -> SiteOptions:
    """The options, asking `ask` for each one the command line did not give."""
    from eas_lb import package_version

    def value(given: object, question: str, default: str) -> str:
        if given is not None:
            return str(given)
        return ask(question, default) if ask is not None else default

    name = value(args.name, "site name (letters, digits, _ -)", _default_name(args.directory))
    if not _NAME.match(name):
        raise ValueError(f"site name {name!r}: use letters, digits, '_' and '-' (it names stacks)")
    scenario = value(args.scenario, "scenario: 1 (service network) or 2 (management only)", "2")
    if scenario not in ("1", "2"):
        raise ValueError(f"scenario {scenario!r}: 1 or 2")
    topology, pairs = _topology_and_pairs(args, scenario, value)
    ha = not args.single
    appliances = _appliance_addresses(args, ask, name, pairs, ha)
    ca_pem = _ca_pem(args.ca_file)
    version = package_version().split()[0]
    framework: Framework = "cdktn" if args.framework == "cdktn" else "cdktf"
    return SiteOptions(
        name=name,
        scenario=1 if scenario == "1" else 2,
        scenario_given=args.scenario is not None or ask is not None,
        pairs=pairs,
        ha=ha,
        appliances=tuple(appliances),
        management_prefix=args.management_prefix,
        ca_pem=ca_pem,
        lab=args.lab,
        eas_lb_requirement=args.eas_lb_requirement or f"eas-lb=={version}",
        cdktf_bin_dir=_cli_bin_dir(framework),
        venv_bin_dir=str(Path(sys.executable).parent)
        if (Path(sys.executable).parent / "eas-lb").exists()
        else None,
        node_bin_dir=str(node_bin.parent) if (node_bin := node()) else None,
        framework=framework,
        service_ips=tuple(args.service_ip),
        service_vip=args.service_vip,
        eas_service_subnet=args.eas_service_subnet,
        service_gateway=args.service_gateway,
        topology="two-pairs" if topology == "two-pairs" else "one-pair",
    )


def _topology_and_pairs(
    args: Options, scenario: str, value: Callable[[object, str, str], str]
) -> tuple[str, int]:
    """The topology and the number of HA pairs; two-pairs is scenario 1 on exactly 2 pairs."""
    topology = "one-pair"
    if args.topology is not None or (scenario == "1" and args.pairs is None):
        topology = value(
            args.topology,
            "topology: one-pair (one HA pair in every network) or two-pairs (a Layer 4 pair for the "
            "service network, a Layer 7 pair for management; guide 8.1)",
            "one-pair",
        )
    if topology not in ("one-pair", "two-pairs"):
        raise ValueError(f"topology {topology!r}: one-pair or two-pairs")
    if topology == "two-pairs":
        if scenario != "1":
            raise ValueError(
                "topology two-pairs splits scenario 1's '# MANAGEMENT' and '# SERVICE' over two HA pairs; "
                "give --scenario 1 (scenario 2 has '# MANAGEMENT' only: one pair serves it)"
            )
        if args.pairs is not None and args.pairs != 2:
            raise ValueError(f"topology two-pairs is 2 HA pairs, not --pairs {args.pairs}")
        pairs_text = "2"
    else:
        pairs_text = value(args.pairs, "how many HA pairs", "1")
    if not pairs_text.isdigit() or not 1 <= int(pairs_text) <= 20:
        raise ValueError(f"pairs {pairs_text!r}: a number from 1 to 20")
    return topology, int(pairs_text)


def _appliance_addresses(args: Options, ask: Ask | None, name: str, pairs: int, ha: bool) -> list[str]:
    """The appliances' API addresses given or answered (Enter leaves a placeholder), each checked."""
    count = pairs * (2 if ha else 1)
    appliances = list(args.appliance)
    if ask is not None and not appliances:
        for index in range(count):
            role = "primary" if index % (2 if ha else 1) == 0 else "secondary"
            answer = ask(
                f"API address of lb{index + 1} (pair {index // (2 if ha else 1) + 1} {role}; "
                "Enter: a placeholder to edit later)",
                "",
            )
            if answer:
                appliances.append(answer)
    if len(appliances) > count:
        raise ValueError(f"{len(appliances)} --appliance for {count} appliances ({pairs} pair(s))")
    for address in appliances:
        try:
            endpoints(SiteOptions(name=name, appliances=(address,), pairs=1, ha=False))
        except ValueError:
            raise ValueError(
                f"appliance address {address!r}: give the API's IP address, optionally with :PORT "
                "(e.g. 10.225.37.241 or 10.225.37.241:9443)"
            ) from None
    if args.lab:
        _check_lab_addresses(appliances, count)
    return appliances


def _ca_pem(ca_file: Path | None) -> str | None:
    """The PEM text of `--ca-file`, refused when it cannot be read or holds no certificate."""
    if ca_file is None:
        return None
    try:
        ca_pem = ca_file.read_text(encoding="utf-8")
    except OSError as error:
        raise ValueError(f"--ca-file {ca_file}: {error.strerror}") from None
    if "-----BEGIN CERTIFICATE-----" not in ca_pem:
        raise ValueError(f"--ca-file {ca_file}: not a PEM certificate")
    return ca_pem


def _venv_bin_dir() -> str | None:
    """The bin folder of the virtualenv running new-site, when it holds `eas-lb`, for env.sh."""
    folder = Path(sys.executable).parent
    return str(folder) if (folder / "eas-lb").exists() else None


def _cli_bin_dir(cli: Framework) -> str | None:
    """Where the framework's CLI already is (a checkout's, after `make setup`), for env.sh."""
    found = cli_bin_dir(cli)
    return str(found) if found else None


def write(directory: Path, files: dict[str, str], *, force: bool) -> list[Path]:
    existing = [directory / name for name in files if (directory / name).exists()]
    if existing and not force:
        shown = ", ".join(str(path) for path in existing[:5])
        raise FileExistsError(f"{shown} already exist(s); use another DIR or --force to overwrite")
    written = []
    for name, content in files.items():
        path = directory / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
        if name.endswith(".sh"):
            path.chmod(0o755)
        written.append(path)
    return written


def run(args: Options) -> int:
    interactive = not args.no_input and sys.stdin.isatty() and sys.stdout.isatty()
    try:
        options = gather(args, _ask_terminal if interactive else None)
        written = write(args.directory, render(options), force=args.force)
    except (ValueError, FileExistsError) as error:
        print(f"new-site: {error}", file=sys.stderr)
        return EXIT_INPUT
    except (EOFError, KeyboardInterrupt):
        print("\nnew-site: stopped; nothing was written", file=sys.stderr)
        return EXIT_INPUT
    except OSError as error:
        print(f"new-site: cannot write {args.directory}: {error.strerror}", file=sys.stderr)
        return EXIT_INPUT
    shown = str(args.directory)
    print(f"wrote {len(written)} files in {shown}:")
    for path in written:
        print(f"  {os.path.relpath(path, args.directory)}")
    print("next:")
    print(f"  cd {shown}")
    print("  replace pools.txt with the EAS servers' pools.txt")
    for pair in range(1, options.pairs):
        if options.pools_file(pair) != "pools.txt":
            print(
                f"  replace {options.pools_file(pair)} with the pools.txt of the EAS servers "
                f"pair {pair + 1} serves"
            )
    if "TODO" in render(options)["site.yaml"]:
        print("  edit the lines of site.yaml marked TODO")
    if options.lab:
        print("  eas-lb lab up --site site.yaml   (the simulated appliances and EAS stand-ins)")
    elif options.ca_pem is None:
        print("  put the appliances' CA certificate in ca/appliance-ca.pem")
    cli = options.framework
    print(f"  follow README.md (set up once, then: . ./env.sh; eas-lb check; {cli} synth; ...)")
    print(
        "  before switching the workflows on (README.md, 'The workflows'): a pg or s3 backend in "
        "site.yaml, wheels/ filled as wheels/README.md says, package-lock.json committed"
    )
    return 0
