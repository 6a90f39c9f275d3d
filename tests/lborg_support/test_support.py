"""The bottom layer's helpers: atomic files, waiting, tables."""

from __future__ import annotations

import os
import stat
import threading
import time
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lborg_support import tables
from lborg_support.files import PRIVATE_MODE, write_atomic, write_private
from lborg_support.tables import render_table
from lborg_support.waiting import wait_until


def test_write_atomic_replaces_keeps_the_mode_and_leaves_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "pools.txt"
    write_atomic(target, b"one")
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    os.chmod(target, 0o640)
    write_atomic(target, b"two")
    assert target.read_bytes() == b"two"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert sorted(p.name for p in target.parent.iterdir()) == ["pools.txt"]


def test_a_failed_write_keeps_the_old_content_and_cleans_up(tmp_path: Path) -> None:
    target = tmp_path / "state.json"
    write_atomic(target, b"old")
    full = OSError("disk full")
    with mock.patch("lborg_support.files.os.replace", side_effect=full), pytest.raises(OSError):
        write_atomic(target, b"new")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["state.json"]


def test_the_folder_is_synced_after_the_rename(tmp_path: Path) -> None:
    calls: list[str] = []
    real_replace, real_fsync = os.replace, os.fsync

    def replace(src: str, dst: Path) -> None:
        calls.append("replace")
        real_replace(src, dst)

    def fsync(fd: int) -> None:
        calls.append("fsync-dir" if stat.S_ISDIR(os.fstat(fd).st_mode) else "fsync-file")
        real_fsync(fd)

    with mock.patch.object(os, "replace", replace), mock.patch.object(os, "fsync", fsync):
        write_atomic(tmp_path / "f", b"x")
    assert calls == ["fsync-file", "replace", "fsync-dir"]


def test_a_private_file_is_never_readable_by_others(tmp_path: Path) -> None:
    target = tmp_path / "key"
    target.write_bytes(b"public before")
    os.chmod(target, 0o644)
    write_private(target, b"secret")
    assert stat.S_IMODE(target.stat().st_mode) == PRIVATE_MODE
    assert target.read_bytes() == b"secret"


def test_wait_until_returns_the_time_taken_or_none() -> None:
    flag = threading.Event()
    threading.Timer(0.2, flag.set).start()
    took = wait_until(flag.is_set, 5, interval=0.01)
    assert took is not None and 0.15 < took < 2
    started = time.monotonic()
    assert wait_until(lambda: False, 0.2, interval=0.05) is None
    assert time.monotonic() - started >= 0.2


def test_wait_until_tries_at_once_and_once_more_at_the_deadline() -> None:
    answers = iter([False, True])
    assert wait_until(lambda: next(answers), 0.05, interval=1.0) is not None


def test_tables_align_columns_with_two_spaces_and_no_trailing_blanks() -> None:
    text = render_table(["label", "vip"], [["MGMT_HTTPS-443", "10.0.0.1"], ["X", ""]])
    assert text == "label           vip\nMGMT_HTTPS-443  10.0.0.1\nX\n"


def test_tables_carry_no_escape_codes_even_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.setenv("TERM", "xterm-256color")
    text = render_table(["a"], [["[bold]x[/bold]"]])
    assert "\x1b" not in text
    assert "[bold]x[/bold]" in text


#: Cells as commands print them (labels, addresses, messages), with what measures oddly in a
#: terminal: wide CJK, combining accents, emoji, no-break and zero-width spaces, a line separator.
table_cells = st.text(
    st.one_of(
        st.characters(min_codepoint=0x20, max_codepoint=0x7E),
        st.sampled_from(["é", "漢", "\u0301", "\u00a0", "\u200b", "\u2028", "😀", "ｱ", "[", "]"]),
    ),
    max_size=12,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.integers(1, 4).flatmap(lambda n: st.lists(st.lists(table_cells, min_size=n, max_size=n), max_size=6))
)
def test_tables_laid_out_by_hand_are_the_text_rich_draws(lines: list[list[str]]) -> None:
    headers, rows = (lines[0], lines[1:]) if lines else ([], [])
    assert render_table(headers, rows) == tables._render_with_rich(headers, rows)


def test_a_table_wider_than_a_terminal_keeps_every_cell() -> None:
    text = render_table(["pool", "servers"], [["A", "10.0.0.1 " * 2_000], ["B", "10.0.0.2"]])
    assert text.splitlines()[1].startswith("A     10.0.0.1 10.0.0.1")
    assert text.splitlines()[2] == "B     10.0.0.2"


def test_a_cell_with_a_line_break_spans_two_lines_of_its_column() -> None:
    assert render_table(["a", "b"], [["x\ny", "z"]]) == "a  b\nx  z\ny\n"
