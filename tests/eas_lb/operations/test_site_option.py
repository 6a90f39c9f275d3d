"""`--site` of every site command: the path given, else `$EAS_SITE`, else `./site.yaml`."""

from __future__ import annotations

from pathlib import Path

import pytest

from eas_lb.operations.command_line import Options, declare, site_option
from lborg_support.command_line import parse_options

_COMMAND = declare("verify", lambda _options: 0, (site_option(),), summary="a site command", example="-")


def _parse(argv: list[str]) -> Options:
    return parse_options(_COMMAND, argv, "eas-lb verify")


def test_site_yaml_in_the_current_directory_is_used_without_eas_site(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("EAS_SITE", raising=False)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "site.yaml").write_text("name: s\n", encoding="utf-8")
    assert _parse([]).site == Path("site.yaml")
    assert _parse(["--site", "other.yaml"]).site == Path("other.yaml")


def test_eas_site_comes_before_the_current_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EAS_SITE", "/elsewhere/site.yaml")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "site.yaml").write_text("name: s\n", encoding="utf-8")
    assert _parse([]).site == Path("/elsewhere/site.yaml")


def test_without_either_the_option_is_required(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("EAS_SITE", raising=False)
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit):
        _parse([])
    assert "--site" in capsys.readouterr().err
