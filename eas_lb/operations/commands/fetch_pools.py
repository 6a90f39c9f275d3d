"""`eas-lb fetch-pools --site SITE.yaml [--write]`: the EAS pools.txt against the site's.

Exit status (docs/command-line.md; for scripts and the scheduled workflow):
  0  every reachable EAS server has the site's pools.txt (byte for byte)
  2  the EAS servers agree on a pools.txt that differs from the site's (written with --write)
  1  could not tell: the site file is unusable or has no `eas:` section; no EAS server answered,
     or the fetched file is not a valid pools.txt; or the EAS servers disagree with each other
     (nothing is written). The message, and `--json`'s `outcome`, say which.
A server that could not be reached while others answered is reported on stderr and does not
change the status; `--require-all` makes it status 1.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from eas_lb.inputs.pools import InputFileError, PoolsFile, PoolsFileError, Section, load_pools, parse_pools
from eas_lb.inputs.pools_diff import PoolChange, diff_pools
from eas_lb.inputs.site import Site, load_site
from eas_lb.inputs.site_ssh import EasServers
from eas_lb.operations.command_line import Options
from eas_lb.operations.ssh.pools_fetch import FetchedCopy, FetchOutcome, fetch_all
from lborg_support.files import write_atomic

EXIT_SAME = 0
EXIT_DIFFERS = 2
EXIT_BAD_INPUT = EXIT_NOT_FETCHED = EXIT_SERVERS_DISAGREE = 1


def _error(message: str) -> None:
    print(f"fetch-pools: {message}", file=sys.stderr)


def run(args: Options) -> int:
    try:
        site = load_site(args.site)
    except InputFileError as error:
        _error(str(error))
        return EXIT_BAD_INPUT
    if site.eas is None:
        _error(
            f"{args.site}: no `eas:` section; add one naming the EAS servers, e.g.\n"
            "eas:\n  hosts: [10.225.37.231, 10.225.37.116]\n  user: defcraft\n"
            "  key_file: ssh/eas_ed25519\n  known_hosts: ssh/known_hosts"
        )
        return EXIT_BAD_INPUT
    outcome = fetch_all(site.eas)
    named = frozenset(str(address) for server in site.eas_servers for address in server.addresses)
    return _report(args, site.eas, site.pools, outcome, _serving_pairs(site), named)


def _serving_pairs(site: Site) -> dict[str, str]:
    """Label prefix → the pair serving that section of the site's pools file, when two pairs split
    it (`serves`): each change then names the pair, whose stack's plan review shows it."""
    split = [pair for pair in site.pairs if site.pools_path(pair) == site.pools and pair.serves != "both"]
    prefixes = {Section.MANAGEMENT: "MGMT_", Section.SERVICE: "SERV_"}
    return {prefixes[section]: pair.name for pair in split for section in pair.sections}


def _pair_of(change: PoolChange, pairs: dict[str, str]) -> str | None:
    return next((name for prefix, name in pairs.items() if change.label.startswith(prefix)), None)


def _report(
    args: Options,
    eas: EasServers,
    local_path: Path,
    outcome: FetchOutcome,
    pairs: dict[str, str] | None = None,
    named: frozenset[str] | None = None,
) -> int:
    """Compare the one pools.txt the EAS servers agree on with the site's; `named`: the addresses
    the site file's `eas_servers:` names (None: do not look)."""
    pairs = pairs or {}
    report: dict[str, Any] = {
        "servers": [text for text, _host, _port in eas.endpoints()],
        "unreachable": outcome.failures,
        "site_pools": str(local_path),
    }
    agreed = _agreed_copy(args, eas, outcome, report)
    if isinstance(agreed, int):
        return agreed
    source = f"{agreed.server}:{eas.path}"
    try:
        fetched = parse_pools(agreed.data.decode("utf-8"), source=source)
    except UnicodeDecodeError:
        _error(f"{source}: not UTF-8 text")
        return _finish(args, report, "not-fetched", EXIT_NOT_FETCHED)
    except PoolsFileError as error:
        _error(f"the fetched pools.txt is not valid:\n{error}")
        return _finish(args, report, "not-fetched", EXIT_NOT_FETCHED)
    if named is not None:
        _note_unnamed(fetched, named, report)
    return _compare_with_local(args, eas, local_path, agreed, fetched, report, pairs)


def unnamed_addresses(pools: PoolsFile, named: frozenset[str]) -> dict[str, list[str]]:
    """Per section ("management", "service"), the addresses of `pools` that `eas_servers:` does not
    name; {} when there is nothing to name (a scenario-2 site without names: one address each)."""
    if not named and not (pools.management and pools.service):
        return {}
    found: dict[str, list[str]] = {}
    for key, rows in (("management", pools.management), ("service", pools.service)):
        addresses = dict.fromkeys(str(server) for pool in rows for server in pool.servers)
        missing = [address for address in addresses if address not in named]
        if missing:
            found[key] = missing
    return found


def _note_unnamed(pools: PoolsFile, named: frozenset[str], report: dict[str, Any]) -> None:
    """Say which addresses no name covers yet; never pair them: pools.txt does not say which
    management address and which service address are one EAS server."""
    missing = unnamed_addresses(pools, named)
    report["unnamed_addresses"] = missing
    if not missing:
        return
    listed = "; ".join(f"{key}: {', '.join(addresses)}" for key, addresses in missing.items())
    _error(
        f"note: eas_servers: names no EAS server with these addresses ({listed}); pools.txt does "
        "not say which addresses are one server, so name each in the site file with all its "
        "addresses (docs/site-file.md, eas_servers:), and maintenance: by name takes it out on "
        "every VIP of both layers"
    )


def _agreed_copy(
    args: Options, eas: EasServers, outcome: FetchOutcome, report: dict[str, Any]
) -> FetchedCopy | int:
    """The one copy every reachable server holds, or the exit code when there is none to trust
    (nothing read, a server unread under --require-all, or servers holding different files)."""
    for server, reason in outcome.failures.items():
        _error(f"{server}: {reason}")
    if not outcome.copies:
        _error(f"could not fetch {eas.path} from any EAS server")
        return _finish(args, report, "not-fetched", EXIT_NOT_FETCHED)
    if args.require_all and outcome.failures:
        _error(f"{len(outcome.failures)} EAS server(s) could not be read (--require-all)")
        return _finish(args, report, "not-fetched", EXIT_NOT_FETCHED)
    versions = outcome.versions()
    report["versions"] = versions
    agreed = outcome.agreed
    if agreed is None:
        _error(f"the EAS servers do not hold the same {eas.path}:")
        for digest, servers in versions.items():
            _error(f"  version {digest}: {', '.join(servers)}")
        if not args.json:
            _print_disagreement(outcome)
        return _finish(args, report, "servers-disagree", EXIT_SERVERS_DISAGREE)
    return agreed


# Parameters alike drain_notices.py's _change in shape only; the two share no logic.
def _compare_with_local(
    args: Options,
    eas: EasServers,
    local_path: Path,
    agreed: FetchedCopy,
    fetched: PoolsFile,
    report: dict[str, Any],
    pairs: dict[str, str],
) -> int:
    """The site's pools.txt against the fetched one: same, or the changes (written with --write)."""
    versions = report["versions"]
    source = f"{agreed.server}:{eas.path}"
    current, current_bytes, problem = _current(local_path)
    if current_bytes == agreed.data:
        report["changes"] = []
        if not args.json:
            print(f"{local_path} is the same as {eas.path} on {', '.join(versions[agreed.digest])}")
        return _finish(args, report, "same", EXIT_SAME)
    changes = diff_pools(current, fetched)
    report["changes"] = [
        {
            "kind": c.kind,
            "pool": c.label,
            "change": c.text,
            **({"pair": p} if (p := _pair_of(c, pairs)) else {}),
        }
        for c in changes
    ]
    if problem:
        report["site_pools_problem"] = problem
    if not args.json:
        _print_changes(local_path, source, changes, problem, pairs)
    if args.write:
        write_atomic(local_path, agreed.data)  # keeps the mode of the pools.txt it replaces
        report["written"] = True
        if not args.json:
            print(f"wrote {local_path}")
    return _finish(args, report, "differs", EXIT_DIFFERS)


def _current(path: Path) -> tuple[PoolsFile | None, bytes | None, str | None]:
    """The site's pools.txt: parsed (None when missing or invalid), its bytes, and what is wrong with it."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None, None, f"{path} does not exist yet"
    except OSError as error:
        return None, None, f"{path} cannot be read: {error.strerror}"
    try:
        return load_pools(path), data, None
    except PoolsFileError as error:
        count = len(error.problems)
        return None, data, f"{path} is not valid ({count} problem(s)); every pool counts as added"


def _print_changes(
    local: Path, source: str, changes: list[PoolChange], problem: str | None, pairs: dict[str, str]
) -> None:
    print(f"{source} differs from {local}:")
    if problem:
        print(f"  ({problem})")
    if not changes:
        print("  no pool changes: only comments, spacing or row order differ")
    for change in changes:
        pair = _pair_of(change, pairs)
        print(f"  {change}" + (f" (pair {pair})" if pair else ""))


def _print_disagreement(outcome: FetchOutcome) -> None:
    copies = {copy.digest: copy for copy in outcome.copies}
    digests = list(outcome.versions())
    reference = copies[digests[0]]
    base = _parse_quietly(reference.data, reference.server)
    for digest in digests[1:]:
        other = copies[digest]
        parsed = _parse_quietly(other.data, other.server)
        print(f"{other.server} differs from {reference.server}:")
        if base is None or parsed is None:
            print("  (one of the two is not a valid pools.txt)")
            continue
        for change in diff_pools(base, parsed) or []:
            print(f"  {change}")


def _parse_quietly(data: bytes, source: str) -> PoolsFile | None:
    try:
        return parse_pools(data.decode("utf-8"), source=source)
    except (UnicodeDecodeError, PoolsFileError):
        return None


def _finish(args: Options, report: dict[str, Any], outcome: str, code: int) -> int:
    if args.json:
        report["outcome"] = outcome
        report["exit_status"] = code
        print(json.dumps(report, indent=2))
    return code
