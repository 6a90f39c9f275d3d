"""No function of the product code is longer than 60 lines (decorators and docstring included).

A longer function does more than one thing a reader can hold at once; split it where its steps
are. Generated code (the cdktf bindings) is left out: it is rebuilt, never read or edited.
"""

from __future__ import annotations

import ast
from pathlib import Path

from tests.support.paths import REPO_ROOT

PACKAGES = ("lborg_support", "lborg_provider", "lborg_simulator", "eas_lb")
GENERATED = ("bindings", "bindings_cdktn")
LONGEST = 60


def _functions(source: Path, root: Path = REPO_ROOT) -> list[tuple[int, str]]:
    """(length in lines, "path:line name") of every function and method of one module."""
    tree = ast.parse(source.read_text(encoding="utf-8"), filename=str(source))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.end_lineno is not None:
            start = min([node.lineno, *(decorator.lineno for decorator in node.decorator_list)])
            where = f"{source.relative_to(root)}:{node.lineno} {node.name}"
            found.append((node.end_lineno - start + 1, where))
    return found


def test_no_function_of_the_product_code_is_over_60_lines() -> None:
    modules = [
        path
        for package in PACKAGES
        for path in (REPO_ROOT / package).rglob("*.py")
        if not set(path.relative_to(REPO_ROOT).parts) & set(GENERATED)
    ]
    assert len(modules) > 100  # the packages were found
    lengths = [entry for module in modules for entry in _functions(module)]
    too_long = sorted((length, where) for length, where in lengths if length > LONGEST)
    assert not too_long, "\n".join(f"{length} lines: {where}" for length, where in too_long)


def test_the_measure_counts_a_long_function(tmp_path: Path) -> None:
    """The walk sees a method's whole body, decorators included (a measure that cannot fail proves
    nothing)."""
    body = "\n".join(f"        x{n} = {n}" for n in range(LONGEST))
    module = tmp_path / "planted_long.py"
    module.write_text(f"class C:\n    @staticmethod\n    def f() -> None:\n{body}\n", encoding="utf-8")
    ((length, where),) = _functions(module, tmp_path)
    assert length == LONGEST + 2 and where.endswith(":3 f"), (length, where)
