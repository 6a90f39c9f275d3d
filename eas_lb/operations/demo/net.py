"""`EAS_LB_NET=127.66` (or `eas-lb demo --net 127.66`): the demo on a loopback range of its own.

The demo's site file and pools name fixed addresses (127.0.x.x), so two demos on one machine
would bind the same ones. With a range chosen, the demo runs a copy of its site folder in which
every loopback address 127.A.B.C becomes NET.B.C and the site's name gets the range as a suffix
(its stacks, and with the local backend their state files, are then its own), kept in
`.demo-net-NET/` beside the site's folder, where its run directory (`.demo/`) and its
`cdktf.out` are too. The same range gives the same copy, so `demo down` and `demo verify` find what
`demo run` started. A site of one's own names its addresses itself: its lab serves those (the
README writes them from the same variable).
"""

from __future__ import annotations

import re
from pathlib import Path

#: The one setting, read by `eas-lb demo` (its `--net` option defaults to it).
NET_VARIABLE = "EAS_LB_NET"
_NET = re.compile(r"^127\.(\d{1,3})$")
_ADDRESS = re.compile(r"(?<![\d.])127\.\d{1,3}\.(\d{1,3}\.\d{1,3})(?!\d)")
_NAME = re.compile(r"^name:[ \t]*(\S+)[ \t]*$", re.MULTILINE)
#: The files of a demo site's folder the copy translates: the site files and the pools files.
_COPIED = ("*.yaml", "*.txt")


def parse_net(text: str) -> str:
    """`127.N` (N from 1 to 255: 127.0 is the demo's own range); a ValueError naming the setting."""
    found = _NET.match(text.strip())
    if found is None or not 1 <= int(found.group(1)) <= 255:
        raise ValueError(
            f"{NET_VARIABLE}={text!r}: give the first two parts of a loopback range, 127.1 to 127.255 "
            "(for example 127.66; the demo's own is 127.0)"
        )
    return f"127.{int(found.group(1))}"


def moved(text: str, net: str) -> str:
    """`text` with every loopback address 127.A.B.C as NET.B.C."""
    return _ADDRESS.sub(lambda address: f"{net}.{address.group(1)}", text)


def site_on_net(site: Path, net: str) -> Path:
    """The copy of `site` (and its folder's other site and pools files) on `net`; its path."""
    source = site.resolve().parent
    root = source.parent / f".demo-net-{net}"
    if source.parent.name == root.name:
        return site.resolve()  # the copy itself (as `demo run` names it in its next steps)
    folder = root / source.name
    folder.mkdir(parents=True, exist_ok=True)
    suffix = f"-net{net.split('.')[1]}"
    for pattern in _COPIED:
        for original in sorted(source.glob(pattern)):
            text = moved(original.read_text(encoding="utf-8"), net)
            if original.suffix == ".yaml":
                text = _NAME.sub(lambda name: f"name: {name.group(1)}{suffix}", text, count=1)
            copy = folder / original.name
            if not copy.exists() or copy.read_text(encoding="utf-8") != text:
                copy.write_text(text, encoding="utf-8")
    return folder / site.name


def output_on_net(site_copy: Path) -> Path:
    """Where `demo run` synthesizes a copy's stacks: beside it, not in the checkout's cdktf.out."""
    return site_copy.parent.parent / "cdktf.out"
