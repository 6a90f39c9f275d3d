"""Run a GitHub Actions job's `run:` steps as a script, on this machine, as the runner would.

Each `run:` step runs in order with `bash --noprofile --norc -eo pipefail` (GitHub's `shell: bash`),
in the job's working directory, with the environment the workflow sets (workflow, job and step
`env:`, expressions evaluated) and the files the runner provides (GITHUB_OUTPUT, GITHUB_ENV). A
step's `if:` is evaluated against the outputs earlier steps wrote; a failed step ends the job, as
on GitHub. `uses:` steps are skipped (the test provides what they would: the checkout is the
directory itself). An expression this small evaluator does not know fails the test, so a
workflow cannot drift away from what the test runs.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

_EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")
_TOKEN = re.compile(r"\s*(?:(?P<string>'[^']*')|(?P<op>==|!=|&&|\|\||!|\(|\))|(?P<name>[A-Za-z_][\w.-]*))")


@dataclass
class StepResult:
    name: str
    returncode: int
    stdout: str
    stderr: str
    skipped: bool = False


@dataclass
class JobRun:
    results: list[StepResult] = field(default_factory=list)

    def step(self, name: str) -> StepResult:
        (found,) = [result for result in self.results if result.name == name]
        return found

    @property
    def failed(self) -> bool:
        return any(result.returncode != 0 for result in self.results)

    @property
    def output(self) -> str:
        return "".join(result.stdout + result.stderr for result in self.results)


@dataclass
class Context:
    """What expressions may read: github.*, secrets.*, vars.*, inputs.*, steps.<id>.outputs.*."""

    github: dict[str, str]
    secrets: dict[str, str]
    variables: dict[str, str]
    inputs: dict[str, Any]
    outputs: dict[str, dict[str, str]] = field(default_factory=dict)

    def lookup(self, name: str) -> Any:
        head, _, rest = name.partition(".")
        if head == "steps":
            step, kind, key = rest.split(".", 2)
            if kind != "outputs":
                raise AssertionError(f"the test's evaluator knows steps.*.outputs only, not {name}")
            return self.outputs.get(step, {}).get(key, "")
        tables: dict[str, Mapping[str, Any]] = {
            "github": self.github,
            "secrets": self.secrets,
            "vars": self.variables,
            "inputs": self.inputs,
        }
        if head not in tables:
            raise AssertionError(f"the test's evaluator does not know the context of {name}")
        return tables[head].get(rest, "")


def evaluate(expression: str, context: Context) -> Any:
    """A GitHub expression of names, 'strings', ==, !=, !, &&, || and parentheses."""
    tokens: list[tuple[str, str]] = []
    position = 0
    while position < len(expression.rstrip()):
        match = _TOKEN.match(expression, position)
        if match is None:
            raise AssertionError(f"the test's evaluator cannot read {expression!r}")
        kind = match.lastgroup or ""
        tokens.append((kind, match.group(kind)))
        position = match.end()
    python: list[str] = []
    values: dict[str, Any] = {}
    for kind, text in tokens:
        if kind == "string":
            python.append(repr(text[1:-1]))
        elif kind == "name":
            values[f"v{len(values)}"] = context.lookup(text)
            python.append(f"v{len(values) - 1}")
        else:
            python.append({"&&": " and ", "||": " or ", "!": " not "}.get(text, text))
    # Only our own tokens reach eval: names became variables, strings repr()s, operators Python's.
    return eval("".join(python), {"__builtins__": {}}, values)


def _expand(value: Any, context: Context) -> str:
    text = str(value)
    whole = _EXPRESSION.fullmatch(text)
    if whole is not None:
        result = evaluate(whole.group(1), context)
        if result is None or result is False:
            return ""
        return str(result).lower() if isinstance(result, bool) else str(result)
    return _EXPRESSION.sub(lambda match: str(evaluate(match.group(1), context)), text)


def _read_outputs(path: Path) -> dict[str, str]:
    outputs: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if "=" in line:
            key, value = line.split("=", 1)
            outputs[key] = value
    return outputs


def run_job(
    workflow: Path,
    job: str,
    workdir: Path,
    context: Context,
    base_env: Mapping[str, str],
    replace: Mapping[str, Callable[[dict[str, str]], None]] | None = None,
    start_at: str | None = None,
    stop_after: str | None = None,
) -> JobRun:
    """Run the job's steps; `replace` runs a callable instead of the named step (it gets the env)."""
    document = yaml.safe_load(workflow.read_text(encoding="utf-8"))
    spec = document["jobs"][job]
    replace = dict(replace or {})
    run = JobRun()
    runner = workdir.parent / f".runner-{job}"
    runner.mkdir(exist_ok=True)
    github_env: dict[str, str] = {}
    started = start_at is None
    for index, step in enumerate(spec["steps"]):
        name = step.get("name", step.get("uses", ""))
        started = started or name == start_at
        if "run" not in step or not started:
            continue
        if "if" in step and not evaluate(str(step["if"]).removeprefix("${{").removesuffix("}}"), context):
            run.results.append(StepResult(name, 0, "", "", skipped=True))
            continue
        output_file, env_file = runner / f"output-{index}", runner / f"env-{index}"
        output_file.write_text("", encoding="utf-8")
        env_file.write_text("", encoding="utf-8")
        env = {**base_env, **github_env, "GITHUB_OUTPUT": str(output_file), "GITHUB_ENV": str(env_file)}
        for scope in (document.get("env", {}), spec.get("env", {}), step.get("env", {})):
            env.update({key: _expand(value, context) for key, value in scope.items()})
        if name in replace:
            replace.pop(name)(env)
            result = StepResult(name, 0, "(replaced by the test)\n", "")
        else:
            done = subprocess.run(
                ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
                cwd=workdir,
                env=env,
                capture_output=True,
                text=True,
                timeout=600,
                check=False,
            )
            result = StepResult(name, done.returncode, done.stdout, done.stderr)
        run.results.append(result)
        if "id" in step:
            context.outputs[step["id"]] = _read_outputs(output_file)
        github_env.update(_read_outputs(env_file))
        if result.returncode != 0 or name == stop_after:
            break
    assert not replace, f"steps to replace that the job does not have: {sorted(replace)}"
    return run


def github_env(workdir: Path, api_url: str, repository: str = "site-owner/site") -> dict[str, str]:
    """The default variables GitHub sets on a runner, for a run of this site's repository."""
    return {
        "GITHUB_ACTIONS": "true",
        "CI": "true",
        "GITHUB_WORKSPACE": str(workdir),
        "GITHUB_REPOSITORY": repository,
        "GITHUB_SERVER_URL": "https://github.example",
        "GITHUB_API_URL": api_url,
        "GITHUB_RUN_ID": "4242",
        "RUNNER_TEMP": str(workdir.parent),
        "HOME": os.environ.get("HOME", str(workdir.parent)),
    }
