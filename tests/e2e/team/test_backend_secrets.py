"""The site's backend section: secrets refused where they are written, one state per stack."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import pytest

from eas_lb.inputs.backend_config import backend_arguments, secret_problems
from eas_lb.inputs.site import Backend, SiteFileError, load_site
from tests.support.paths import REPO_ROOT

REPO = REPO_ROOT
EXAMPLES = REPO / "examples"


def _site(tmp_path: Path, backend: str) -> Path:
    text = (EXAMPLES / "site-scenario1.yaml").read_text()
    text = text.replace("backend:\n  kind: local\n", backend)
    assert backend in text
    (tmp_path / "pools-scenario1.txt").write_text((EXAMPLES / "pools-scenario1.txt").read_text())
    path = tmp_path / "site.yaml"
    path.write_text(text)
    return path


def _line_of(path: Path, needle: str) -> int:
    return next(n for n, line in enumerate(path.read_text().splitlines(), start=1) if needle in line)


@pytest.mark.parametrize(
    "conn_str",
    [
        "postgres://terraform:s3cret@db.example.net/eas_state",
        "postgresql://terraform:s3cret@db.example.net:5432/eas_state?sslmode=verify-full",
        "postgres://db.example.net/eas_state?user=terraform&password=s3cret",
        "host=db.example.net user=terraform password=s3cret dbname=eas_state",
    ],
)
def test_a_password_in_the_connection_string_is_refused_with_where_it_goes(
    tmp_path: Path, conn_str: str
) -> None:
    path = _site(
        tmp_path, f"backend:\n  kind: pg\n  config:\n    schema_name: eas\n    conn_str: {conn_str!r}\n"
    )
    with pytest.raises(SiteFileError) as caught:
        load_site(path)
    [problem] = caught.value.problems
    assert (problem.line, problem.column) == (_line_of(path, "conn_str:"), 15)
    assert problem.message.startswith("backend.config.conn_str: the connection string holds a password")
    assert "export PGPASSWORD" in problem.message and "PG_CONN_STR" in problem.message
    assert "s3cret" not in str(caught.value)  # the error does not repeat the secret


@pytest.mark.parametrize(
    ("kind", "key", "env"),
    [
        ("pg", "password", "PGPASSWORD"),
        ("s3", "secret_key", "AWS_SECRET_ACCESS_KEY"),
        ("s3", "token", "AWS_SESSION_TOKEN"),
    ],
)
def test_secret_arguments_are_refused(tmp_path: Path, kind: str, key: str, env: str) -> None:
    path = _site(tmp_path, f"backend:\n  kind: {kind}\n  config:\n    bucket: b\n    {key}: s3cret\n")
    with pytest.raises(SiteFileError) as caught:
        load_site(path)
    [problem] = caught.value.problems
    line = _line_of(path, f"{key}:")
    value_column = path.read_text().splitlines()[line - 1].index(":") + 3
    assert (problem.line, problem.column) == (line, value_column)
    assert f"backend.config.{key}:" in problem.message and f"export {env}" in problem.message


def test_a_connection_string_without_password_is_accepted() -> None:
    config = {"conn_str": "postgres://terraform@db.example.net/eas_state?sslmode=verify-full"}
    assert secret_problems("pg", config) == []
    assert secret_problems("pg", {"conn_str": "host=db user=terraform dbname=eas"}) == []
    assert secret_problems("local", {"path": "state/x.tfstate"}) == []


def test_each_stack_gets_its_own_schema() -> None:
    assert backend_arguments("pg", {"conn_str": "postgres://u@h/d"}, "demo-pair1-lb") == {
        "conn_str": "postgres://u@h/d",
        "schema_name": "demo-pair1-lb",
    }
    assert backend_arguments("pg", {"schema_name": "eas"}, "demo-pair1-vms") == {
        "schema_name": "eas-demo-pair1-vms"
    }
    assert backend_arguments("s3", {"bucket": "b"}, "x") == {"bucket": "b", "key": "x.tfstate"}
    assert backend_arguments("s3", {"bucket": "b", "key": "/eas/lab/"}, "lab-pair1-lb") == {
        "bucket": "b",
        "key": "eas/lab/lab-pair1-lb.tfstate",
    }


def _synth(site: Path, outdir: Path, env: dict[str, str]) -> dict[str, dict[str, Any]]:
    """Synthesize the site as `cdktf synth` does (main.py), in a child with its own environment."""
    import subprocess

    subprocess.run(
        [sys.executable, str(REPO / "main.py")],
        cwd=REPO,
        env={**os.environ, **env, "EAS_SITE": str(site), "CDKTF_OUTDIR": str(outdir), "EAS_LB_NO_LOCK": "1"},
        check=True,
        capture_output=True,
        text=True,
    )
    return {
        stack.name: json.loads((stack / "cdk.tf.json").read_text())
        for stack in sorted((outdir / "stacks").iterdir())
    }


@pytest.mark.slow
def test_pg_synth_holds_no_secret_and_one_schema_per_stack(tmp_path: Path) -> None:
    path = _site(tmp_path, "backend:\n  kind: pg\n  config:\n    schema_name: eas\n")
    env = {"PG_CONN_STR": "postgres://u:env-only-s3cret@db/x", "PGPASSWORD": "env-only-s3cret"}
    stacks = _synth(path, tmp_path / "out", env)
    assert set(stacks) == {"scenario1-pair1-lb", "scenario1-pair1-vms"}
    for name, stack in stacks.items():
        assert stack["terraform"]["backend"] == {"pg": {"schema_name": f"eas-{name}"}}
    written = "".join(p.read_text(errors="replace") for p in (tmp_path / "out").rglob("*") if p.is_file())
    assert "env-only-s3cret" not in written


def test_configure_backend_refuses_a_secret_given_in_code() -> None:
    from eas_lb.synth.framework import App, TerraformStack
    from eas_lb.synth.stacks.backend import configure_backend

    stack = TerraformStack(App(), "s")
    with pytest.raises(
        ValueError, match=r"backend\.config\.conn_str: the connection string holds a password"
    ):
        configure_backend(stack, Backend(kind="pg", config={"conn_str": "postgres://u:p@h/d"}))
