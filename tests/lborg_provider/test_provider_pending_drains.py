"""The drain deadlines an interrupted apply left, as a command tells the user after Ctrl-C."""

from __future__ import annotations

from pathlib import Path

import pytest

from lborg_provider.client.endpoint import normalize_endpoint
from lborg_provider.runtime.drains import DrainSchedule
from lborg_provider.tools.drains import pending_drains


def test_pending_drains_names_each_server_and_what_is_left(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LBORG_JOURNAL_DIR", str(tmp_path))
    endpoint = normalize_endpoint("https://127.0.0.1:9443")  # as the provider keys its files
    assert pending_drains(endpoint) is None
    DrainSchedule(endpoint).started("7", "MGMT_IMAP-143", "EAS_SSS-10.0.0.5", 300)
    DrainSchedule(endpoint).started("4", "SERV_SIP-5060", "EAS_SSS-10.0.0.6", 0)  # already over
    said = pending_drains("https://127.0.0.1:9443/")  # the endpoint as a site file may write it
    assert said is not None and said.startswith("'MGMT_IMAP-143/EAS_SSS-10.0.0.5' (")
    assert "SERV_SIP" not in said
    assert pending_drains("https://127.0.0.2:9443") is None
