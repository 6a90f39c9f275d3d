"""`eas-lb adopt --site SITE.yaml`: bring a pair configured by hand under this project.

Reads both appliances of every pair (`list dumpconfig`, nothing is written to them), maps their
VIPs back to pools rows, writes pools.txt when the site has none (or compares it with the
appliance when it has one), reports every value that is not the guide's and every object left
alone, and records what the next `cdktf deploy` imports (`SITE.adopted.json` beside the site
file). When every object is already in the stacks' Terraform state (see state.py), there is
nothing to adopt: it says so and writes nothing. Exit 0 when the record was written or nothing
was to adopt, 1 when something must be fixed first.
"""

from __future__ import annotations

import sys
from pathlib import Path

from eas_lb.guide.adoption import AdoptionRecord, record_path, save_record
from eas_lb.inputs.pools import InputFileError, Pool, PoolsFile, Section, load_pools
from eas_lb.inputs.site import Site, load_deployment, load_site
from eas_lb.operations.adopt.pair import PairFindings, preview_pair, read_and_map
from eas_lb.operations.adopt.pools_compare import pool_differences, render_pools
from eas_lb.operations.adopt.report import render
from eas_lb.operations.adopt.reverse import service_vip_of
from eas_lb.operations.adopt.state import stack_state
from eas_lb.operations.appliances.clients import MissingCredentialsError
from eas_lb.operations.command_line import Options
from lborg_provider.client.errors import ApplianceError

EXIT_PROBLEMS = 1


def _pools_or_none(path: Path) -> PoolsFile | None:
    """The site's pools file; None when it is absent or holds no row at all (the placeholder
    `new-site` writes), so adopt writes it from the appliance."""
    if not path.exists():
        return None
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return load_pools(path)  # its own clear error
    if all(not line.strip() or line.lstrip().startswith("#") for line in text.splitlines()):
        return None
    return load_pools(path)


def _explicit_service_addresses(findings: PairFindings) -> list[str]:
    """Service rows written with an address because the site file gives another (or none)."""
    notes = []
    for row in findings.mapping.rows:
        if row.section is Section.SERVICE and row.pool_ip is not None:
            chosen = service_vip_of(findings.pair, row.name)
            site = f"the site file gives {chosen}" if chosen else "the site file sets no service_vip"
            notes.append(
                f"service pool {row.name} is served on {row.pool_ip} and {site}: pools.txt names "
                f"{row.pool_ip} for it (set service_vip or service_vips to write '-' as the EAS does)"
            )
    return notes


def _all_in_state(site_file: Path, site: Site, found: list[PairFindings]) -> list[str] | None:
    """The state files when every object adopt would import is already managed there, else None.

    A site this checkout already deploys has nothing to adopt; recording its objects would
    announce imports that Terraform then skips and leave a record to delete.
    """
    states = []
    for findings in found:
        state = stack_state(site_file, site, findings.stack)
        if state is None:
            return None
        managed = (
            item.address in state.addresses or item.former_address in state.addresses
            for item in findings.preview.objects
            if item.exists
        )
        if not all(managed):
            return None
        states.append(state.where)
    return states


def _write_pools(path: Path, sharing: list[PairFindings]) -> None:
    """pools.txt from the appliances of every pair that serves it: each pair's rows of its sections."""
    chosen: dict[tuple[Section, str], Pool] = {}
    for findings in sharing:  # the first pair's row wins where two pairs both have one
        for row in findings.mapping.rows:
            if row.section in findings.pair.sections:
                chosen.setdefault((row.section, row.name), row)
    rows = list(chosen.values())
    if not any(row.section is Section.MANAGEMENT for row in rows):
        serving = [f for f in sharing if Section.MANAGEMENT in f.pair.sections] or sharing
        sharing[0].problems.append(
            f"no Layer 7 VIP labelled MGMT_<POOL> on {serving[0].primary.name}, so pools.txt cannot be "
            f"written from the appliance: copy it from an EAS server to {path} and run adopt again"
        )
        return
    path.write_text(render_pools(rows), encoding="utf-8")
    for findings in sharing:
        findings.pools_written = str(path)
        findings.notes += _explicit_service_addresses(findings)


def run(args: Options) -> int:
    try:
        return _adopt(args.site)
    except InputFileError as error:
        print(error, file=sys.stderr)
    except (ApplianceError, MissingCredentialsError) as error:
        print(f"adopt: {error}", file=sys.stderr)
    return EXIT_PROBLEMS


def _adopt(site_file: Path) -> int:
    site = load_site(site_file)
    found: list[PairFindings] = []
    site_pools: dict[Path, PoolsFile | None] = {}
    for pair in site.pairs:
        path = site.pools_path(pair)
        if path not in site_pools:
            site_pools[path] = _pools_or_none(path)
        pools = site_pools[path]
        served = pair.served(pools) if pools is not None else None  # two pairs split one file (serves)
        findings = read_and_map(site, pair, served)
        if served is not None:
            findings.pool_differences = pool_differences(served, findings.mapping, pair)
        found.append(findings)
    for path, pools in site_pools.items():
        if pools is None:
            _write_pools(path, [findings for findings in found if site.pools_path(findings.pair) == path])
    if not any(findings.problems for findings in found):
        deployment = load_deployment(site_file)
        for plan, findings in zip(deployment.pairs, found, strict=True):
            preview_pair(site, plan, findings)
        states = _all_in_state(site_file, site, found)
        if states is not None:
            print(
                f"adopt: site {site.name}: nothing to adopt: every object on its appliances is already in "
                f"Terraform state ({', '.join(states)}); cdktf deploy manages them as they are. "
                "Nothing was written (no record, no change to the appliances)"
            )
            return 0
    if site.hypervisor is not None:
        for findings in found:
            findings.notes.append(
                "the site file has a hypervisor section, so it also has a VM stack; adopt imports "
                "nothing there, and deploying it would create new appliance VMs beside these: remove "
                "the hypervisor section while the appliances are the ones made by hand (or import "
                "their VMs into the VM stack yourself), and deploy the lb stack"
            )
    ok = not any(findings.problems for findings in found)
    where = None
    if ok:
        record = AdoptionRecord(
            site=site.name,
            pairs={
                findings.pair.name: findings.adoption for findings in found if findings.adoption is not None
            },
        )
        where = str(save_record(site_file, record))
    print(f"adopt: site {site.name} ({site_file}), read-only: nothing was written to the appliances")
    for findings in found:
        print("\n".join(render(findings, where)))
    if not ok:
        print(f"nothing recorded: fix the problems above and run adopt again ({record_path(site_file)})")
        return EXIT_PROBLEMS
    print(f"next: cdktf deploy (the plan imports the objects recorded in {where}; it destroys nothing)")
    return 0
