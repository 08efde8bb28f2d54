"""Reading table files — YAML and CSV — into RawTables, turning every fault into a Problem.

YAML is read strictly (OpenFisca's habit) by the project's one strict YAML reader, engine.yamlio, in
its `TextLoader` settings: a key written twice in a mapping is an error, not a silent overwrite. Only
`null` is resolved implicitly: every other plain scalar stays text and the model converts it, so
`grade: 01.003` is the grade code, not the float 1.003, and `id: 010` is not the octal 8; dates go
through the model's own date parser, which says when a date does not exist.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import chain, count, repeat
from pathlib import Path

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from engine.errors import Problem
from engine.intake.delimiter import sniff
from engine.loading.messages import shown
from engine.loading.tables import RawRow, RawTable, grid_table
from engine.yamlio import AliasRefused, TextLoader

# Raised by explicit tags on bad scalars (`!!int x`, `!!timestamp 1985-02-30`) or absurd nesting.
_CONSTRUCT_ERRORS = (yaml.YAMLError, ValueError, TypeError, ArithmeticError, RecursionError)


def decode(path: Path, label: str) -> tuple[str | None, list[Problem]]:
    """The file's text (UTF-8, with or without BOM), or a problem naming the file and the bad byte's line."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        return None, [Problem(label, None, None, f"không đọc được tệp / cannot read file: {exc.strerror}",
                              code="file-unreadable")]
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        return None, [Problem(label, line, None, "tệp không phải UTF-8 / file is not UTF-8 (byte "
                              f"0x{data[exc.start]:02x}); save it as UTF-8 (CSV UTF-8 in Excel)", code="not-utf8")]


_BLANK_MAX = 1 << 16  # a file larger than this holds more than whitespace, or is refused for what it holds


def blank_file(path: Path, label: str) -> Problem | None:
    """The problem of a table file that is empty or holds only whitespace (0 bytes, a stray newline): a table
    with no rows still has its header line (CSV) or is a YAML list (`[]`); nothing at all is a mistake."""
    try:
        if path.stat().st_size > _BLANK_MAX:
            return None
        data = path.read_bytes()
    except OSError:
        return None
    if data.removeprefix(b"\xef\xbb\xbf").strip():
        return None
    return Problem(label, None, None, "tệp trống / the file is empty: a table file holds at least its header"
                   " line (CSV) or a YAML list ([] for no rows)", code="empty-file")


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
    return Problem(label, line, None, f"YAML không hợp lệ / invalid YAML: {detail}",
                   code="yaml-alias" if isinstance(exc, AliasRefused) else "invalid-yaml")


@contextmanager
def _composed(label: str, text: str) -> Iterator[tuple[TextLoader | None, Node | None, list[Problem]]]:
    """The loader and the document's node tree, or the problem that stopped the parse (the node is None)."""
    loader: TextLoader | None = None
    try:
        loader = TextLoader(text)  # checks for unprintable characters already
        node = loader.get_single_node()
    except (yaml.YAMLError, RecursionError) as exc:
        yield loader, None, [_yaml_problem(label, text, exc)]
    else:
        yield loader, node, []
    finally:
        if loader is not None:
            loader.dispose()


def _mapping_row(
    loader: TextLoader, label: str, text: str, node: MappingNode
) -> tuple[RawRow | None, list[Problem]]:
    line = node.start_mark.line + 1
    try:
        values = loader.construct_object(node, deep=True)
    except _CONSTRUCT_ERRORS as exc:
        return None, [_yaml_problem(label, text, exc) if isinstance(exc, yaml.YAMLError)
                      else Problem(label, line, None, f"YAML không hợp lệ / invalid YAML: {exc}", code="invalid-yaml")]
    field_lines = {
        str(key_node.value): key_node.start_mark.line + 1
        for key_node, _ in node.value
        if isinstance(key_node, ScalarNode)
    }
    problems = [
        Problem(label, dup_line, str(key), f"khóa trùng / duplicate key (first at line {first})",
                code="duplicate-key")
        for dup_line, key, first in loader.duplicates
    ]
    loader.duplicates.clear()
    return RawRow(line, values, field_lines), problems


def read_yaml_table(table: str, path: Path, label: str) -> RawTable:
    """A YAML table file: a list of mappings, each row keeping the line it starts on."""
    raw = RawTable(table, label)
    blank = blank_file(path, label)
    if blank is not None:
        raw.problems, raw.complete = [blank], False
        return raw
    text, raw.problems = decode(path, label)
    if text is None:
        raw.complete = False
        return raw
    with _composed(label, text) as (loader, node, problems):
        raw.problems, raw.complete = problems, not problems
        if loader is not None and node is None and not problems:
            # Comments only: no document, read as `~` would be (not a list of rows).
            raw.complete = False
            raw.problems.append(Problem(label, None, None, "bảng phải là một danh sách các dòng / a table must be"
                                        " a list of rows (the file holds no YAML document)", code="not-a-list"))
        if loader is None or node is None:
            return raw
        if not isinstance(node, SequenceNode):
            raw.complete = False
            raw.problems.append(Problem(label, node.start_mark.line + 1, None,
                                        "bảng phải là một danh sách các dòng / a table must be a list of rows"
                                        " (YAML '- field: value' items)", code="not-a-list"))
            return raw
        for item in node.value:
            if not isinstance(item, MappingNode) or item.tag != yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG:
                written = item.value if isinstance(item, ScalarNode) else item.tag.replace("tag:yaml.org,2002:", "!!")
                raw.problems.append(Problem(label, item.start_mark.line + 1, None,
                                            "mỗi dòng phải là một ánh xạ / each row must be a mapping"
                                            " of field: value", shown(written), code="not-a-mapping"))
                raw.complete = False  # what the row held (an id?) is unknown
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
            problems.append(Problem(label, line, None, message, code="not-a-mapping"))
        return None, problems


def read_csv_table(table: str, path: Path, label: str) -> RawTable:
    """A CSV table file: UTF-8 (BOM allowed), comma-separated (or `;`/tab: sniff), header on its first line.

    Each row's line is the physical line it starts on (the header is line 1), so a quoted cell
    spanning lines does not shift the numbers of the rows after it. Only the header is read here;
    parse_table reads the rows as it checks them, so that a large file is never held as rows twice.
    """
    blank = blank_file(path, label)
    if blank is not None:
        return RawTable(table, label, problems=[blank], complete=False)
    text, problems = decode(path, label)
    if text is None:
        return RawTable(table, label, problems=problems, complete=False)
    if not text.isascii():
        # NFC of the whole text is NFC of each cell: comma, quote and line breaks compose with nothing.
        text = unicodedata.normalize("NFC", text)
    errors: list[Problem] = []
    table_of: list[RawTable] = []  # the table, once its header is read
    delimiter = sniff(text)  # ';' or a tab when the header has one and no comma (engine.intake.delimiter)
    raw = grid_table(table, label, _csv_records(text, label, errors, table_of, delimiter), text=True)
    raw.problems[:0] = errors  # one met while the header was looked for
    raw.complete = raw.complete and not errors
    table_of.append(raw)
    return raw


def _csv_records(
    text: str, label: str, errors: list[Problem], table_of: list[RawTable], delimiter: str = ","
) -> Iterator[tuple[int, list[str]]]:
    """(line the record starts on, cells) for each record; a CSV error ends them, as a problem.

    The problem goes to `errors`, and to the table once it is known (`table_of`), then incomplete.
    """
    return chain.from_iterable(_record_blocks(text, label, errors, table_of, delimiter))


_BLOCK = 1 << 20  # characters of text split into lines at a time


def _record_blocks(
    text: str, label: str, errors: list[Problem], table_of: list[RawTable], delimiter: str = ","
) -> Iterator[Iterator[tuple[int, list[str]]]]:
    """The records, a block of lines at a time.

    Without quotes a record is a line (ended by CR, LF or CRLF) and its cells are what commas divide,
    which str.split finds faster than the csv module; a blank line is one empty cell rather than
    none, to the same effect. Quoted text, and a line too long for the csv module (which reports it),
    are read by the csv module.
    """
    begin, line = 0, 1
    if '"' not in text:
        if "\r" in text:
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        limit = csv.field_size_limit()
        while begin < len(text):
            end = text.find("\n", begin + _BLOCK)
            end = len(text) if end < 0 else end + 1
            lines = text[begin:end].split("\n")
            if lines[-1] == "":
                lines.pop()  # the line break ending the block's last line
            if max(map(len, lines), default=0) > limit:
                break
            yield zip(count(line), map(str.split, lines, repeat(delimiter)), strict=False)
            line += len(lines)
            begin = end
        else:
            return
    yield _csv_module_records(text[begin:] if begin else text, line, label, errors, table_of, delimiter)


def _csv_module_records(
    text: str, first_line: int, label: str, errors: list[Problem], table_of: list[RawTable], delimiter: str = ","
) -> Iterator[tuple[int, list[str]]]:
    """The records of `text`, which begins on line `first_line`, read by the csv module."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True, delimiter=delimiter)
    start = first_line
    try:
        for cells in reader:
            yield start, cells
            start = first_line + reader.line_num
    except csv.Error as exc:
        line = first_line - 1 + (reader.line_num or 1)
        errors.append(Problem(label, line, None, f"CSV không hợp lệ / invalid CSV: {exc}", code="invalid-csv"))
        for raw in table_of:
            raw.problems.append(errors[-1])
            raw.complete = False
