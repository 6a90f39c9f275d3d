"""A lab for one's own site: its appliances, EAS stand-ins and an SSH server, all on loopback.

The demo's `up` starts simulated appliances and stand-in EAS servers; the SSH features
(`fetch-pools`, backups before a deploy, `restore`) also need an SSH server at each EAS server's
and each appliance's address that shows the file the feature reads: the EAS pools.txt at the
site's `eas.path`, the appliance's `lb_config.xml` at its `config_path`. The lab gives each such
address a chroot (see `sshd.py`) and makes each simulator's state directory the chroot's
`etc/loadbalancer.org/`, so a backup copies the simulator's live configuration and a restore
replaces it. The site's own key files and known_hosts files are used as the README describes
them: a missing key is made, and the lab's host key is written to the known_hosts files, because
the lab is the machine those files describe.
"""

from __future__ import annotations

import hashlib
import ipaddress
import os
import pwd
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from eas_lb.inputs.site import Deployment
from eas_lb.inputs.site_ssh import SshLogin
from eas_lb.operations.demo import kernel_nat, processes, runtime
from eas_lb.operations.demo.layout import DemoLayout, NotADemoSiteError, demo_layout
from eas_lb.operations.demo.sshd import (
    READY_LINE,
    ChrootSshd,
    SshServerUnavailable,
    keygen,
    public_key_of,
    require_root,
)
from eas_lb.operations.ssh.backups import appliance_access
from eas_lb.operations.terraform.cdktf import cdktf_env

SSHD_PROCESS = "sshd"
NO_SSH_HINT = (
    "run the lab as root (sudo -E), or add --no-ssh to start only the appliances and EAS stand-ins "
    "(fetch-pools, backups and restore then have no server to reach)"
)


@dataclass
class LabSsh:
    """What the lab's sshd serves, worked out from the site before anything starts."""

    server: ChrootSshd
    state_dirs: dict[str, Path]  # appliance -> the directory in its chroot that holds lb_config.xml
    pools_copies: list[Path]  # pools.txt as each EAS server shows it
    logins: list[tuple[SshLogin, list[tuple[str, int]]]] = field(default_factory=list)


def _loopback(host: str, what: str) -> str:
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        raise NotADemoSiteError(
            f"{what} {host!r} is not an IP address; the lab only serves loopback addresses"
        ) from None
    if not address.is_loopback:
        raise NotADemoSiteError(f"{what} {host} is not a loopback address; the lab only serves 127.x")
    return str(address)


def base_dir(layout: DemoLayout) -> Path:
    """One base per site: under /run, root-owned as sshd's chroot requires, and gone at reboot."""
    digest = hashlib.sha256(str(layout.run_dir.resolve()).encode()).hexdigest()[:10]
    return Path("/run") / f"eas-lb-lab-{digest}"


def _inside(root: Path, remote: str) -> Path:
    return root / PurePosixPath(remote).relative_to("/")


def plan_ssh(deployment: Deployment, layout: DemoLayout) -> LabSsh:
    """The addresses, ports, users and files the lab's sshd serves; refuses what it cannot serve."""
    site = deployment.site
    listen: dict[str, int] = {}
    logins: list[tuple[SshLogin, list[tuple[str, int]]]] = []

    def add(address: str, port: int) -> None:
        if listen.setdefault(address, port) != port:
            raise NotADemoSiteError(
                f"{address} is reached over SSH on two ports; the lab serves one port per address"
            )

    appliance_paths: dict[str, tuple[str, str]] = {}
    if site.backup is not None:
        reached = []
        for access in appliance_access(site, site.backup):
            host = _loopback(access.target.host, f"SSH address of appliance {access.name}")
            add(host, access.target.port)
            reached.append((host, access.target.port))
            if PurePosixPath(access.config_path).name != "lb_config.xml":
                raise NotADemoSiteError(
                    f"appliance {access.name}: the lab's simulated appliance keeps lb_config.xml, "
                    f"not {access.config_path}"
                )
            appliance_paths[access.name] = (host, access.config_path)
        logins.append((site.backup, reached))
    eas_paths: list[tuple[str, str]] = []
    if site.eas is not None:
        reached = []
        for _, host, port in site.eas.endpoints():
            host = _loopback(host, "EAS server")
            add(host, port)
            reached.append((host, port))
            eas_paths.append((host, site.eas.path))
        logins.append((site.eas, reached))
    users = tuple(dict.fromkeys(login.user for login, _ in logins))
    for user in users:
        try:
            pwd.getpwnam(user)
        except KeyError:
            raise NotADemoSiteError(
                f"the site logs in over SSH as {user!r}, which is no account on this machine; the lab's sshd "
                f"only accepts local accounts: set `user: root` in that section while you use the lab"
            ) from None
    server = ChrootSshd(base_dir(layout), tuple(listen.items()), users)
    state_dirs = {
        name: _inside(server.root(host), str(PurePosixPath(path).parent))
        for name, (host, path) in appliance_paths.items()
    }
    copies = [_inside(server.root(host), path) for host, path in eas_paths]
    return LabSsh(server, state_dirs, copies, logins)


def _give_back(path: Path) -> None:
    """Files made for the user under sudo belong to the user, not to root."""
    uid, gid = os.environ.get("SUDO_UID"), os.environ.get("SUDO_GID")
    if os.geteuid() == 0 and uid and gid and uid.isdigit() and gid.isdigit():
        os.chown(path, int(uid), int(gid))


def _public_keys(lab: LabSsh, say: list[str]) -> list[str]:
    keys: list[str] = []
    for login, _ in lab.logins:
        if not login.key_file.exists():
            new_folder = not login.key_file.parent.exists()
            keygen(login.key_file, "eas-lb-lab")
            folder = [login.key_file.parent] if new_folder else []
            for made in (*folder, login.key_file, Path(f"{login.key_file}.pub")):
                _give_back(made)
            say.append(f"made the key {login.key_file} (the site names it and it did not exist)")
        keys.append(public_key_of(login.key_file, os.environ, login.key_passphrase_env))
    return list(dict.fromkeys(keys))


def _write_known_hosts(lab: LabSsh, say: list[str]) -> None:
    """Replace the lab's addresses in each known_hosts file the site names; keep every other line."""
    key = lab.server.host_public_key()
    for login, reached in lab.logins:
        names = {address if port == 22 else f"[{address}]:{port}" for address, port in reached}
        path = login.known_hosts
        old = path.read_text().splitlines() if path.exists() else []
        kept = [line for line in old if line.split(" ", 1)[0] not in names]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("".join(f"{line}\n" for line in kept + [f"{name} {key}" for name in sorted(names)]))
        _give_back(path)
        say.append(f"wrote the lab's host key for {', '.join(sorted(names))} to {path}")


def _link_state_dirs(layout: DemoLayout, lab: LabSsh, say: list[str]) -> None:
    """Make each simulator's state directory the one its chroot shows.

    An appliance that is not running yet gets its state directory moved into the chroot, with a
    link left in its place (a demo run before the lab leaves real directories there: their state
    moves, so the appliances keep what was deployed to them). One that runs already keeps its
    directory, with its HAProxy's sockets and files, and the chroot shows that directory through a
    bind mount (root runs the lab's sshd, so it may mount): adding `backup:` or `eas:` to a
    running lab restarts no appliance. `down` removes the mount.
    """
    for name, inside in lab.state_dirs.items():
        link = layout.state_dir(name)
        if link.is_symlink() and link.resolve() == inside.resolve():
            inside.mkdir(parents=True, exist_ok=True)
            continue
        inside.mkdir(parents=True, exist_ok=True)
        if processes.is_running(layout.run_dir, name) and link.is_dir() and not link.is_symlink():
            if not _mounted(inside):
                _bind_mount(link, inside)
                say.append(f"simulated appliance {name} keeps running; its state is shown at {inside}")
            continue
        _unmount(inside)
        if link.is_symlink():
            link.unlink()
        elif link.is_dir():
            for entry in link.iterdir():
                if not (inside / entry.name).exists():
                    shutil.move(str(entry), inside / entry.name)
            shutil.rmtree(link)
        link.parent.mkdir(parents=True, exist_ok=True)
        link.symlink_to(inside, target_is_directory=True)


def _bind_mount(source: Path, target: Path) -> None:
    done = subprocess.run(
        ["mount", "--bind", str(source), str(target)], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise NotADemoSiteError(
            f"cannot show the running appliance's state {source} in the lab's SSH chroot "
            f"({done.stderr.strip()}); stop the lab with `eas-lb lab down` and start it again"
        )


def _mounted(path: Path) -> bool:
    """A mount point, bind mounts included (`os.path.ismount` misses a bind mount of a folder of
    the same file system: it compares devices)."""
    try:
        lines = Path("/proc/self/mountinfo").read_text().splitlines()
    except OSError:
        return os.path.ismount(path)
    wanted = str(path.resolve())
    points = (line.split()[4].encode().decode("unicode_escape") for line in lines if len(line.split()) > 4)
    return wanted in points


def _unmount(target: Path) -> None:
    if _mounted(target):
        subprocess.run(["umount", str(target)], capture_output=True, check=False)


def unmount_state_dirs(layout: DemoLayout) -> list[str]:
    """Remove the bind mounts a lab made for appliances that ran before it (see `_link_state_dirs`)."""
    roots = base_dir(layout) / "roots"
    found = [path for path in roots.glob("*/etc/loadbalancer.org") if _mounted(path)]
    for path in found:
        _unmount(path)
    return [f"removed the mount of an appliance's state at {path}" for path in found]


def _keep_out_of_the_repository(deployment: Deployment, layout: DemoLayout) -> None:
    """The lab's folder holds the appliances' credentials: never let `git add -A` stage them.

    The folder is the ca_file folder's parent; when that is the site's own folder (or above it),
    ignoring it would hide the site itself, so such a site is refused with the name to use.
    """
    run_dir = layout.run_dir.resolve()
    if deployment.source.resolve().parent.is_relative_to(run_dir):
        raise NotADemoSiteError(
            f"the lab keeps its files (credentials included) in the ca_file folder's parent, {run_dir}, "
            "which holds the site file: name a ca_file one folder deeper, such as lab/ca/ca.pem"
        )
    run_dir.mkdir(parents=True, exist_ok=True)
    ignore = run_dir / ".gitignore"
    if not ignore.exists():
        ignore.write_text("# the lab's state and credentials: never committed\n*\n")
        _give_back(ignore)


def up(deployment: Deployment, with_ssh: bool) -> tuple[list[str], list[str]]:
    """Start the lab; return the progress lines and the environment lines to print."""
    layout = demo_layout(deployment)
    _keep_out_of_the_repository(deployment, layout)
    say: list[str] = []
    lab: LabSsh | None = None
    if with_ssh and deployment.site.backup is None and deployment.site.eas is None:
        say.append(
            "no SSH server: the site has no `eas:` or `backup:` section (add them to try fetch-pools, "
            "backups and restore here; see the README's 'Day two over SSH')"
        )
    elif with_ssh:
        lab = plan_ssh(deployment, layout)  # a site the lab cannot serve is refused before asking for root
        try:
            require_root("the lab's SSH server (one chroot per address)")
        except SshServerUnavailable as err:
            raise SshServerUnavailable(f"{err}; {NO_SSH_HINT}") from None
        lab.server.prepare([])  # the host key first: known_hosts needs it
        keys = _public_keys(lab, say)
        lab.server.prepare(keys)
        _write_known_hosts(lab, say)
        _link_state_dirs(layout, lab, say)
        pools = deployment.source.parent / deployment.site.pools
        for copy in lab.pools_copies:
            copy.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(pools, copy)
            say.append(f"EAS pools.txt served from {copy} (a copy of {pools}; edit it to try fetch-pools)")
    say += runtime.up(layout)
    if lab is not None:
        processes.stop(layout.run_dir, SSHD_PROCESS)  # a new configuration needs a new sshd
        processes.start_detached(
            SSHD_PROCESS, lab.server.argv(), layout.run_dir, os.environ, ready_line=READY_LINE
        )
        served = ", ".join(f"{address}:{port}" for address, port in lab.server.listen)
        say.append(f"started sshd on {served} (SFTP only, one chroot per address under {lab.server.base})")
    return say, environment(deployment, layout)


def environment(deployment: Deployment, layout: DemoLayout) -> list[str]:
    """Shell lines that point later commands at the lab: the credentials by file, never by value."""
    env = cdktf_env(deployment.source, {})
    lines = [f"export EAS_SITE={env['EAS_SITE']}"]
    if "TF_CLI_CONFIG_FILE" in env:
        lines.append(f"export TF_CLI_CONFIG_FILE={env['TF_CLI_CONFIG_FILE']}")
    runtime.demo_credentials(layout)  # made now if missing, so the file named below exists
    if layout.credentials_file.exists():
        _give_back(layout.credentials_file)  # the user sources it without sudo
    network = kernel_nat.load(layout)
    if network is not None:
        lines.append(
            f"export EAS_VERIFY_CLIENT_NETNS={network.client_netns}   # verify from the lab's client"
        )
    if all(os.environ.get(name) for name in runtime.CREDENTIAL_NAMES):
        lines.append("# LBORG_USERNAME, LBORG_PASSWORD, LBORG_API_KEY: yours, from the environment")
    else:
        lines.append(f"set -a; . {layout.credentials_file}; set +a   # the simulated appliances' credentials")
    return lines


def down(deployment: Deployment) -> list[str]:
    """Stop everything the lab or the demo started for this site (state and keys are kept)."""
    layout = demo_layout(deployment)
    return runtime.down(layout) + unmount_state_dirs(layout)
