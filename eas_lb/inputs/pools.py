"""The EAS `pools.txt` file: the one place that knows its format.

The EAS servers write `pools.txt` to describe the virtual services the load balancer must offer.
This module turns it into typed, validated `Pool` rows. Every problem of a file is collected and
reported at once as `FILE:LINE:COL: message`, so an operator fixes a file in one pass instead of
one error per run.

Format (every rule: docs/pools-format.md):

    POOL POOL IP PROTO PORT STICKY SERVER IPS # MANAGEMENT
    HTTP-80 10.225.37.227 tcp 80 2100 10.225.37.231 10.225.37.116
    # SERVICE
    HTTP-80 - tcp 80 2100 192.168.85.61 192.168.85.5

A file with only `# MANAGEMENT` is scenario 2 (one internal network, Layer 7 only); a file with
both sections is scenario 1 (a separate service network with Layer 4 NAT VIPs).

Lines end at LF, CRLF or CR only (line numbers match what an editor shows); columns are separated
by any whitespace; a UTF-8 byte order mark is ignored.
"""

from __future__ import annotations

import difflib
import enum
import ipaddress
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal, NamedTuple

from pydantic import BaseModel, ConfigDict, Field

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

_NAME = re.compile(r"[A-Za-z0-9_-]+\Z")
_WORD = re.compile(r"\S+")
_DIGITS = re.compile(r"[0-9]+\Z")
_OCTET = r"(0|[1-9][0-9]{0,2})"
_DOTTED_QUAD = re.compile(rf"{_OCTET}\.{_OCTET}\.{_OCTET}\.{_OCTET}\Z")
_HEADER = ("POOL", "POOL", "IP", "PROTO", "PORT", "STICKY", "SERVER", "IPS")
_COLUMNS = "name pool_ip proto port sticky server_ip..."
#: Line ends of a pools file. Only these three end a line: `str.splitlines()` also splits at
#: vertical tab, form feed, U+001C-U+001E, U+0085, U+2028 and U+2029, which would shift every
#: later line number away from what an editor shows. Those characters stay inside their line
#: (any of them that is whitespace separates columns, like a space or tab).
_LINE_END = re.compile(r"\r\n|\r|\n")
#: Sticky seconds: the appliance keeps persistence for at most one year (Layer 4 `persist_time`
#: 31,536,000 s; Layer 7 525,600 minutes).
MAX_STICKY = 31_536_000


class Section(enum.StrEnum):
    """The two sections of a pools file; each maps to one kind of virtual service."""

    MANAGEMENT = "MANAGEMENT"
    SERVICE = "SERVICE"


class Pool(BaseModel):
    """One row of pools.txt: one virtual service and the EAS servers behind it."""

    model_config = ConfigDict(frozen=True)

    section: Section
    name: Annotated[str, Field(pattern=r"^[A-Za-z0-9_-]+$")]
    #: The VIP address; None only in `# SERVICE`, where the site file chooses it (`-` in the file).
    pool_ip: IPAddress | None
    proto: Literal["tcp"] = "tcp"
    port: Annotated[int, Field(ge=1, le=65535)]
    #: Source-IP persistence in seconds; 0 means no persistence.
    sticky: Annotated[int, Field(ge=0, le=MAX_STICKY)]
    servers: Annotated[tuple[IPAddress, ...], Field(min_length=1)]
    #: Where the row came from, for messages that point back into the file.
    line: int = 0

    @property
    def label(self) -> str:
        """The guide's VIP label: `MGMT_<POOL>` for management rows, `SERV_<POOL>` for service rows."""
        prefix = "MGMT" if self.section is Section.MANAGEMENT else "SERV"
        return f"{prefix}_{self.name}"


class PoolsFile(BaseModel):
    """A whole pools file: its management and service rows in file order."""

    model_config = ConfigDict(frozen=True)

    source: str
    management: tuple[Pool, ...]
    service: tuple[Pool, ...] = ()

    @property
    def scenario(self) -> Literal[1, 2]:
        """1 with a service network (both sections), 2 with management only."""
        return 1 if self.service else 2

    @property
    def pools(self) -> tuple[Pool, ...]:
        return self.management + self.service


@dataclass(frozen=True)
class Problem:
    """One error in an input file, located by 1-based line and column."""

    source: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        if self.line == 0:  # a problem with the file as a whole
            return f"{self.source}: {self.message}"
        return f"{self.source}:{self.line}:{self.column}: {self.message}"


class InputFileError(ValueError):
    """All problems found in one input file; `str()` lists one per line."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems, key=lambda problem: (problem.source, problem.line, problem.column))
        super().__init__("\n".join(str(problem) for problem in self.problems))


class PoolsFileError(InputFileError):
    """A pools.txt file that does not follow the format."""


class _Token(NamedTuple):
    text: str
    column: int


def _tokens(text: str) -> list[_Token]:
    """Columns: runs of non-whitespace (any Unicode whitespace separates, not only space and tab)."""
    return [_Token(m.group(), m.start() + 1) for m in _WORD.finditer(text)]


def _parse_address(text: str) -> IPAddress:
    """`ipaddress.ip_address`, about 4x faster for the usual dotted quad (a file of 10,000 pools).

    Only a quad that `ip_address` reads the same way takes the short path (four decimal octets
    without leading zeros, each at most 255); anything else, valid or not, goes to `ip_address`.
    """
    quad = _DOTTED_QUAD.match(text)
    if quad is not None:
        octets = [int(octet) for octet in quad.groups()]
        if max(octets) <= 255:
            return ipaddress.IPv4Address(octets[0] << 24 | octets[1] << 16 | octets[2] << 8 | octets[3])
    return ipaddress.ip_address(text)


def _shown(text: str, limit: int = 40) -> str:
    """A token as quoted in a message: repr (so control characters are visible), cut when long."""
    if len(text) <= limit:
        return repr(text)
    return f"{text[:limit]!r}... ({len(text)} characters)"


def _section_marker(comment: str) -> Section | None:
    word = comment.strip().upper()
    return Section(word) if word.isascii() and word in Section.__members__ else None


def _misspelt_marker(comment: str) -> str | None:
    """The marker a comment was probably meant to be (`# SERVICES` → `SERVICE`), else None.

    Only a one-word comment close to a marker counts, so sentences in comments pass.
    """
    words = comment.split()
    if len(words) != 1 or _section_marker(comment) is not None:
        return None
    word = words[0].upper().strip(":;.,[]")
    if word in Section.__members__:
        return word  # '# SERVICE:'
    close = difflib.get_close_matches(word, list(Section.__members__), n=1, cutoff=0.75)
    return close[0] if close else None


def _is_header(tokens: list[_Token]) -> bool:
    return tuple(token.text.upper() for token in tokens) == _HEADER


class _Parser:
    def __init__(self, source: str) -> None:
        self.source = source
        self.problems: list[Problem] = []
        self.rows: list[Pool] = []
        self.section: Section | None = None
        self.seen_sections: set[Section] = set()
        self.misspelt = False
        #: Addresses read so far: a site's EAS servers stand in every row of their section.
        self.addresses: dict[str, IPAddress] = {}

    def error(self, line: int, column: int, message: str) -> None:
        self.problems.append(Problem(self.source, line, column, message))

    def feed(self, number: int, raw: str) -> None:
        content, hash_sign, comment = raw.partition("#")
        tokens = _tokens(content)
        if not tokens or _is_header(tokens):
            marker = _section_marker(comment) if hash_sign else None
            if marker is not None:
                self.section = marker
                self.seen_sections.add(marker)
            elif hash_sign and (meant := _misspelt_marker(comment)) is not None:
                self.error(
                    number,
                    len(content) + 1,
                    f"'#{comment.rstrip()}' is not a section marker; write '# {meant}' on a line of its own "
                    "(the markers are '# MANAGEMENT' and '# SERVICE')",
                )
                self.section = None  # rows below are not silently filed under the previous section
                self.misspelt = True
            return
        if self.section is None:
            if self.misspelt:
                return  # the misspelt marker above was reported; one error, not one per row
            self.error(
                number,
                tokens[0].column,
                "pool row before any section marker; expected a '# MANAGEMENT' or '# SERVICE' line first",
            )
            return
        row = self._row(number, tokens, self.section, len(content.rstrip()) + 1)
        if row is not None:
            self.rows.append(row)

    def _row(self, number: int, tokens: list[_Token], section: Section, end: int) -> Pool | None:
        ok = True
        if len(tokens) < 6:
            names = _COLUMNS.replace("...", "").split()
            ok = self._fail(
                number,
                _Token("", end),
                f"expected at least 6 columns ({_COLUMNS}), found {len(tokens)}: "
                f"{names[len(tokens)]} is missing",
            )
        # Check what is there even when columns are missing: all errors of a file at once.
        name_t, ip_t, proto_t, port_t, sticky_t = (tokens + [_Token("", 0)] * 5)[:5]
        server_ts = tokens[5:]
        if name_t.column and not _NAME.match(name_t.text):
            ok = self._fail(number, name_t, f"pool name {_shown(name_t.text)} must use only A-Z a-z 0-9 _ -")
        pool_ip: IPAddress | None = None
        if ip_t.text == "-":
            if section is Section.MANAGEMENT:
                ok = self._fail(
                    number,
                    ip_t,
                    "pool IP '-' is only allowed in '# SERVICE'; a management pool needs its VIP address",
                )
        elif ip_t.column:
            pool_ip = self._address(number, ip_t, "pool IP")
            ok = ok and pool_ip is not None
        if proto_t.column and proto_t.text.lower() != "tcp":
            ok = self._fail(
                number, proto_t, f"protocol {_shown(proto_t.text)} is not supported; expected 'tcp'"
            )
        port = self._integer(number, port_t, "port", 1, 65535) if port_t.column else None
        sticky = (
            self._integer(number, sticky_t, "sticky (seconds)", 0, MAX_STICKY) if sticky_t.column else None
        )
        servers: dict[IPAddress, None] = {}  # ordered, and a linear-time duplicate check
        for server_t in server_ts:
            address = self._address(number, server_t, "server IP")
            if address is None:
                ok = False
            elif address in servers:
                ok = self._fail(number, server_t, f"server IP {address} is listed twice in this pool")
            else:
                servers[address] = None
        if not ok or port is None or sticky is None:
            return None
        return Pool(
            section=section,
            name=name_t.text,
            pool_ip=pool_ip,
            port=port,
            sticky=sticky,
            servers=tuple(servers),
            line=number,
        )

    def _fail(self, number: int, token: _Token, message: str) -> Literal[False]:
        self.error(number, token.column, message)
        return False

    def _address(self, number: int, token: _Token, what: str) -> IPAddress | None:
        try:
            return self.addresses[token.text]
        except KeyError:
            pass
        try:
            address = self.addresses[token.text] = _parse_address(token.text)
        except ValueError:
            self.error(number, token.column, f"{what} {_shown(token.text)} is not an IPv4 or IPv6 address")
            return None
        return address

    def _integer(self, number: int, token: _Token, what: str, low: int, high: int) -> int | None:
        expected = f"a whole number from {low} to {high}"
        text = token.text
        if not _DIGITS.match(text):
            self.error(number, token.column, f"{what} {_shown(text)} is not {expected}")
            return None
        # Compare digits before converting: int() of thousands of digits is slow, and refused
        # above sys.int_info.str_digits_check_threshold.
        significant = text.lstrip("0") or "0"
        if len(significant) > len(str(high)) or int(significant) > high or int(significant) < low:
            shown = (
                significant
                if len(significant) <= 20
                else f"{significant[:20]}... ({len(significant)} digits)"
            )
            self.error(number, token.column, f"{what} {shown} is out of range; expected {expected}")
            return None
        return int(significant)

    def check_file(self) -> None:
        """Checks across rows: unique names per section and one VIP per address and port."""
        seen_names: dict[tuple[Section, str], int] = {}
        seen_endpoints: dict[tuple[IPAddress, int], Pool] = {}
        for row in self.rows:
            key = (row.section, row.name.upper())
            if key in seen_names:
                self.error(
                    row.line,
                    1,
                    f"pool {row.name!r} appears twice in '# {row.section}' "
                    f"(first on line {seen_names[key]}); "
                    f"VIP label {row.label} must be unique",
                )
            else:
                seen_names[key] = row.line
            if row.pool_ip is not None:
                endpoint = (row.pool_ip, row.port)
                other = seen_endpoints.get(endpoint)
                if other is not None:
                    self.error(
                        row.line,
                        1,
                        f"{row.pool_ip} port {row.port} is already used by pool {other.name!r} "
                        f"on line {other.line}; two VIPs cannot share an address and port",
                    )
                else:
                    seen_endpoints[endpoint] = row
        if not self.problems and not any(row.section is Section.MANAGEMENT for row in self.rows):
            line = 1
            if Section.MANAGEMENT in self.seen_sections or not self.rows:
                message = "no pools found; expected a '# MANAGEMENT' section with at least one pool row"
            else:
                line = self.rows[0].line
                message = "no '# MANAGEMENT' pools; every EAS pools file describes the management network"
            self.error(line, 1, message)


def _lines(text: str) -> Iterator[tuple[int, str]]:
    """Numbered lines; only LF, CRLF and CR end a line (see `_LINE_END`)."""
    text = text.removeprefix("\ufeff")
    lines = _LINE_END.split(text)
    if lines and lines[-1] == "":
        lines.pop()  # the end of the last line, not an empty line after it
    yield from enumerate(lines, start=1)


def parse_pools(text: str, source: str = "pools.txt") -> PoolsFile:
    """Parse the text of a pools file; raise `PoolsFileError` listing every problem found."""
    parser = _Parser(source)
    for number, line in _lines(text):
        parser.feed(number, line)
    parser.check_file()
    if parser.problems:
        raise PoolsFileError(parser.problems)
    management = tuple(row for row in parser.rows if row.section is Section.MANAGEMENT)
    service = tuple(row for row in parser.rows if row.section is Section.SERVICE)
    return PoolsFile(source=source, management=management, service=service)


def load_pools(path: Path) -> PoolsFile:
    """Read and parse a pools file; a missing or unreadable file is a `PoolsFileError` too."""
    try:
        data = path.read_bytes()
    except OSError as error:
        message = f"cannot read the pools file: {error.strerror}"
        raise PoolsFileError([Problem(str(path), 0, 0, message)]) from None
    except ValueError:  # a NUL character in the path
        message = "cannot read the pools file: its path contains a NUL character"
        raise PoolsFileError([Problem(str(path).replace("\0", "\\0"), 0, 0, message)]) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        message = "not UTF-8 text; pools.txt is plain text"
        raise PoolsFileError([Problem(str(path), line, 1, message)]) from None
    return parse_pools(text, source=str(path))
