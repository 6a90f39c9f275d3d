"""Bad input never gives a traceback and every problem points at the right line.

Regression cases for each kind of input that once crashed the readers or shifted line numbers,
then fuzz tests (hypothesis, fixed budgets) over pools.txt and site files.
"""

from __future__ import annotations

import ipaddress
import re
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eas_lb.inputs.pools import MAX_STICKY, PoolsFileError, Problem, load_pools, parse_pools
from eas_lb.inputs.site import SiteFileError, load_deployment
from tests.support.paths import REPO_ROOT

EXAMPLES = REPO_ROOT / "examples"
ROW = "A 10.0.0.1 tcp 80 0 10.0.0.2"
#: Characters `str.splitlines()` treats as line ends but editors (and the readers) do not.
NOT_LINE_ENDS = ["\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"]


def _problems(text: str) -> list[Problem]:
    with pytest.raises(PoolsFileError) as caught:
        parse_pools(text, source="p.txt")
    return caught.value.problems


def _editor_lines(text: str) -> list[str]:
    """Lines as an editor shows them: only LF, CRLF and CR end a line."""
    lines = re.split(r"\r\n|\r|\n", text.removeprefix("\ufeff"))
    return lines[:-1] if lines and lines[-1] == "" else lines


# ---- pools.txt: regression cases -------------------------------------------------------------


@pytest.mark.parametrize("column", ["port", "sticky"])
@pytest.mark.parametrize("digits", [21, 4301, 100_000])
def test_numbers_of_thousands_of_digits_are_out_of_range(column: str, digits: int) -> None:
    huge = "9" * digits
    row = f"A 10.0.0.1 tcp {huge} 0 10.0.0.2" if column == "port" else f"A 10.0.0.1 tcp 80 {huge} 10.0.0.2"
    [problem] = _problems(f"# MANAGEMENT\n{row}\n")
    assert (problem.line, problem.column) == (2, 16 if column == "port" else 19)
    assert "out of range" in problem.message and f"({digits} digits)" in problem.message
    assert len(problem.message) < 200  # the number is abbreviated, not echoed


def test_leading_zeros_are_read_as_the_number() -> None:
    pools = parse_pools("# MANAGEMENT\nA 10.0.0.1 tcp " + "0" * 5000 + "80 000 10.0.0.2\n")
    assert (pools.management[0].port, pools.management[0].sticky) == (80, 0)


def test_sticky_above_one_year_is_refused() -> None:
    assert (
        parse_pools(f"# MANAGEMENT\nA 10.0.0.1 tcp 80 {MAX_STICKY} 10.0.0.2\n").pools[0].sticky == MAX_STICKY
    )
    [problem] = _problems(f"# MANAGEMENT\nA 10.0.0.1 tcp 80 {MAX_STICKY + 1} 10.0.0.2\n")
    assert "sticky (seconds) 31536001 is out of range; expected a whole number from 0 to 31536000" in str(
        problem
    )


@pytest.mark.parametrize("char", NOT_LINE_ENDS)
def test_characters_splitlines_breaks_at_do_not_shift_lines(char: str) -> None:
    text = (
        f"# MANAGEMENT{char}\n{ROW}{char}# note{char}end\n"
        f"B{char}10.0.0.5 tcp 81 0 10.0.0.2\nC 10.0.0.6 udp 82 0 10.0.0.2\n"
    )
    [problem] = _problems(text)
    assert (problem.line, problem.column) == (4, 12), problem
    pools = parse_pools(text.replace("udp", "tcp"))
    assert [(pool.name, pool.line) for pool in pools.management] == [("A", 2), ("B", 3), ("C", 4)]


@pytest.mark.parametrize("end", ["\n", "\r\n", "\r"])
def test_lf_crlf_and_cr_each_end_a_line(end: str) -> None:
    text = end.join(["# MANAGEMENT", "", ROW, "B 10.0.0.7 tcp 81 0 bad"]) + end
    [problem] = _problems(text)
    assert (problem.line, problem.column) == (4, 21)


def test_row_of_16000_servers() -> None:
    servers = [str(ipaddress.IPv4Address(0x0A000000 + n)) for n in range(16_000)]
    pools = parse_pools(f"# MANAGEMENT\nA 10.1.0.1 tcp 80 0 {' '.join(servers)}\n")
    assert len(pools.management[0].servers) == 16_000
    doubled = [*servers, servers[7], servers[-1]]
    problems = _problems(f"# MANAGEMENT\nA 10.1.0.1 tcp 80 0 {' '.join(doubled)}\n")
    assert [p.message for p in problems] == [
        "server IP 10.0.0.7 is listed twice in this pool",
        f"server IP {servers[-1]} is listed twice in this pool",
    ]


def test_null_byte_in_a_pools_path() -> None:
    with pytest.raises(PoolsFileError, match="contains a NUL character"):
        load_pools(Path("/tmp/pools\0.txt"))


# ---- site files: regression cases ----------------------------------------------------------------


def _site(tmp_path: Path, text: str, pools: str = "# MANAGEMENT\nA 127.17.9.1 tcp 80 0 127.17.9.2\n") -> Path:
    (tmp_path / "pools.txt").write_text(pools)
    path = tmp_path / "site.yaml"
    path.write_text(text)
    return path


MINIMAL_SITE = """\
name: fuzz
pools: pools.txt
subscribers: 1000
pairs:
  - name: p1
    primary:
      name: lb1
      endpoint: https://127.17.9.10:9443
      management_ip: 127.17.9.10/24
"""


def _site_problems(path: Path) -> list[Problem]:
    with pytest.raises(SiteFileError) as caught:
        load_deployment(path)
    return caught.value.problems


@pytest.mark.parametrize(
    ("replace", "by", "where", "words"),
    [
        ("name: fuzz", "name: fu\x01zz", (1, 9), "control character U+0001"),
        ("name: fuzz", "name: fu\x7fzz", (1, 9), "control character U+007F"),
        ("name: fuzz", "name: fu\u2028zz", (1, 9), "U+2028 LINE SEPARATOR"),
        ("name: fuzz", "name: fu\x85zz", (1, 9), "U+0085 NEXT LINE"),
        (
            "subscribers: 1000",
            "subscribers: " + "9" * 5000,
            (3, 14),
            "an integer of 5000 characters is too large",
        ),
        ("subscribers: 1000", "subscribers: 2001-13-45", (3, 14), "month must be in 1..12"),
        ("subscribers: 1000", "subscribers: &a [*a]", (3, 14), "contains itself through an alias"),
        ("pools: pools.txt", 'pools: "pools\\0.txt"', (2, 8), "cannot contain a NUL character"),
        ("pools: pools.txt", "pools: missing.txt", (2, 8), "cannot read the pools file"),
        ("name: fuzz", "name: " + "[" * 200 + "]" * 200, (1, 70), "nested more than 64 levels"),
        ("name: fuzz", "name: fuzz\n---\nother: 1", (2, 1), "expected a single document"),
    ],
)
def test_site_file_crashers_are_located(
    tmp_path: Path, replace: str, by: str, where: tuple[int, int], words: str
) -> None:
    [problem] = _site_problems(_site(tmp_path, MINIMAL_SITE.replace(replace, by)))
    assert (problem.source, problem.line, problem.column) == (str(tmp_path / "site.yaml"), *where), problem
    assert words in problem.message


def test_exponential_aliases_are_refused(tmp_path: Path) -> None:
    laughs = "".join(f"l{n}: &l{n} [{', '.join([f'*l{n - 1}'] * 10)}]\n" for n in range(1, 7))
    text = MINIMAL_SITE + "x0: &l0 [a]\n" + laughs
    [problem] = _site_problems(_site(tmp_path, text))
    assert "expand to more than 100000 values" in problem.message and problem.line > 9


def test_site_file_not_utf8_is_located(tmp_path: Path) -> None:
    path = _site(tmp_path, "")
    path.write_bytes(MINIMAL_SITE.replace("name: fuzz", "name: fé\xff").encode("latin-1"))
    [problem] = _site_problems(path)
    assert (problem.line, problem.column) == (1, 8)
    assert "not UTF-8" in problem.message


def test_site_lines_are_counted_like_an_editor(tmp_path: Path) -> None:
    text = MINIMAL_SITE.replace("\n", "\r").replace("subscribers: 1000", "subscribers: -1")
    [problem] = _site_problems(_site(tmp_path, text))
    assert (problem.line, problem.column) == (3, 14)


SSH_SECTIONS = """\
eas:
  key_file: keys/eas
  known_hosts: keys/known_hosts
  hosts: [127.17.9.5, "127.17.9.6:2222"]
backup:
  key_file: keys/lb
  known_hosts: keys/known_hosts
  directory: backups
"""


# ---- fuzzing pools.txt -------------------------------------------------------------------------

octet = st.integers(0, 255)
ipv4 = st.tuples(octet, octet, octet, octet).map(lambda t: ".".join(map(str, t)))
separator = st.lists(st.sampled_from([" ", "\t", *NOT_LINE_ENDS, "\xa0"]), min_size=1, max_size=3).map(
    "".join
)
line_end = st.sampled_from(["\n", "\r\n", "\r"])
#: (column index, bad token, words of the message)
bad_tokens = st.one_of(
    st.tuples(st.just(0), st.sampled_from(["a!b", "é", "x.y"]), st.just("pool name")),
    st.tuples(st.just(1), st.sampled_from(["10.0.0.256", "::g", "x"]), st.just("pool IP")),
    st.tuples(st.just(2), st.sampled_from(["udp", "sctp"]), st.just("protocol")),
    st.tuples(st.just(3), st.integers(6, 6000).map(lambda n: "7" * n), st.just("port")),
    st.tuples(st.just(3), st.sampled_from(["0", "65536", "8O", "-1", "٣"]), st.just("port")),
    st.tuples(st.just(4), st.integers(9, 6000).map(lambda n: "8" * n), st.just("sticky")),
    st.tuples(st.just(5), st.sampled_from(["10.0.0", "1.2.3.4.5", "fe80::1%%"]), st.just("server IP")),
)


@st.composite
def pools_files(draw: st.DrawFn) -> tuple[str, dict[int, tuple[int, str]]]:
    """A pools file with bad tokens on some rows; returns it and {line: (column, words)}."""
    count = draw(st.integers(1, 12))
    lines = ["# MANAGEMENT", "P 10.8.0.1 tcp 1 0 10.8.0.2"]
    expected: dict[int, tuple[int, str]] = {}
    for index in range(count):
        kind = draw(st.sampled_from(["row", "row", "bad", "comment", "blank"]))
        if kind in {"row", "bad"}:
            tokens = [f"P{index}", f"10.9.{index}.1", "tcp", str(1000 + index), "0", draw(ipv4)]
            if kind == "bad":
                position, token, words = draw(bad_tokens)
                tokens[position] = token
            seps = [draw(separator) for _ in tokens]
            line = "".join(sep + token for sep, token in zip(seps, tokens, strict=True))
            if kind == "bad":
                column = len("".join(s + t for s, t in zip(seps[:position], tokens[:position], strict=True)))
                expected[len(lines) + 1] = (column + len(seps[position]) + 1, words)
            comment = draw(st.sampled_from(["", "# ok", f"#{draw(separator)}note"]))
            lines.append(line + comment)
        elif kind == "comment":
            lines.append("#" + draw(st.text(st.sampled_from(["a", " ", "#", *NOT_LINE_ENDS]), max_size=8)))
        else:
            lines.append(draw(st.sampled_from(["", " ", *NOT_LINE_ENDS])))
    text = ""
    previous = ""
    for line in lines:
        end = draw(line_end)
        if previous == "\r" and line == "" and end.startswith("\n"):
            end = "\r"  # "\r" then "\n" would be one CRLF line end
        text += line + end
        previous = end
    return text, expected


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pools_files())
def test_fuzzed_pools_problems_are_on_the_right_line_and_column(
    case: tuple[str, dict[int, tuple[int, str]]],
) -> None:
    text, expected = case
    try:
        pools = parse_pools(text, source="p.txt")
    except PoolsFileError as error:
        found = {(p.line, p.column, p.message.split(" ")[0]) for p in error.problems}
        assert expected, f"unexpected problems: {error}"
        for line, (column, words) in expected.items():
            assert (line, column, words.split(" ")[0]) in found, (line, column, words, str(error))
        assert {p.line for p in error.problems} <= set(expected), str(error)
    else:
        assert not expected
        assert len(pools.pools) == sum(1 for line in _editor_lines(text) if line.lstrip().startswith("P"))


#: Characters that make pools files interesting: structure, digits, separators, line ends.
pool_chars = st.sampled_from(
    ["#", " ", "\t", "\n", "\r", "-", ".", ":", "0", "1", "9", "A", "a", "\ufeff", "\x00", *NOT_LINE_ENDS]
)
pool_words = st.sampled_from(
    [
        "# MANAGEMENT\n",
        "# SERVICE\n",
        "POOL POOL IP PROTO PORT STICKY SERVER IPS",
        ROW,
        " tcp ",
        "10.0.0.1",
        "9" * 5000,
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(pool_chars, pool_words), max_size=60).map("".join))
def test_fuzzed_pools_text_never_crashes(text: str) -> None:
    try:
        parse_pools(text, source="p.txt")
    except PoolsFileError as error:
        lines = _editor_lines(text)
        for problem in error.problems:
            assert 1 <= problem.line <= max(len(lines), 1), (problem, lines)
            width = len(lines[problem.line - 1]) if lines else 0
            assert 1 <= problem.column <= width + 1, (problem, lines)


# ---- fuzzing site files --------------------------------------------------------------------------

SITE_TEXTS = [
    *(
        (EXAMPLES / name).read_text(encoding="utf-8")
        for name in ("site-scenario1.yaml", "site-scenario2.yaml", "site-demo.yaml")
    ),
    MINIMAL_SITE.replace("pools.txt", "pools-scenario2.txt") + SSH_SECTIONS,
]
site_chars = st.sampled_from(
    ["\x00", "\x01", "\x1b", "\x7f", "\x85", "\u2028", "\ufeff", "\t", "\r", "\n", " ", "&a ", "*a", "[",
     "]", "{", "}", ":", ": ", "- ", '"', "'", "!!", "#", "~", "9" * 5000, "2001-13-45", "\\0", "<<: ", "? ",
     "|", ">"]
)  # fmt: skip


@st.composite
def mutated_sites(draw: st.DrawFn) -> str:
    text = draw(st.sampled_from(SITE_TEXTS))
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(text)))
        action = draw(st.sampled_from(["insert", "insert", "delete", "duplicate"]))
        if action == "insert":
            text = text[:at] + draw(site_chars) + text[at:]
        elif action == "delete":
            text = text[:at] + text[at + draw(st.integers(1, 40)) :]
        else:
            text = text[:at] + text[at : at + 60] + text[at:]
    return text


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_sites())
def test_fuzzed_site_files_never_crash_and_every_problem_has_a_position(text: str) -> None:
    with tempfile.TemporaryDirectory() as directory:
        base = Path(directory)
        for name in ("pools-scenario1.txt", "pools-scenario2.txt", "pools-demo.txt"):
            (base / name).write_bytes((EXAMPLES / name).read_bytes())
        path = base / "site.yaml"
        path.write_text(text, encoding="utf-8", newline="")
        try:
            load_deployment(path)
        except SiteFileError as error:
            lines = _editor_lines(text)
            for problem in error.problems:
                if problem.source != str(path):
                    assert problem.line >= 1 and problem.column >= 1, problem  # inside a pools file
                    continue
                assert 1 <= problem.line <= len(lines) + 1, (problem, lines)
                assert problem.column >= 1, problem


def test_huge_numbers_that_yaml_reads_are_refused_by_the_model(tmp_path: Path) -> None:
    text = (EXAMPLES / "site-scenario1.yaml").read_text()
    huge = "9" * 30
    text = text.replace(
        "  networks:\n",
        f"  image_disk_gb: {huge}\n  vm_size: {{vcpus: {huge}, memory_mb: 4096, disk_gb: 40}}\n  networks:\n",
    )
    (tmp_path / "pools-scenario1.txt").write_text((EXAMPLES / "pools-scenario1.txt").read_text())
    problems = _site_problems(_site(tmp_path, text, (EXAMPLES / "pools-scenario1.txt").read_text()))
    lines = text.splitlines()
    located = {(p.line, p.message.split(":")[0]) for p in problems}
    assert located == {
        (next(n for n, line in enumerate(lines, 1) if "image_disk_gb" in line), "hypervisor.image_disk_gb"),
        (next(n for n, line in enumerate(lines, 1) if "vm_size" in line), "hypervisor.vm_size.vcpus"),
    }


def test_null_bytes_in_every_path_of_the_ssh_sections_are_located(tmp_path: Path) -> None:
    text = MINIMAL_SITE + SSH_SECTIONS
    for path in ("keys/eas", "keys/known_hosts", "keys/lb", "backups"):
        text = text.replace(f" {path}\n", f' "/{path[:2]}\\0{path[2:]}"\n')
    problems = _site_problems(_site(tmp_path, text))
    assert [(p.line, p.message.split(":")[0]) for p in problems] == [
        (11, "eas.key_file"),
        (12, "eas.known_hosts"),
        (15, "backup.key_file"),
        (16, "backup.known_hosts"),
        (17, "backup.directory"),
    ]
    assert all("NUL character" in p.message for p in problems)


#: (line of MINIMAL_SITE to replace, bad line, first words of the problem)
BAD_SITE_LINES = [
    ("subscribers: 1000", "subscribers: -5", "subscribers:"),
    ("subscribers: 1000", "subscribers: " + "8" * 300, "not valid YAML: an integer"),
    ("subscribers: 1000", "subscribers: 2001-02-30", "not valid YAML: cannot read"),
    ("name: fuzz", "name: bad name!", "name:"),
    ("name: fuzz", "name: &x [*x]", "the value anchored"),
    (
        "      management_ip: 127.17.9.10/24",
        "      management_ip: 127.17.9.300/24",
        "pairs[0].primary.management_ip:",
    ),
    ("      endpoint: https://127.17.9.10:9443", "      endpoint: http://x", "pairs[0].primary.endpoint:"),
    ("pools: pools.txt", "pools: nowhere.txt", "pools:"),
    ("pools: pools.txt", 'pools: "a\\0b"', "pools:"),
    ("  - name: p1", "  - name: p1\n    colour: blue", "pairs[0].colour:"),
]


@st.composite
def sites_with_one_mistake(draw: st.DrawFn) -> tuple[str, int, str]:
    """MINIMAL_SITE with comment and blank lines added, one line made bad; (text, its line, words)."""
    replace, bad, words = draw(st.sampled_from(BAD_SITE_LINES))
    lines: list[str] = []
    target = 0
    for line in MINIMAL_SITE.splitlines():
        for _ in range(draw(st.integers(0, 2))):
            lines.append(draw(st.sampled_from(["", "# note", "#\ttab é ü", "   ", "# \u00a0"])))
        if line == replace:
            target = len(lines) + 1 + bad.count("\n")
            lines.extend(bad.split("\n"))
        else:
            lines.append(line)
    ends = draw(st.lists(st.sampled_from(["\n", "\r\n", "\r"]), min_size=len(lines), max_size=len(lines)))
    text = ""
    for line, end in zip(lines, ends, strict=True):
        text += line + ("\r" if text.endswith("\r") and line == "" and end.startswith("\n") else end)
    return text, target, words


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sites_with_one_mistake())
def test_fuzzed_site_problems_are_on_the_line_of_the_mistake(case: tuple[str, int, str]) -> None:
    text, line, words = case
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "site.yaml"
        (Path(directory) / "pools.txt").write_text("# MANAGEMENT\nA 127.17.9.1 tcp 80 0 127.17.9.2\n")
        path.write_text(text, encoding="utf-8", newline="")
        with pytest.raises(SiteFileError) as caught:
            load_deployment(path)
    [problem] = caught.value.problems
    assert problem.line == line and problem.message.startswith(words), (problem, line, text)
