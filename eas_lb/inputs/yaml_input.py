"""Reading a YAML input file (the site file) so that every problem has a line and a column.

PyYAML alone lets several mistakes escape as exceptions without a position, or never finish:
control characters (a `ReaderError` with a character offset), integers of thousands of digits
and impossible dates (a bare `ValueError` from the constructor), nesting deeper than Python's
recursion limit, an alias that contains itself (a recursive structure no validator can walk),
and aliases that expand exponentially. This module checks for each of them first and reports
them as `Problem`s, and records where every mapping key and sequence item starts, so that a
validation error on a value can point at it.

Positions count lines the way editors do: only LF, CRLF and CR end a line. YAML 1.1 (and so
PyYAML) also breaks lines at U+0085, U+2028 and U+2029, which would shift every later line
number; those characters are refused with their position instead.
"""

from __future__ import annotations

import re
from typing import Any

import yaml
from yaml.constructor import ConstructorError

from eas_lb.inputs.pools import InputFileError, Problem

#: A path into the loaded data: mapping keys and sequence indexes from the top.
DataPath = tuple[Any, ...]
Positions = dict[DataPath, tuple[int, int]]

#: Deeper than any site file needs, far below what PyYAML's recursive composer survives.
MAX_DEPTH = 64
#: Values after aliases are expanded; a site file has a few hundred.
MAX_VALUES = 100_000
#: Characters of an integer scalar; real ones have at most a dozen.
MAX_INTEGER_CHARS = 100
#: How many bad characters are listed before the rest are summarized.
MAX_CHARACTER_PROBLEMS = 10

_LINE_END = re.compile(r"\r\n|\r|\n")
# What YAML 1.1 allows (PyYAML's Reader), minus the three extra line breaks editors do not show.
_REFUSED = re.compile("[^\x09\x0a\x0d\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_LINE_BREAK_NAMES = {"\x85": "NEXT LINE", "\u2028": "LINE SEPARATOR", "\u2029": "PARAGRAPH SEPARATOR"}


class YamlInputError(InputFileError):
    """A YAML file that cannot be read as data; lists every problem found."""


def position(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of character `offset`, with LF, CRLF and CR as the only line ends."""
    before = text[:offset]
    line_starts = [match.end() for match in _LINE_END.finditer(before)]
    start = line_starts[-1] if line_starts else 0
    return len(line_starts) + 1, offset - start + 1


def _character_problems(text: str, source: str) -> list[Problem]:
    problems: list[Problem] = []
    matches = list(_REFUSED.finditer(text))
    for match in matches[:MAX_CHARACTER_PROBLEMS]:
        character = match.group()
        line, column = position(text, match.start())
        name = _LINE_BREAK_NAMES.get(character)
        if name is not None:
            message = (
                f"U+{ord(character):04X} {name}: YAML reads it as a line break but editors do not, so "
                "lines would be counted differently; use a plain line break or remove it"
            )
        else:
            message = (
                f"control character U+{ord(character):04X} is not allowed in YAML; remove it "
                "(or write it as an escape such as \\x01 inside a double-quoted string)"
            )
        problems.append(Problem(source, line, column, message))
    if len(matches) > MAX_CHARACTER_PROBLEMS:
        line, column = position(text, matches[MAX_CHARACTER_PROBLEMS].start())
        more = len(matches) - MAX_CHARACTER_PROBLEMS
        problems.append(Problem(source, line, column, f"and {more} more characters like these"))
    return problems


def _at(source: str, mark: Any, message: str) -> Problem:
    line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    return Problem(source, line, column, message)


class _Loader(yaml.SafeLoader):
    """The safe loader, with constructor failures turned into positioned errors."""

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep=deep)
        except (ValueError, OverflowError, TypeError) as error:
            raise ConstructorError(None, None, f"cannot read this value: {error}", node.start_mark) from None

    def construct_yaml_int(self, node: yaml.ScalarNode) -> int:
        text = str(node.value)
        if len(text) > MAX_INTEGER_CHARS:
            raise ConstructorError(
                None, None, f"an integer of {len(text)} characters is too large", node.start_mark
            )
        value: int = super().construct_yaml_int(node)
        return value


_Loader.add_constructor("tag:yaml.org,2002:int", _Loader.construct_yaml_int)


def _check_nesting(text: str, source: str) -> None:
    """Refuse nesting deeper than MAX_DEPTH before composing (PyYAML's composer recurses)."""
    depth = 0
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                message = f"nested more than {MAX_DEPTH} levels deep; a site file needs a handful"
                raise YamlInputError([_at(source, event.start_mark, message)])
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _check_aliases(root: yaml.Node, source: str) -> None:
    """Refuse a node that contains itself, and aliases that expand past MAX_VALUES or MAX_DEPTH.

    One depth-first walk over the node graph (aliases make it a graph), each node expanded once:
    linear in the size of the file however the aliases multiply.
    """
    size: dict[int, int] = {}
    depth: dict[int, int] = {}
    on_path: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        key = id(node)
        if children_done:
            on_path.discard(key)
            children = _children(node)
            size[key] = 1 + sum(size[id(child)] for child in children)
            depth[key] = 1 + max((depth[id(child)] for child in children), default=0)
            if size[key] > MAX_VALUES:
                message = f"aliases here expand to more than {MAX_VALUES} values; write the data out instead"
                raise YamlInputError([_at(source, node.start_mark, message)])
            if depth[key] > MAX_DEPTH:
                message = f"aliases here nest more than {MAX_DEPTH} levels deep"
                raise YamlInputError([_at(source, node.start_mark, message)])
            continue
        if key in size:
            continue
        on_path.add(key)
        stack.append((node, True))
        for child in _children(node):
            if id(child) in on_path:
                message = (
                    "the value anchored here (&name) contains itself through an alias (*name); "
                    "a site file cannot be recursive"
                )
                raise YamlInputError([_at(source, child.start_mark, message)])
            if id(child) not in size:
                stack.append((child, False))


def _record_positions(root: yaml.Node) -> Positions:
    """Where each key and item starts; a node reached again through an alias keeps its first path."""
    positions: Positions = {}
    seen: set[int] = set()
    stack: list[tuple[yaml.Node, DataPath]] = [(root, ())]
    while stack:
        node, path = stack.pop()
        if id(node) in seen:  # reached again through an alias: keep the position of the key
            positions.setdefault(path, (node.start_mark.line + 1, node.start_mark.column + 1))
            continue
        seen.add(id(node))
        positions[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if not isinstance(key, yaml.ScalarNode):
                    continue
                positions.setdefault((*path, key.value), (key.start_mark.line + 1, key.start_mark.column + 1))
                stack.append((value, (*path, key.value)))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((item, (*path, index)) for index, item in enumerate(node.value))
    return positions


def load_yaml(text: str, source: str) -> tuple[Any, Positions]:
    """Parse `text` into data and the position of each key and item; raise `YamlInputError`."""
    problems = _character_problems(text, source)
    if problems:
        raise YamlInputError(problems)
    loader = _Loader(text)
    try:
        _check_nesting(text, source)
        root = loader.get_single_node()
        if root is None:
            return None, {}
        _check_aliases(root, source)
        data = loader.construct_document(root)
    except yaml.MarkedYAMLError as error:
        message = error.problem or error.context or "cannot be parsed"
        if error.context and message.startswith("but "):
            message = f"{error.context} {message}"
        mark = error.problem_mark or error.context_mark
        raise YamlInputError([_at(source, mark, f"not valid YAML: {message}")]) from None
    except yaml.YAMLError as error:  # the reader's errors carry an offset, not a mark
        offset = getattr(error, "position", 0)
        line, column = position(text, offset if isinstance(offset, int) else 0)
        raise YamlInputError([Problem(source, line, column, f"not valid YAML: {error}")]) from None
    finally:
        loader.dispose()
    return data, _record_positions(root)


def where_text(path: tuple[Any, ...]) -> str:
    """A data path as the user writes it: `pairs[0].primary.name`."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(top level)"


def locate(positions: Positions, path: tuple[Any, ...]) -> tuple[int, int]:
    """The position of `path` in the file, or of its nearest ancestor that is there."""
    while path not in positions and path:
        path = path[:-1]
    return positions.get(path, (1, 1))
