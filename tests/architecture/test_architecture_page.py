"""docs/architecture.md against the code: the page's drawing is read and held to the import graph.

The page is what a maintainer reads first, so it must not go stale in silence. This reads the
layer drawing itself (the names in each package's column, floor by floor, and the claims written
beside them), the paths the page names and the steps of its forward path, and compares them with
the modules on disk and the imports grimp finds (the graph `lint-imports` checks). A module added
and not drawn, a floor drawn in the wrong order, an import that climbs a drawn floor, a claim
beside the drawing that the code no longer keeps, or a path that moved: each fails here with the
page's words and the import that breaks them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from itertools import pairwise
from pathlib import Path

import grimp
import pytest

from tests.support.paths import REPO_ROOT

PAGE = REPO_ROOT / "docs" / "architecture.md"
PACKAGES = ("lborg_support", "lborg_provider", "lborg_simulator", "eas_lb")
#: Generated from the provider schema; the drawing names them beside `synth/`, which alone imports them.
GENERATED = ("bindings", "bindings_cdktn")
_FENCE = "```"


@dataclass(frozen=True)
class Drawing:
    """The layer drawing: each column's floors (top first), and each column's words run together."""

    eas_lb: list[list[str]]
    operations: list[list[str]]
    provider: list[list[str]]
    words: dict[str, str]


def _block_after(text: str, heading: str) -> list[str]:
    start = text.index(_FENCE, text.index(heading)) + len(_FENCE) + 1
    return text[start : text.index(_FENCE, start)].splitlines()


def _names(segment: str) -> list[str] | None:
    """The module names a drawing line starts with (`cli.py, tools/`), or None for prose."""
    head = re.split(r"\s{2,}", segment.strip())[0]
    tokens = [token for token in re.split(r"[,\s]+", head) if token]
    if not tokens or not all(re.fullmatch(r"\w+(/|\.py)", token) for token in tokens):
        return None
    return [token.removesuffix("/").removesuffix(".py") for token in tokens]


def _columns(line: str, *starts: int) -> list[str]:
    """A drawing line cut at the columns' starts; text that runs on over a column's start (no
    space there) stays with its own column, which then has the rest of the line."""
    parts, at = [], 0
    for start in starts:
        if len(line) > start and line[start - 1] != " ":
            break
        parts.append(line[at:start])
        at = start
    parts.append(line[at:])
    return parts + [""] * (len(starts) + 1 - len(parts))


def _column_words(lines: list[str], column: int, *starts: int) -> str:
    return " ".join(word for line in lines for word in _columns(line, *starts)[column].split() if word != "│")


def parse_drawing(text: str) -> Drawing:
    """Floors are name lines at one indent; a line with `│` between two of them starts a new floor."""
    lines = _block_after(text, "## The layers")
    header = lines[0]
    provider_at, simulator_at = header.index("lborg_provider"), header.index("lborg_simulator")
    floors: dict[str, list[list[str]]] = {"eas_lb": [], "operations": [], "provider": []}
    apart = {"eas_lb": True, "operations": True, "provider": True}
    for line in lines[2:]:
        if line.startswith(" lborg_support"):
            break
        left, right, _ = _columns(line, provider_at, simulator_at)
        level = "eas_lb" if re.match(r" \S", left) else "operations" if re.match(r"   \S", left) else ""
        names = _names(left) if level else None
        if names is not None:
            floors[level].append(names) if apart[level] else floors[level][-1].extend(names)
            apart[level] = False
        elif "│" in left:
            apart["eas_lb"] = apart["operations"] = True
        if re.match(r"\w", right):
            floors["provider"].append([name.strip() for name in re.split(r"\s{2,}", right)[0].split(",")])
    words = {
        "eas_lb": _column_words(lines, 0, provider_at, simulator_at),
        "provider": _column_words(lines, 1, provider_at, simulator_at),
        "simulator": _column_words(lines, 2, provider_at, simulator_at),
    }
    return Drawing(floors["eas_lb"], floors["operations"], floors["provider"], words)


@cache
def drawing() -> Drawing:
    return parse_drawing(PAGE.read_text(encoding="utf-8"))


@cache
def graph() -> grimp.ImportGraph:
    return grimp.build_graph(*PACKAGES, cache_dir=None)


def _children(package: str) -> set[str]:
    """The modules and packages directly inside `package`, as the drawing names them."""
    folder = REPO_ROOT / Path(*package.split("."))
    found = {path.stem for path in folder.glob("*.py") if path.stem != "__init__"}
    found |= {path.name for path in folder.iterdir() if (path / "__init__.py").is_file()}
    return found


def _under(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def _imports(importer_package: str) -> Iterator[tuple[str, str]]:
    """Every direct import made by a module of `importer_package`: (importer, imported)."""
    for module in graph().modules:
        if _under(module, importer_package):
            for imported in graph().find_modules_directly_imported_by(module):
                yield module, imported


def _found(importer_package: str, wrong: Callable[[str, str], bool]) -> list[str]:
    """The direct imports of `importer_package` that `wrong(importer, imported)` refuses."""
    return sorted(
        f"{importer} -> {imported}"
        for importer, imported in _imports(importer_package)
        if wrong(importer, imported)
    )


def _climbs(package: str, floors: list[list[str]]) -> list[str]:
    """Imports from a module on a floor to one on a floor drawn above it."""
    floor_of = {f"{package}.{name}": index for index, floor in enumerate(floors) for name in floor}
    found = []
    for importer_part, low in floor_of.items():
        for importer, imported in _imports(importer_part):
            for imported_part, high in floor_of.items():
                if high < low and _under(imported, imported_part):
                    found.append(f"{importer} -> {imported}")
    return sorted(found)


# -- the drawing is read as the page shows it (so a reading that goes wrong cannot pass for green) --
def test_the_drawing_is_read_floor_by_floor() -> None:
    page = drawing()
    assert page.eas_lb[0] == ["cli", "__main__", "tools", "demo", "plan_review"]
    assert page.eas_lb[1:] == [["operations"], ["synth"], ["guide"], ["inputs"]]
    assert page.operations[0] == ["demo"]
    assert page.operations[-1] == ["pool_terms", "site_option"]
    assert page.provider[0] == ["__main__", "tools"] and page.provider[-1] == ["model"]


def test_a_floor_drawn_out_of_order_is_caught() -> None:
    """The same reading on a copy of the page with guide/ drawn above synth/ finds the climbs."""
    text = PAGE.read_text(encoding="utf-8")
    synth = text.index(" synth/ ")
    guide = text.index(" guide/ ")
    swapped = text[:synth] + " guide/ " + text[synth + 8 : guide] + " synth/ " + text[guide + 8 :]
    floors = parse_drawing(swapped).eas_lb
    assert floors[2:4] == [["guide"], ["synth"]]
    assert any(" -> eas_lb.guide" in climb for climb in _climbs("eas_lb", floors))


# -- every module is drawn, and every name drawn is a module ---------------------------------------
@pytest.mark.parametrize(
    ("package", "column"),
    [("eas_lb", "eas_lb"), ("eas_lb.operations", "operations"), ("lborg_provider", "provider")],
)
def test_every_module_is_on_a_drawn_floor(package: str, column: str) -> None:
    drawn = {name for floor in getattr(drawing(), column) for name in floor}
    actual = _children(package) - (set(GENERATED) if package == "eas_lb" else set())
    assert not actual - drawn, f"{package}: not drawn on docs/architecture.md: {sorted(actual - drawn)}"
    assert not drawn - actual, f"{package}: drawn but not in the code: {sorted(drawn - actual)}"


def test_the_generated_bindings_are_drawn_with_synth_which_alone_imports_them() -> None:
    assert "(bindings/, bindings_cdktn/: generated" in drawing().words["eas_lb"]
    outside = _found(
        "eas_lb",
        lambda importer, imported: (
            any(_under(imported, f"eas_lb.{name}") for name in GENERATED)
            and not any(_under(importer, f"eas_lb.{name}") for name in (*GENERATED, "synth"))
        ),
    )
    assert not outside


# -- no import climbs a floor the page draws ---------------------------------------------------------
@pytest.mark.parametrize(
    ("package", "column"),
    [("eas_lb", "eas_lb"), ("eas_lb.operations", "operations"), ("lborg_provider", "provider")],
)
def test_no_import_climbs_a_drawn_floor(package: str, column: str) -> None:
    climbs = _climbs(package, getattr(drawing(), column))
    assert not climbs, f"imports that climb a floor of docs/architecture.md: {climbs}"


# -- the claims written beside the drawing --------------------------------------------------------
def _claim(column: str, words: str) -> None:
    assert words in drawing().words[column], (
        f"docs/architecture.md no longer says {words!r}: change the check below with the page"
    )


def test_the_features_import_none_of_each_other() -> None:
    _claim("eas_lb", "the features: none imports another")
    features = next(floor for floor in drawing().operations if "verify" in floor)
    package = "eas_lb.operations"

    def feature_of(module: str) -> str | None:
        return next((name for name in features if _under(module, f"{package}.{name}")), None)

    sideways = _found(
        package,
        lambda importer, imported: (
            feature_of(imported) not in (None, feature_of(importer)) and feature_of(importer) is not None
        ),
    )
    assert not sideways


def test_the_demo_is_the_only_importer_of_the_simulator() -> None:
    _claim("eas_lb", "demo/ the demo and the lab: the only importer of lborg_simulator")
    others = _found(
        "eas_lb",
        lambda importer, imported: (
            _under(imported, "lborg_simulator") and not _under(importer, "eas_lb.operations.demo")
        ),
    )
    assert not others


def test_eas_lb_reads_only_the_providers_model_client_and_tools() -> None:
    _claim("provider", "the only provider modules eas_lb reads (with client and tools)")
    surface = ("lborg_provider.model", "lborg_provider.client", "lborg_provider.tools")
    beyond = _found(
        "eas_lb",
        lambda _, imported: (
            _under(imported, "lborg_provider")
            and imported != "lborg_provider"  # the package itself: its address and version, no layer
            and not any(_under(imported, part) for part in surface)
        ),
    )
    assert not beyond


def test_the_simulator_imports_nothing_of_eas_lb_or_the_provider() -> None:
    _claim("simulator", "(beside: imports nothing of eas_lb or the provider)")
    found = _found(
        "lborg_simulator",
        lambda _, imported: _under(imported, "eas_lb") or _under(imported, "lborg_provider"),
    )
    assert not found


def test_lborg_support_is_below_all_three() -> None:
    assert "`lborg_support` is below all" in PAGE.read_text(encoding="utf-8")
    _claim("eas_lb", "lborg_support files (write_atomic, write_private), waiting")
    above = [package for package in PACKAGES if package != "lborg_support"]
    found = _found("lborg_support", lambda _, imported: any(_under(imported, package) for package in above))
    assert not found


# -- the paths the page names, and the forward path's direction -----------------------------------
def _named_paths(text: str) -> set[str]:
    pattern = r"\b((?:eas_lb|lborg_provider|lborg_simulator|lborg_support)/[\w/.]*\w/?)"
    return set(re.findall(pattern, text))


def test_every_path_the_page_names_exists() -> None:
    paths = _named_paths(PAGE.read_text(encoding="utf-8"))
    assert len(paths) > 30  # the reading found the page's paths
    missing = sorted(path for path in paths if not (REPO_ROOT / path).exists())
    assert not missing, f"docs/architecture.md names paths that are not in the tree: {missing}"


def _forward_steps() -> list[str]:
    """The modules of the forward path (pools row → the API) in order, up to the per-apply commit.

    A step is the first words after `──▶`; a folder there (`lborg_provider/runtime/`) is completed
    by the first words of the next line (`connection.py, batching.py`)."""
    lines = _block_after(PAGE.read_text(encoding="utf-8"), "Forward, from a pools row")
    steps = []
    for index, line in enumerate(lines):
        if "once per apply" in line:
            break
        if "──▶" not in line:
            continue
        head = re.split(r"\s{2,}", line.split("──▶", 1)[1].strip())[0]
        names = [head]
        if head.endswith("/"):
            rest = re.split(r"\s{2,}", lines[index + 1].strip())[0]
            names = [head + name.strip() for name in rest.split(",")]
        steps += [name.removesuffix(".py").replace("/", ".") for name in names if name.endswith(".py")]
    return steps


def test_the_forward_path_climbs_eas_lb_each_step_importing_the_last() -> None:
    """In eas_lb the pools row is handed up: each step imports the one before it."""
    steps = [step for step in _forward_steps() if step.startswith("eas_lb.")]
    assert steps[0] == "eas_lb.inputs.pools" and len(steps) >= 4
    for earlier, later in pairwise(steps):
        assert graph().chain_exists(importer=later, imported=earlier), f"{later} does not import {earlier}"


def test_the_forward_path_descends_the_providers_floors_in_one_direction() -> None:
    """In the provider a create is handed down: resources, then runtime, then client, never back up."""
    floor_of = {
        f"lborg_provider.{name}": index for index, floor in enumerate(drawing().provider) for name in floor
    }
    steps = [step for step in _forward_steps() if step.startswith("lborg_provider.")]
    assert len(steps) >= 4
    floors = [next(index for part, index in floor_of.items() if _under(step, part)) for step in steps]
    assert floors == sorted(floors), (
        f"the forward path climbs back up: {list(zip(steps, floors, strict=True))}"
    )
