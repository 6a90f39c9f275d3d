"""The files of a new site repository, rendered from a few answers (pure: no file is written here).

A site repository holds only what is the site's: `site.yaml`, `pools.txt`, the appliances' CA, a
few-line `main.py` that runs the installed `eas_lb`, `cdktf.json`, the plan-review workflow and,
with the local backend, the Terraform state. The library, the provider and the CLI come from the
installed package, so upgrading them is a change of `requirements.txt`, not a merge.
"""

from __future__ import annotations

import ipaddress
import json
import uuid
from dataclasses import dataclass
from importlib import resources
from typing import Literal

from eas_lb.inputs.site_schema import schema_text

#: Documentation ranges (RFC 5737): placeholders that can never reach a real host by mistake.
_PLACEHOLDER_MANAGEMENT = "192.0.2"
_PLACEHOLDER_SERVICE = "198.51.100"
#: The pairs of the `two-pairs` topology, in the guide's order: the pair between the external
#: clients and the service network first, then the pair in the management network.
TWO_PAIRS = ("service", "management")
CDKTF_CLI_VERSION = "0.21.0"
#: A cdktn site's pins: the Python library (the `cdktn` extra of eas-lb), its CLI, and the Node.js
#: (npm package `node`) that CLI needs, >= 22.19, installed in the site's node_modules.
CDKTN_VERSION = "0.24.0"
CDKTN_NODE_VERSION = "22.23.3"


@dataclass(frozen=True)
class SiteOptions:
    """What `new-site` asks for; everything else is a documented default the user edits later."""

    name: str
    scenario: Literal[1, 2] = 2
    #: The scenario was given (option or answer), so site.yaml states it and `check` holds pools.txt
    #: to it; otherwise site.yaml says `auto` and the pools file decides.
    scenario_given: bool = False
    pairs: int = 1
    ha: bool = True
    #: API address of each appliance in order (pair 1 primary, pair 1 secondary, pair 2 ...):
    #: `HOST` or `HOST:PORT`. Missing ones get documentation-range placeholders.
    appliances: tuple[str, ...] = ()
    management_prefix: int = 24
    #: PEM text of the CA that signed the appliances' API certificates, if known now.
    ca_pem: str | None = None
    #: The appliances are the lab's simulated ones (`eas-lb lab up`), which write their
    #: CA to `lab/ca/ca.pem`: the lab keeps its files in `lab/`, beside the site file.
    lab: bool = False
    eas_lb_requirement: str = "eas-lb==0.1.0"
    cdktf_bin_dir: str | None = None
    #: The bin folder of the virtualenv `new-site` ran from (its `eas-lb`), for env.sh: a site set up
    #: from the checkout's `.venv` works in a new shell without activating it first.
    venv_bin_dir: str | None = None
    #: The folder of the pinned Node.js 22 (a checkout's), for env.sh: the CLIs run on it.
    node_bin_dir: str | None = None
    #: The CDK the site runs on: cdktf (the default) or its community fork CDK Terrain (cdktn),
    #: chosen by the site's requirements.txt, package.json and `EAS_LB_FRAMEWORK` in env.sh.
    framework: Literal["cdktf", "cdktn"] = "cdktf"
    #: Scenario 1: eth1 address/prefix per appliance, the service VIP, the EAS service subnet and
    #: the floating service gateway. Missing ones get documentation-range placeholders.
    service_ips: tuple[str, ...] = ()
    service_vip: str | None = None
    eas_service_subnet: str | None = None
    service_gateway: str | None = None
    #: `one-pair`: each pair serves all of its pools file (pair 2 and on get a pools file each);
    #: `two-pairs`: scenario 1 split over two HA pairs fed by one pools.txt (guide 8.1), a Layer 4
    #: pair (`serves: service`) and a Layer 7 pair (`serves: management`).
    topology: Literal["one-pair", "two-pairs"] = "one-pair"

    @property
    def nodes_per_pair(self) -> int:
        return 2 if self.ha else 1

    def pair_name(self, pair: int) -> str:
        if self.topology == "two-pairs":
            return TWO_PAIRS[pair]
        return f"pair{pair + 1}"

    def pools_file(self, pair: int) -> str:
        """The pools file of a pair: the site's, except for the extra pairs of a `one-pair` site,
        which serve pools files of their own (one file served twice would bring its VIPs up twice)."""
        return (
            "pools.txt" if pair == 0 or self.topology == "two-pairs" else f"pools-{self.pair_name(pair)}.txt"
        )

    def serves_service(self, pair: int) -> bool:
        return self.scenario == 1 and (self.topology == "one-pair" or TWO_PAIRS[pair] == "service")

    @property
    def appliance_count(self) -> int:
        return self.pairs * self.nodes_per_pair


def _host_port(text: str) -> tuple[str, int]:
    host, sep, port = text.rpartition(":")
    if sep and port.isdigit() and (host.startswith("[") or ":" not in host):
        return host.strip("[]"), int(port)
    return text.strip("[]"), 9443


def endpoints(options: SiteOptions) -> list[tuple[str, int, bool]]:
    """(host, port, is_placeholder) per appliance."""
    found: list[tuple[str, int, bool]] = []
    for index in range(options.appliance_count):
        if index < len(options.appliances):
            host, port = _host_port(options.appliances[index])
            ipaddress.ip_address(host)  # ValueError for anything but an address
            found.append((host, port, False))
        else:
            found.append((f"{_PLACEHOLDER_MANAGEMENT}.{11 + index}", 9443, True))
    return found


def _url(host: str, port: int) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"https://{shown}:{port}"


def site_yaml(options: SiteOptions) -> str:
    nodes = endpoints(options)
    todo = "  # TODO: the appliance's address" if any(p for _, _, p in nodes) else ""
    lines = [
        "# yaml-language-server: $schema=site-file.schema.json",
        f"# The site {options.name}: its appliances and how to reach them. Every key, its default and",
        "# an example: docs/site-file.md of the eas-lb project (your editor completes them from the",
        "# schema named on the first line). Check it with: eas-lb check",
        f"name: {options.name}",
        "pools: pools.txt                # the EAS pools.txt (replace the placeholder)",
        _scenario_line(options),
        *_EAS_SERVERS_EXAMPLE,
        "credentials:                    # NAMES of environment variables, never the values",
        "  username_env: LBORG_USERNAME",
        "  password_env: LBORG_PASSWORD",
        "  api_key_env: LBORG_API_KEY",
        "pairs:",
    ]
    for pair in range(options.pairs):
        lines += _pair_lines(options, pair, nodes, todo)
    lines += _backup_lines(options)
    lines += [
        "backend:",
        "  kind: local                   # state files here; a team uses pg or s3 (docs/site-file.md)",
        "",
    ]
    return "\n".join(lines)


def _pair_lines(options: SiteOptions, pair: int, nodes: list[tuple[str, int, bool]], todo: str) -> list[str]:
    """One entry of `pairs:`: its name, what it serves, its appliances and its service addresses."""
    lines = [f"  - name: {options.pair_name(pair)}"]
    if options.topology == "two-pairs":
        meaning = {
            "service": "'# SERVICE' of pools.txt: Layer 4 NAT VIPs, the service network",
            "management": "'# MANAGEMENT' of pools.txt: Layer 7 VIPs, the management network only",
        }[TWO_PAIRS[pair]]
        lines.append(f"    serves: {TWO_PAIRS[pair]}".ljust(34) + f"# {meaning}")
    elif pair > 0:
        lines.append(
            f"    pools: {options.pools_file(pair)}".ljust(34)
            + "# TODO: this pair's own pools.txt (a file served by two pairs is refused)"
        )
    first = pair == 0 or options.topology == "two-pairs"  # given values: once per site
    roles = ("primary", "secondary")[: options.nodes_per_pair]
    for offset, role in enumerate(roles):
        index = pair * options.nodes_per_pair + offset
        host, port, placeholder = nodes[index]
        lines += [
            f"    {role}:",
            f"      name: lb{index + 1}",
            f"      endpoint: {_url(host, port)}{todo if placeholder else ''}",
            f"      management_ip: {host}/{options.management_prefix}",
        ]
        if options.serves_service(pair):
            given = options.service_ips[index] if index < len(options.service_ips) else None
            lines.append(
                _setting("      service_ip", given, f"{_PLACEHOLDER_SERVICE}.{240 + index}/25", "eth1")
            )
        lines.append(f"      ca_file: {ca_file_line(options)}")
    if options.serves_service(pair):
        # Every pair its own placeholders: one address written twice would be a conflict.
        lines += [
            _setting(
                "    service_vip",
                options.service_vip if first else None,
                f"{_PLACEHOLDER_SERVICE}.{150 + pair}",
                "VIP of '-' pools",
            ),
            _setting(
                "    eas_service_subnet",
                options.eas_service_subnet if first else None,
                f"{_PLACEHOLDER_SERVICE}.0/25",
                "the EAS servers' service subnet",
            ),
        ]
        if options.ha:
            lines.append(
                _setting(
                    "    service_gateway",
                    options.service_gateway if first else None,
                    f"{_PLACEHOLDER_SERVICE}.{10 + pair}",
                    "floating IP, the EAS servers' gateway",
                )
            )
    return lines


#: A commented `eas_servers:` section: pools.txt does not say which management address and which
#: service address are one EAS server, so new-site cannot write it; the comment says how.
_EAS_SERVERS_EXAMPLE = (
    "# Each EAS server once, by name, with every address pools.txt gives it (scenario 1: its",
    "# management and its service address), so maintenance: [{server: eas-3}] takes it out on both",
    "# layers. pools.txt does not say which addresses are one server: take them from the EAS itself.",
    "# eas_servers:",
    "#   - name: eas-3",
    "#     addresses: [10.225.37.231, 192.168.85.61]",
)


#: The SSH port of the lab's appliances: not 22, which the machine's own sshd may hold.
LAB_SSH_PORT = 2222


def _backup_lines(options: SiteOptions) -> list[str]:
    """`backup:`: lb_config.xml of every appliance copied before each deploy (the README's upgrade
    procedure expects them). The lab serves it as written (`eas-lb lab up` makes the key and
    writes the host keys, as root); a real site names the appliances' SSH user and key."""
    if options.lab:
        return [
            "backup:                         # lb_config.xml copied over SSH before every eas-lb deploy",
            "  user: root",
            "  key_file: lab/ssh/appliance_ed25519   # made by `eas-lb lab up` (as root: it serves SSH)",
            "  known_hosts: lab/ssh/known_hosts      # the lab's host key, written by `eas-lb lab up`",
            f"  port: {LAB_SSH_PORT}",
            "  directory: lab/backups",
        ]
    return [
        "backup:                         # lb_config.xml copied over SSH before every eas-lb deploy",
        "  user: root                    # TODO: the appliances' SSH user (root on a Loadbalancer.org one)",
        "  key_file: ssh/appliance_ed25519   # TODO: the private key that user accepts (never committed)",
        "  known_hosts: ssh/known_hosts  # TODO: the appliances' host keys (ssh-keyscan, checked by hand)",
        "  directory: backups",
    ]


def _scenario_line(options: SiteOptions) -> str:
    if not options.scenario_given:
        return "scenario: auto                  # 1 with a '# SERVICE' section in pools.txt, else 2"
    meaning = (
        "service network: pools.txt has a '# SERVICE' section" if options.scenario == 1 else "management only"
    )
    return f"scenario: {options.scenario}                     # {meaning} (auto: from pools.txt)"


def _setting(key: str, given: str | None, placeholder: str, meaning: str) -> str:
    if given is not None:
        return f"{key}: {given}"
    return f"{key}: {placeholder}  # TODO: {meaning}"


def main_py() -> str:
    return (
        '"""The cdktf app of this site: every stack of site.yaml (or of the site file EAS_SITE names).\n\n'
        "Written by `eas-lb new-site`; the stacks come from the installed eas_lb package.\n"
        '"""\n\n'
        "from pathlib import Path\n\n"
        "from eas_lb.synth.site_app import run_site_app\n\n"
        'if __name__ == "__main__":\n'
        '    raise SystemExit(run_site_app(Path(__file__).resolve().parent / "site.yaml"))\n'
    )


def cdktf_json(options: SiteOptions) -> str:
    config = {
        "language": "python",
        "app": "python main.py",
        "projectId": str(uuid.uuid5(uuid.NAMESPACE_DNS, f"{options.name}.eas-lb.site")),
        "sendCrashReports": "false",
        "terraformProviders": [],
        "terraformModules": [],
        "codeMakerOutput": "imports",
        "context": {},
    }
    return json.dumps(config, indent=2) + "\n"


def package_json(options: SiteOptions) -> str:
    if options.framework == "cdktn":
        description = (
            "Pins the CDK Terrain CLI that matches the cdktn Python library, and the Node.js 22 it "
            "needs (npm package node: the system's Node.js is left as it is)."
        )
        tools = {"cdktn-cli": CDKTN_VERSION, "node": CDKTN_NODE_VERSION}
    else:
        description = "Pins the cdktf CLI that matches the cdktf Python library eas-lb uses."
        tools = {"cdktf-cli": CDKTF_CLI_VERSION}
    config = {
        "name": f"{options.name.lower()}-site",
        "private": True,
        "description": description,
        "devDependencies": tools,
    }
    return json.dumps(config, indent=2) + "\n"


def requirements_txt(options: SiteOptions) -> str:
    text = (
        "# eas-lb brings the constructs, the lborg Terraform provider, verify and plan-review.\n"
        "# Point this at a wheel (python -m pip wheel --no-deps PATH/TO/eas-lb), your package index,\n"
        "# or a checkout; wheels put in wheels/ are found through the line below (the drift workflow\n"
        "# installs from wheels/ alone: wheels/README.md says how to fill it).\n"
        "--find-links wheels\n"
        f"{options.eas_lb_requirement}\n"
    )
    if options.framework == "cdktn":
        text += (
            "# The stacks run on CDK Terrain (EAS_LB_FRAMEWORK=cdktn in env.sh): eas-lb's cdktn extra.\n"
            f"cdktn=={CDKTN_VERSION}\n"
        )
    return text


def env_sh(options: SiteOptions) -> str:
    folders = [folder for folder in (options.node_bin_dir, options.cdktf_bin_dir) if folder]
    extra_path = "".join(f"{folder}:" for folder in dict.fromkeys(folders))
    cli = options.framework
    installed_with = (
        f'elif [ -x "{options.venv_bin_dir}/eas-lb" ]; then export PATH="{options.venv_bin_dir}:$PATH"\n'
        if options.venv_bin_dir
        else ""
    )
    return (
        "# Source this file in every shell that works on this site, from this directory:  . ./env.sh\n"
        "# Written by `eas-lb new-site`.\n"
        "if [ ! -f site.yaml ] || [ ! -f cdktf.json ]; then\n"
        '  echo "env.sh: source it from the site repository (the directory holding site.yaml)" >&2\n'
        "  return 1 2>/dev/null || exit 1\n"
        "fi\n"
        "# EAS_SITE: the site every command uses; TF_CLI_CONFIG_FILE: written by\n"
        "# `eas-lb provider install`; CHECKPOINT_DISABLE, DISABLE_VERSION_CHECK: no version lookups by\n"
        "# terraform and cdktf (cdktf asks npm at a terminal); JSII_SILENCE...: no end-of-life banner\n"
        "# where only an older Node.js is installed;\n"
        "# CDKTF_DISABLE_PLUGIN_CACHE_ENV: each init reads this site's own provider mirror, never a copy\n"
        "# of another build of lborg 0.1.0 left in the user's shared plugin cache; EAS_LB_FRAMEWORK:\n"
        "# the CDK the stacks run on (cdktf, or its community fork cdktn), as package.json pins it.\n"
        'export EAS_SITE="$PWD/site.yaml"\n'
        'export TF_CLI_CONFIG_FILE="$PWD/build/terraformrc"\n'
        "export CHECKPOINT_DISABLE=1\n"
        "export DISABLE_VERSION_CHECK=1\n"
        "export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=20\n"
        "export CDKTF_DISABLE_PLUGIN_CACHE_ENV=1\n"
        f"export EAS_LB_FRAMEWORK={cli}\n"
        f'export PATH="$PWD/node_modules/.bin:{extra_path}$PATH"\n'
        "# eas-lb: the site's own .venv, else the virtualenv new-site ran from (the checkout's .venv).\n"
        "if [ -d .venv ]; then . .venv/bin/activate\n"
        f"{installed_with}"
        "fi\n"
        "command -v eas-lb >/dev/null || echo 'env.sh: eas-lb not found: run "
        "python3 -m venv .venv && .venv/bin/pip install -r requirements.txt, then . ./env.sh again' >&2\n"
        f'command -v {cli} >/dev/null || echo "env.sh: {cli} not found: run npm install here" >&2\n'
        '[ -f build/terraformrc ] || echo "env.sh: run eas-lb provider install (once)" >&2\n'
    )


def _ca_sentence(options: SiteOptions) -> str:
    if options.lab:
        return (
            "The appliances are simulated on loopback: `eas-lb lab up --site site.yaml` starts\n"
            f"them (and stand-ins for the EAS servers), writes their CA to `{LAB_CA_FILE}` and keeps its\n"
            "files in `lab/`, never committed; `eas-lb lab down --site site.yaml` stops them."
        )
    return "Put the CA certificate of the appliances' API in `ca/appliance-ca.pem`."


def readme(options: SiteOptions) -> str:
    first_stack = f"{options.name}-{options.pair_name(0)}-lb"
    cli = options.framework
    if cli == "cdktn":
        framework = (
            "CDK Terrain (cdktn), the community fork\nof the archived cdktf (`EAS_LB_FRAMEWORK=cdktn` in"
            " `env.sh`; the VM stacks need cdktf)"
        )
        node = "Node.js 20+ for npm"
        npm = "the cdktn CLI and the Node.js 22 it needs"
    else:
        framework, node, npm = "cdktf", "Node.js 20+", "the cdktf CLI pinned in package.json"
    return f"""# Site {options.name}

The load balancers of the Metaswitch EAS site `{options.name}` as code: `site.yaml` names the
appliances, `pools.txt` (from the EAS) the VIPs, and [eas-lb](requirements.txt) turns both into
one Terraform stack per HA pair (`{options.name}-<pair>-lb`), deployed with {framework}.

## Set up once (Python 3.11+, {node}, Terraform 1.11 on the PATH)
```sh
python3 -m venv .venv && . .venv/bin/activate
python -m pip install -r requirements.txt   # eas-lb (see requirements.txt for where it comes from)
npm install --no-audit --no-fund            # {npm}
eas-lb provider install            # the lborg provider, in a mirror in build/
```

## Every change
```sh
. ./env.sh                                  # EAS_SITE, TF_CLI_CONFIG_FILE, PATH (every new shell)
eas-lb check                      # pools.txt and site.yaml: every problem, with line and column
{cli} synth                                 # the stacks, in cdktf.out/ (and their provider lock entries)
eas-lb plan-review --out review.md   # what would change, in pool terms
{cli} deploy {first_stack}                  # one stack per pair; add --auto-approve in scripts
eas-lb verify                     # every VIP answers, as pools.txt says
eas-lb drift                      # read-only: what changed on the appliances since the deploy
```
With a `backup:` section in `site.yaml`, `eas-lb deploy` and `eas-lb destroy`
copy every appliance's lb_config.xml before running `{cli} deploy` or `{cli} destroy`.
Credentials come from the environment variables `site.yaml` names (`LBORG_USERNAME`,
`LBORG_PASSWORD`, `LBORG_API_KEY` unless you changed them); they never appear in a file.
{_ca_sentence(options)}

## What is here
| file | what it is |
| --- | --- |
| `site.yaml` | the site: appliances, endpoints, service network, backend ([schema](site-file.schema.json)) |
| `pools.txt` | the EAS pools file, copied from the EAS servers as it is |
| `main.py`, `cdktf.json` | the {cli} app: the stacks of the installed eas-lb for `site.yaml` |
| `env.sh` | the environment the commands above need |
| `.github/workflows/plan-review.yml` | a review comment on every pull request; applies it on merge |
| `.github/workflows/drift.yml` | nightly drift check: one issue while appliances differ |
| `wheels/` | eas-lb and its dependencies, for runners without internet ([how](wheels/README.md)) |
| `terraform.<stack>.tfstate` | state of the local backend (see `.gitignore`; a team uses `pg`/`s3`) |
| `site.adopted.json` | a pair set up by hand: `eas-lb adopt` writes it before the first deploy |

{_readme_workflows(cli)}"""


def _readme_workflows(cli: str) -> str:
    """The README's section on the two GitHub workflows and the settings the API cannot write."""
    return f"""## The workflows
Both need a shared backend (`backend: kind: pg` or `s3` in `site.yaml`, credentials as the
secrets `PG_CONN_STR` or `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY`) and the appliance secrets
`LBORG_USERNAME`, `LBORG_PASSWORD`, `LBORG_API_KEY`.

- **Plan review** (`PLAN_REVIEW_RUNNER`, a runner that reaches the appliances): every pull request
  gets one comment with the review; the plans reviewed are kept as the run's artifact
  `reviewed-plans-<commit>` for 7 days (plan files can hold sensitive values: anyone who can read
  this repository's Actions can download them). When the pull request is merged, the job
  `apply-reviewed` (`APPLY_RUNNER`, default the review's runner) applies exactly those plans with
  `eas-lb deploy --reviewed`; if the merged code or the appliances changed since the
  review it refuses and changes nothing: run the review again, then re-run the job.
- **Drift watch** (`DRIFT_RUNNER`, a self-hosted runner in the management network; it needs no
  internet): every night, one issue kept up to date while the appliances differ from the code.
  The runner needs Python 3.11+, Node.js 20+ and Terraform 1.11 installed, and downloads nothing:
  - eas-lb and its dependencies come from `wheels/` (commit them; [wheels/README.md](wheels/README.md));
  - the {cli} CLI comes from `package-lock.json` (commit it: `npm install` writes it) and the
    runner's npm cache: run `npm ci --cache ~/.npm` once as the runner's user where the npm
    registry is reachable (or copy such a `~/.npm`), or set the repository variable `NPM_CACHE`
    to the folder that holds it;
  - GitHub is reached with the job's token through its REST API (no `gh` CLI).

The global health-check settings of the deployment guide (Layer 7 interval 3000 ms; Layer 4
check interval 3 s, timeout 3 s, failure count 2) cannot be written through the API: set them on
each appliance's WebUI once; the stacks check them and stop with the page to change when they differ.
"""


#: Where the lab's simulated appliances write their CA: a folder of its own, one level below the
#: site, because the lab keeps its state and credentials in that folder's parent (`lab/`).
LAB_CA_FILE = "lab/ca/ca.pem"


def ca_file_line(options: SiteOptions) -> str:
    """The value of each appliance's `ca_file`, with the comment that says who writes the file."""
    if options.lab:
        return f"{LAB_CA_FILE}   # written by `eas-lb lab up --site site.yaml`"
    return "ca/appliance-ca.pem   # the CA of the appliance's API certificate"


def _template(name: str) -> str:
    return resources.files("eas_lb").joinpath("templates", "site", name).read_text(encoding="utf-8")


def workflow(options: SiteOptions, name: str = "plan-review.yml") -> str:
    """A workflow of the site: the appliance credentials in its env, the site's CDK in its steps."""
    names = ("LBORG_USERNAME", "LBORG_PASSWORD", "LBORG_API_KEY")
    lines = ["      # Appliance credentials: the variables site.yaml's `credentials` name."]
    lines += [f"      {name}: ${{{{ secrets.{name} }}}}" for name in names]
    text = _template(f"workflows/{name}")
    if options.framework == "cdktn":
        lines = ["      EAS_LB_FRAMEWORK: cdktn", *lines]
        text = text.replace("cdktf synth", "cdktn synth").replace("the cdktf CLI", "the cdktn CLI")
    return text.replace("@@CREDENTIALS_ENV@@", "\n".join(lines))


def render(options: SiteOptions) -> dict[str, str]:
    """Relative path → content of every file of the new repository."""
    files = {
        "site.yaml": site_yaml(options),
        "site-file.schema.json": schema_text(),
        "pools.txt": _template("pools.txt"),
        **{options.pools_file(pair): _template("pools.txt") for pair in range(1, options.pairs)},
        "main.py": main_py(),
        "cdktf.json": cdktf_json(options),
        "package.json": package_json(options),
        "requirements.txt": requirements_txt(options),
        "env.sh": env_sh(options),
        "README.md": readme(options),
        ".gitignore": _template("gitignore"),
        ".github/workflows/plan-review.yml": workflow(options),
        ".github/workflows/plan-review-comment.js": _template("workflows/plan-review-comment.js"),
        ".github/workflows/drift.yml": workflow(options, "drift.yml"),
        "wheels/README.md": _template("wheels-README.md"),
    }
    if options.ca_pem is not None:
        files["ca/appliance-ca.pem"] = options.ca_pem
    elif not options.lab:
        files["ca/README.md"] = (
            "Put the PEM certificate of the CA that signed the appliances' API certificates here as\n"
            "`appliance-ca.pem` (site.yaml's `ca_file`). Appliances ship a self-signed one: export it\n"
            "from the WebUI, or ask whoever installed them.\n"
        )
    return files
