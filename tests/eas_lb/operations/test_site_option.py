"""`--site` of every site command: the path given, else `$EAS_SITE`, else `./site.yaml`."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from eas_lb.operations.site_option import add_site_option


def _parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="verify", exit_on_error=False)
    add_site_option(parser)
    return parser.parse_args(argv)


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
