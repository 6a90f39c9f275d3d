"""The create journal on its own: what vouches for a take-over and what never does."""

from __future__ import annotations

import itertools
import json
import os
import stat
import threading
import time
from pathlib import Path

import pytest

from lborg_provider.runtime.create_journal import (
    COMPACT_AFTER_LINES,
    MAX_AGE_SECONDS,
    CreateJournal,
    JournalError,
)


def test_an_entry_vouches_only_for_the_identity_an_earlier_create_sent(tmp_path: Path) -> None:
    journal = CreateJournal("https://127.0.0.1:9443/api/v2/", tmp_path)
    assert journal.record("vip:7:A", {"ip": "127.0.0.10", "ports": "80"}) is None
    # A second create of the same object (the next apply) learns what the first one sent.
    earlier = journal.record("vip:7:A", {"ip": "127.0.0.11", "ports": "80"})
    assert earlier == {"ip": "127.0.0.10", "ports": "80"}
    # An add that answered "not created" puts the entry back as it was.
    journal.restore("vip:7:A", earlier)
    assert journal.record("vip:7:A", {"ip": "127.0.0.12", "ports": "80"}) == earlier
    journal.restore("vip:7:A", None)
    assert journal.record("vip:7:A", {"ip": "127.0.0.12", "ports": "80"}) is None


def test_forget_drops_the_entry_and_other_appliances_keep_theirs(tmp_path: Path) -> None:
    one = CreateJournal("https://127.0.0.1:9443/api/v2/", tmp_path)
    two = CreateJournal("https://127.0.0.2:9443/api/v2/", tmp_path)
    one.record("rip:7:A/B", {"ip": "127.0.0.20"})
    two.record("rip:7:A/B", {"ip": "127.0.0.20"})
    CreateJournal("https://127.0.0.1:9443/api/v2/", tmp_path).forget("rip:7:A/B")  # a new process
    assert one.record("rip:7:A/B", {"ip": "127.0.0.20"}) is None
    assert two.record("rip:7:A/B", {"ip": "127.0.0.20"}) == {"ip": "127.0.0.20"}
    mode = stat.S_IMODE(os.stat(one.path).st_mode)
    assert mode == 0o600
    assert "password" not in one.path.read_text()


def test_old_entries_vouch_for_nothing(tmp_path: Path) -> None:
    journal = CreateJournal("https://127.0.0.1:9443/api/v2/", tmp_path)
    journal.record("vip:4:S", {"ip": "127.0.0.30", "ports": "5060"})
    entry = json.loads(journal.path.read_text().splitlines()[-1])
    entry["at"] = time.time() - MAX_AGE_SECONDS - 1
    journal.path.write_text(json.dumps(entry) + "\n")
    again = CreateJournal("https://127.0.0.1:9443/api/v2/", tmp_path)  # a new process reads the file
    assert again.record("vip:4:S", {"ip": "127.0.0.30", "ports": "5060"}) is None


def test_a_journal_that_cannot_be_written_stops_the_create(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    journal = CreateJournal("https://127.0.0.1:9443/api/v2/", blocker / "journal")
    with pytest.raises(JournalError, match="LBORG_JOURNAL_DIR"):
        journal.record("vip:7:A", {"ip": "127.0.0.10", "ports": "80"})


def test_a_damaged_journal_reads_as_empty(tmp_path: Path) -> None:
    journal = CreateJournal("https://127.0.0.1:9443/api/v2/", tmp_path)
    journal.path.write_text("{not json")
    assert journal.record("vip:7:A", {"ip": "127.0.0.10", "ports": "80"}) is None


def test_a_line_cut_short_by_a_crash_is_skipped_and_the_next_entry_still_counts(tmp_path: Path) -> None:
    journal = CreateJournal("https://127.0.0.1:9443/api/v2/", tmp_path)
    journal.record("vip:7:A", {"ip": "127.0.0.10", "ports": "80"})
    with journal.path.open("a") as log:
        log.write('{"key": "vip:7:B", "identity": {"ip": "127.0')  # the crash
    other = CreateJournal("https://127.0.0.1:9443/api/v2/", tmp_path)
    other.record("vip:7:C", {"ip": "127.0.0.12", "ports": "80"})
    fresh = CreateJournal("https://127.0.0.1:9443/api/v2/", tmp_path)
    assert fresh.record("vip:7:A", {"ip": "127.0.0.10", "ports": "80"}) == {"ip": "127.0.0.10", "ports": "80"}
    assert fresh.record("vip:7:B", {"ip": "127.0.0.11", "ports": "80"}) is None
    assert fresh.record("vip:7:C", {"ip": "127.0.0.12", "ports": "80"}) == {"ip": "127.0.0.12", "ports": "80"}


def test_the_log_is_appended_to_and_rewritten_when_mostly_dead(tmp_path: Path) -> None:
    """Each create appends one line (no rewrite of every entry per create); forgotten entries are
    dropped by a rewrite once they are most of the file, and another process follows it."""
    journal = CreateJournal("https://127.0.0.1:9443/api/v2/", tmp_path)
    reader = CreateJournal("https://127.0.0.1:9443/api/v2/", tmp_path)
    for index in range(50):
        journal.record(f"vip:7:LIVE{index}", {"ip": "127.0.0.9", "ports": "80"})
    before, inode = journal.path.read_bytes(), journal.path.stat().st_ino
    journal.record("vip:7:KEEP", {"ip": "127.0.0.9", "ports": "80"})
    after = journal.path.read_bytes()
    assert after.startswith(before) and after.count(b"\n") == before.count(b"\n") + 1
    assert journal.path.stat().st_ino == inode  # appended in place, not the whole file rewritten
    sizes = []
    for index in range(3 * COMPACT_AFTER_LINES):
        journal.record(f"vip:7:V{index}", {"ip": "127.0.0.10", "ports": "80"})
        sizes.append(journal.path.stat().st_size)
        journal.forget(f"vip:7:V{index}")
    growth = [after - before for before, after in itertools.pairwise(sizes[:101])]
    assert max(growth) < 200  # two short lines per object, whatever is already in the log
    assert len(journal.path.read_text().splitlines()) <= COMPACT_AFTER_LINES + 2
    assert reader.record("vip:7:KEEP", {"ip": "127.0.0.9", "ports": "80"}) == {
        "ip": "127.0.0.9",
        "ports": "80",
    }
    assert reader.record("vip:7:V5", {"ip": "127.0.0.10", "ports": "80"}) is None


def test_a_forget_while_another_thread_reads_the_log_still_drops_the_entry(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Terraform refreshes resources in parallel: the first forget of a new provider process reads
    the log, and a second forget arriving meanwhile must wait for that read, not answer "no entry"
    from the half-read table (the entry would survive and vouch for a later take-over)."""
    endpoint = "https://127.0.0.1:9443/api/v2/"
    writer = CreateJournal(endpoint, tmp_path)
    writer.record("vip:7:A", {"ip": "127.0.0.10", "ports": "80"})
    writer.record("vip:7:B", {"ip": "127.0.0.11", "ports": "80"})

    reader = CreateJournal(endpoint, tmp_path)  # the refreshing process
    reading = threading.Event()
    release = threading.Event()
    replay = reader._replay

    def slow_replay(line: bytes) -> None:
        reading.set()
        release.wait(10)
        replay(line)

    monkeypatch.setattr(reader, "_replay", slow_replay)
    first = threading.Thread(target=reader.forget, args=("vip:7:A",))
    first.start()
    assert reading.wait(10)
    second = threading.Thread(target=reader.forget, args=("vip:7:B",))
    second.start()
    second.join(0.3)  # it waits for the read in progress (the bug: it returned at once)
    release.set()
    first.join(10)
    second.join(10)

    fresh = CreateJournal(endpoint, tmp_path)
    assert fresh.record("vip:7:A", {"ip": "127.0.0.10", "ports": "80"}) is None
    assert fresh.record("vip:7:B", {"ip": "127.0.0.11", "ports": "80"}) is None
