"""Regenerate the lborg bindings of both frameworks from the provider's schema: `get` plus one fix-up.

    python -m eas_lb.tools.regenerate_bindings [--framework cdktf|cdktn] [--out DIR]

Runs `cdktf get` (into `eas_lb/bindings`) and `cdktn get` (into `eas_lb/bindings_cdktn`), or only
the one `--framework` names, for `local/lborg/lborg` (through the filesystem mirror named by
`TF_CLI_CONFIG_FILE`, see `eas-lb provider install`) in a scratch directory, then applies
one mechanical fix-up and writes the result to its folder (or `--out`, with one `--framework`).
Each framework needs its own bindings: their jsii assembly names the framework's as a dependency.

The fix-up: jsii's Python code generator defines a module-level type-check helper named
`check_type` and calls it from every `__init__`. The provider's VIPs have an attribute named
`check_type`, which becomes an `__init__` keyword parameter and shadows the helper, so creating
`Layer7Vip(...)` raises `TypeError: 'str' object is not callable`. Renaming the helper to
`_jsii_check_type` removes the clash without touching any public name. Each file also gets a
`# mypy: ignore-errors` line: generated code is checked through its use, not line by line.

The code is generated without jsii's runtime type checks (jsii-pacmak's
`--no-runtime-type-checking`, which `get` does not pass on: `JSII_PACMAK_RUNTIME_TYPE_CHECKING`
reaches it). With them, every construct's `__init__` resolved its type hints and checked each
argument with typeguard: 0.1 s of a 100-pool site's synth (bench/README.md). The constructs that
call the bindings are type-checked by mypy (strict), and jsii's kernel still refuses a value of
the wrong type when it crosses to Node.js.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import click

from eas_lb.synth.framework_choice import CLI_BIN, FRAMEWORKS, Framework, use_supported_node
from eas_lb.synth.framework_choice import PROJECT_ROOT as REPO
from lborg_support.command_line import run_program

#: Where each framework's bindings live (the names `eas_lb.synth.framework` imports).
OUT = {"cdktf": REPO / "eas_lb" / "bindings", "cdktn": REPO / "eas_lb" / "bindings_cdktn"}
#: Files in the bindings folder that are ours, not the generator's.
KEEP = ("README.md", "__init__.py")

_HELPER_DEF = re.compile(r"^def check_type\(", re.MULTILINE)
_IGNORE = "# mypy: ignore-errors\n"
_HELPER_CALL = re.compile(r"(?<![.\w])check_type\(argname=")


class RegenerateError(RuntimeError):
    pass


def fix_up(text: str) -> str:
    """Rename the generator's `check_type` helper so attributes named `check_type` cannot shadow it,
    and mark the file for mypy as generated (it is not ours to type-check; our code using it is)."""
    text = _IGNORE + _HELPER_DEF.sub("def _jsii_check_type(", text)
    return _HELPER_CALL.sub("_jsii_check_type(argname=", text)


def default_cli_config() -> Path | None:
    """The project's CLI config (`make provider` writes it), else whatever the environment names."""
    built = REPO / "build" / "terraformrc"
    if built.is_file():
        return built
    named = os.environ.get("TF_CLI_CONFIG_FILE")
    return Path(named) if named else None


def _environment(cli_config: Path | None, framework: Framework = "cdktf") -> dict[str, str]:
    env = dict(os.environ)
    # `get` shells out to pip: the project's venv must come first on PATH; then the CLI's folder,
    # which for cdktn also holds the `node` it needs.
    paths = [str(Path(sys.executable).parent), str(CLI_BIN[framework]), env.get("PATH", "")]
    env["PATH"] = os.pathsep.join(paths)
    use_supported_node(env)
    env.setdefault("CHECKPOINT_DISABLE", "1")
    # jsii-pacmak's `--no-runtime-type-checking` (module docstring), through its environment.
    env["JSII_PACMAK_RUNTIME_TYPE_CHECKING"] = "false"
    if cli_config is not None:
        env["TF_CLI_CONFIG_FILE"] = str(cli_config)
    return env


def generate(out: Path, cli_config: Path | None = None, framework: Framework = "cdktf") -> None:
    """Generate `framework`'s bindings into `out` (its README.md and __init__.py are kept)."""
    env = _environment(cli_config or default_cli_config(), framework)
    project = json.loads((REPO / "cdktf.json").read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory(prefix="lborg-bindings-") as scratch:
        work = Path(scratch)
        config = {
            "language": "python",
            "app": "true",
            "terraformProviders": project["terraformProviders"],
            "terraformModules": [],
            "codeMakerOutput": "generated",
            "sendCrashReports": "false",
        }
        (work / "cdktf.json").write_text(json.dumps(config), encoding="utf-8")
        cli = shutil.which(framework, path=env["PATH"])
        if cli is None:
            raise RegenerateError(f"{framework} CLI not found; run `make node` ({CLI_BIN[framework]})")
        result = subprocess.run(
            [cli, "get"], cwd=work, env=env, capture_output=True, text=True, timeout=600, check=False
        )
        generated = work / "generated"
        if result.returncode != 0 or not generated.is_dir():
            tail = (result.stdout + result.stderr).strip().splitlines()[-15:]
            raise RegenerateError(f"{framework} get failed:\n" + "\n".join(tail))
        for path in generated.rglob("*.py"):
            path.write_text(fix_up(path.read_text(encoding="utf-8")), encoding="utf-8")
        out.mkdir(parents=True, exist_ok=True)
        for child in out.iterdir():
            if child.name in KEEP:
                continue
            shutil.rmtree(child) if child.is_dir() else child.unlink()
        for child in generated.iterdir():
            shutil.move(str(child), out / child.name)


@click.command(help=__doc__, context_settings={"max_content_width": 110})
@click.option(
    "--framework", type=click.Choice(FRAMEWORKS), help="only this framework's bindings (default: both)"
)
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    help="target folder, with --framework (default eas_lb/bindings or eas_lb/bindings_cdktn)",
)
@click.option(
    "--cli-config",
    type=click.Path(path_type=Path),
    help="Terraform CLI config with the lborg mirror (default build/terraformrc)",
)
def _command(framework: Framework | None, out: Path | None, cli_config: Path | None) -> int:
    if out is not None and framework is None:
        raise click.UsageError("--out needs --framework (each framework has its own folder)")
    chosen: tuple[Framework, ...] = (framework,) if framework else FRAMEWORKS
    for each in chosen:
        target = out or OUT[each]
        try:
            generate(target, cli_config, each)
        except (RegenerateError, subprocess.TimeoutExpired) as error:
            print(f"regenerate bindings: {error}", file=sys.stderr)
            return 1
        print(f"{each} bindings written to {target}")
    return 0


def main(argv: list[str] | None = None) -> int:
    return run_program(_command, argv, "python -m eas_lb.tools.regenerate_bindings")


if __name__ == "__main__":
    raise SystemExit(main())
