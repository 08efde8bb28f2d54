"""Reading table files — YAML and CSV — into RawTables, turning every fault into a Problem.

YAML is read strictly (OpenFisca's habit): a key written twice in a mapping is an error, not a
silent overwrite. Only `null` is resolved implicitly: every other plain scalar stays text and the
model converts it, so `grade: 01.003` is the grade code, not the float 1.003, and `id: 010` is not
the octal 8; dates go through the model's own date parser, which says when a date does not exist.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from engine.errors import Problem
from engine.loading.messages import shown
from engine.loading.tables import RawRow, RawTable, rows_from_grid

_NULL = "tag:yaml.org,2002:null"
# Raised by explicit tags on bad scalars (`!!int x`, `!!timestamp 1985-02-30`) or absurd nesting.
_CONSTRUCT_ERRORS = (yaml.YAMLError, ValueError, TypeError, ArithmeticError, RecursionError)


class StrictLoader(yaml.SafeLoader):
    """SafeLoader that records duplicate keys and resolves no implicit type but null."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.duplicates: list[tuple[int, object, int]] = []  # (line, key, line of the first)

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[Any, Any]:
        first_line: dict[object, int] = {}
        for key_node, _ in node.value:
            if not isinstance(key_node, ScalarNode):
                continue  # an unhashable key; the base class reports it
            key = self.construct_object(key_node, deep=deep)
            line = key_node.start_mark.line + 1
            if key in first_line:
                self.duplicates.append((line, key, first_line[key]))
            else:
                first_line[key] = line
        return super().construct_mapping(node, deep=deep)


# Only null is resolved implicitly (see the module docstring); set on the class, not the instance.
StrictLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag == _NULL]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def decode(path: Path, label: str) -> tuple[str | None, list[Problem]]:
    """The file's text (UTF-8, with or without BOM), or a problem naming the file and the bad byte's line."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        return None, [Problem(label, None, None, f"không đọc được tệp / cannot read file: {exc.strerror}")]
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        return None, [Problem(label, line, None, "tệp không phải UTF-8 / file is not UTF-8 (byte "
                              f"0x{data[exc.start]:02x}); save it as UTF-8 (CSV UTF-8 in Excel)")]


def _yaml_problem(label: str, text: str, exc: BaseException) -> Problem:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line: int | None = mark.line + 1 if mark is not None else None
    position = getattr(exc, "position", None)
    if line is None and isinstance(position, int):
        line = text.count("\n", 0, position) + 1
    if isinstance(exc, RecursionError):
        detail = "nested too deeply"
    elif isinstance(exc, yaml.MarkedYAMLError):
        detail = " ".join(part for part in (exc.context, exc.problem) if part)
    else:
        detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return Problem(label, line, None, f"YAML không hợp lệ / invalid YAML: {detail}")


@contextmanager
def _composed(label: str, text: str) -> Iterator[tuple[StrictLoader | None, Node | None, list[Problem]]]:
    """The loader and the document's node tree, or the problem that stopped the parse (the node is None)."""
    loader: StrictLoader | None = None
    try:
        loader = StrictLoader(text)  # checks for unprintable characters already
        node = loader.get_single_node()
    except (yaml.YAMLError, RecursionError) as exc:
        yield loader, None, [_yaml_problem(label, text, exc)]
    else:
        yield loader, node, []
    finally:
        if loader is not None:
            loader.dispose()


def _mapping_row(
    loader: StrictLoader, label: str, text: str, node: MappingNode
) -> tuple[RawRow | None, list[Problem]]:
    line = node.start_mark.line + 1
    try:
        values = loader.construct_object(node, deep=True)
    except _CONSTRUCT_ERRORS as exc:
        return None, [_yaml_problem(label, text, exc) if isinstance(exc, yaml.YAMLError)
                      else Problem(label, line, None, f"YAML không hợp lệ / invalid YAML: {exc}")]
    field_lines = {
        str(key_node.value): key_node.start_mark.line + 1
        for key_node, _ in node.value
        if isinstance(key_node, ScalarNode)
    }
    problems = [
        Problem(label, dup_line, str(key), f"khóa trùng / duplicate key (first at line {first})")
        for dup_line, key, first in loader.duplicates
    ]
    loader.duplicates.clear()
    return RawRow(line, values, field_lines), problems


def read_yaml_table(table: str, path: Path, label: str) -> RawTable:
    """A YAML table file: a list of mappings, each row keeping the line it starts on."""
    raw = RawTable(table, label)
    text, raw.problems = decode(path, label)
    if text is None:
        raw.complete = False
        return raw
    with _composed(label, text) as (loader, node, problems):
        raw.problems, raw.complete = problems, not problems
        if loader is None or node is None:
            return raw
        if not isinstance(node, SequenceNode):
            raw.complete = False
            raw.problems.append(Problem(label, node.start_mark.line + 1, None,
                                        "bảng phải là một danh sách các dòng / a table must be a list of rows"
                                        " (YAML '- field: value' items)"))
            return raw
        for item in node.value:
            if not isinstance(item, MappingNode):
                raw.problems.append(Problem(label, item.start_mark.line + 1, None,
                                            "mỗi dòng phải là một ánh xạ / each row must be a mapping"
                                            " of field: value", shown(getattr(item, "value", None))))
                continue
            row, problems = _mapping_row(loader, label, text, item)
            raw.problems.extend(problems)
            if row is None:
                raw.complete = False
            else:
                raw.rows.append(row)
    return raw


def read_yaml_mapping(path: Path, label: str) -> tuple[RawRow | None, list[Problem]]:
    """A YAML file holding one mapping (the manifest), with the line of each key."""
    text, problems = decode(path, label)
    if text is None:
        return None, problems
    with _composed(label, text) as (loader, node, problems):
        if loader is not None and isinstance(node, MappingNode):
            return _mapping_row(loader, label, text, node)
        if not problems:
            line = node.start_mark.line + 1 if node is not None else None
            message = "phải là một ánh xạ / must be a mapping of field: value"
            problems.append(Problem(label, line, None, message))
        return None, problems


def read_csv_table(table: str, path: Path, label: str) -> RawTable:
    """A CSV table file: UTF-8 (BOM allowed), comma-separated, header on its first line.

    Each row's line is the physical line it starts on (the header is line 1), so a quoted cell
    spanning lines does not shift the numbers of the rows after it.
    """
    text, problems = decode(path, label)
    if text is None:
        return RawTable(table, label, problems=problems, complete=False)
    records: list[tuple[int, list[str]]] = []
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    start = 1
    try:
        for cells in reader:
            records.append((start, cells))
            start = reader.line_num + 1
    except csv.Error as exc:
        problems.append(Problem(label, reader.line_num or 1, None, f"CSV không hợp lệ / invalid CSV: {exc}"))
    raw = rows_from_grid(table, label, records)
    raw.problems[:0] = problems
    raw.complete = not problems
    return raw
