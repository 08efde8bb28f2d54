"""`dtbd import`: a workbook read through a mapping (engine.intake.mapping) into a dataset folder.

The tables the mapping gives are written as CSV beside the other tables of a base dataset (its
`dataset.yaml`, units, positions, courses: what an office's lists do not hold), in a staging folder
that the strict loader then checks. Nothing is written to the output unless the whole result loads
and nothing was left unmapped; with `partial`, rows with a problem are left out (and those that then
refer to them, in turn) and the valid part is written with a report of the rest. Every problem of a
row the import made names the source cell: workbook, sheet, row and column letter.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import shutil
import tempfile
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from engine.errors import InputError, Problem
from engine.intake.mapping import AMBIGUOUS, BASE_TABLES, MappingFile, Result, Unmapped, read
from engine.loading import load_dataset
from engine.loading.readers import read_csv_table, read_yaml_table
from engine.loading.tables import parse_table
from engine.model import TABLES

MANIFEST = "dataset.yaml"
REPORT = "bao-cao-nhap.csv"  # written beside the output folder: OUT-bao-cao-nhap.csv
_ROUNDS = 10  # partial: rounds of leaving out rows that fail, or refer to rows left out before


@dataclass
class Outcome:
    """What an import did: whether it wrote, how many rows per table, and everything not carried over."""

    written: bool = False
    counts: dict[str, int] = field(default_factory=dict)
    unmapped: list[Unmapped] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    ignored: list[tuple[str, str, str | None]] = field(default_factory=list)
    left_out: int = 0
    report: Path | None = None
    undated: int = 0  # credentials written without a completion date (`undated`: Mẫu 2C levels)


def _text(value: Any) -> str:
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def _write_table(path: Path, table: str, rows: list[dict[str, Any]]) -> dict[int, int]:
    """Write `rows` as CSV; the line each row starts on -> its index (a cell may hold line breaks)."""
    fields = TABLES[table].model_fields
    names = [name for name, info in fields.items() if info.is_required() or any(name in row for row in rows)]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(names)
    parts = [buffer.getvalue()]
    starts: dict[int, int] = {}
    line = 2
    for index, row in enumerate(rows):
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(["" if row.get(name) is None else _text(row[name]) for name in names])
        text = buffer.getvalue()
        parts.append(text)
        starts[line] = index
        line += text.count("\n")
    path.write_text("".join(parts), encoding="utf-8")
    return starts


def _stage(staging: Path, base: Path | None, mapping: MappingFile, result: Result) -> dict[str, dict[int, int]]:
    if base is not None:
        for path in sorted(base.iterdir()):
            if path.name == MANIFEST or (path.suffix in (".yaml", ".csv") and path.stem in TABLES
                                         and path.stem not in result.tables):
                shutil.copy(path, staging / path.name)
    if not (staging / MANIFEST).exists():
        (staging / MANIFEST).write_text(f"name: {mapping.name!r}\nrulesets: [national]\n", encoding="utf-8")
    return {table: _write_table(staging / f"{table}.csv", table, rows) for table, rows in result.tables.items()}


def _source_problem(problem: Problem, staging: Path, base: Path | None, source: Path, result: Result,
                    staged: dict[str, dict[int, int]], out: Path) -> Problem:
    """A problem of the staged dataset, told where it came from: a source cell, or the base file (and the
    staged rows its message names, too)."""
    path = Path(problem.file)
    if path.parent != staging:
        return problem
    if str(staging) in problem.message:
        staged_file = re.compile(re.escape(str(staging)) + r"/([a-z_]+)\.(csv|yaml):(\d+)")
        problem = replace(problem, message=staged_file.sub(
            lambda m: _place(m, base, source, result, staged, out), problem.message))
    table = path.stem
    if table in result.tables and path.suffix == ".csv" and problem.line is not None:
        index = staged.get(table, {}).get(problem.line, -1)
        origins = result.origins[table]
        if 0 <= index < len(origins):
            sheet, row, letters = origins[index]
            name = problem.field
            column = letters.get(name or "")
            return replace(problem, file=f"{source}[{sheet}]", line=row,
                           field=f"{column} ({name})" if column else name)
    return replace(problem, file=str((base or out) / path.name))


def _place(found: re.Match[str], base: Path | None, source: Path, result: Result,
           staged: dict[str, dict[int, int]], out: Path) -> str:
    """`FILE:LINE` of a staged file in a message, as the source cell (or base file) it stands for."""
    table, suffix, line = found.group(1), found.group(2), int(found.group(3))
    index = staged.get(table, {}).get(line, -1) if suffix == "csv" else -1
    if table in result.origins and 0 <= index < len(result.origins[table]):
        sheet, row, _letters = result.origins[table][index]
        return f"{source}[{sheet}]:{row}"
    return f"{(base or out) / f'{table}.{suffix}'}:{line}"


def _failing_rows(problems: list[Problem], staging: Path, result: Result,
                  staged: dict[str, dict[int, int]]) -> dict[str, set[int]]:
    rows: dict[str, set[int]] = {}
    for problem in problems:
        path = Path(problem.file)
        if path.parent == staging and path.stem in result.tables and problem.line is not None:
            index = staged.get(path.stem, {}).get(problem.line)
            if index is not None:
                rows.setdefault(path.stem, set()).add(index)
    return rows


def _check(staging: Path, programme_codes: Collection[str] | None) -> list[Problem]:
    try:
        load_dataset(staging, programme_codes)
    except InputError as exc:
        return list(exc.problems)
    return []


def base_names(base: Path | None) -> dict[str, dict[str, str]]:
    """The base dataset's unit names and post titles -> ids (ids name themselves; "title (id)" too).

    A title two posts share stands for neither (AMBIGUOUS): the source must add the id in brackets.
    """
    named: dict[str, dict[str, str]] = {"@units": {}, "@positions": {}}
    if base is None:
        return named
    for table, label, key in (("units", "name", "@units"), ("positions", "title", "@positions")):
        rows = _base_rows(base, table)
        counts = Counter(getattr(row, label) for row in rows)
        for row in rows:
            name, ident = getattr(row, label), row.id
            named[key][name] = ident if counts[name] == 1 else AMBIGUOUS
            named[key][f"{name} ({ident})"] = ident
            named[key][ident] = ident
    return named


def _base_rows(base: Path, table: str) -> list[Any]:
    for suffix, reader in ((".yaml", read_yaml_table), (".csv", read_csv_table)):
        path = base / f"{table}{suffix}"
        if path.exists():
            return list(parse_table(reader(table, path, str(path)), ()).rows)
    return []


def run(mapping: MappingFile, source: Path, out: Path, base: Path | None = None,
        programme_codes: Collection[str] | None = None, partial: bool = False, force: bool = False) -> Outcome:
    """Import `source` through `mapping` into the dataset folder `out` (see the module docstring)."""
    if out.exists() and (not out.is_dir() or any(out.iterdir())) and not force:
        raise InputError([Problem(str(out), None, None, "thư mục ra đã có dữ liệu / the output folder is not"
                                  " empty; choose another, or add --force to replace it", code="output-not-empty")])
    needs = sorted({c.values for sheet in mapping.sheets for c in sheet.columns.values() if c.values in BASE_TABLES})
    if needs and base is None:
        raise InputError([Problem(mapping.name, None, None, f"tệp ánh xạ đọc tên đơn vị, chức vụ ({', '.join(needs)})"
                                  " từ bộ dữ liệu gốc: thêm --base THƯ_MỤC / the mapping reads unit and post names"
                                  " from a base dataset: add --base DIR", code="mapping-needs-base")])
    result = read(mapping, source, base_names(base))
    outcome = Outcome(unmapped=list(result.unmapped), ignored=list(result.ignored))
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".dtbd-import-", dir=out.parent))
    try:
        staged = _stage(staging, base, mapping, result)
        problems = _check(staging, programme_codes)
        outcome.problems = [_source_problem(p, staging, base, source, result, staged, out) for p in problems]
        if (problems or outcome.unmapped) and not partial:
            return outcome
        for _ in range(_ROUNDS):
            failing = _failing_rows(problems, staging, result, staged)
            if not failing:
                break
            for table, indexes in failing.items():
                outcome.left_out += len(indexes)
                keep = [i for i in range(len(result.tables[table])) if i not in indexes]
                result.tables[table] = [result.tables[table][i] for i in keep]
                result.origins[table] = [result.origins[table][i] for i in keep]
                staged[table] = _write_table(staging / f"{table}.csv", table, result.tables[table])
            problems = _check(staging, programme_codes)
            outcome.problems += [_source_problem(p, staging, base, source, result, staged, out) for p in problems]
        if problems:  # problems in the base's own files, which no row of the import can fix
            return outcome
        outcome.counts = {table: len(rows) for table, rows in result.tables.items()}
        outcome.undated = sum(1 for row in result.tables.get("credentials", [])
                              if str(row.get("undated", "")).lower() in ("true", "1"))
        if out.exists():
            shutil.rmtree(out) if out.is_dir() else out.unlink()
        staging.rename(out)
        outcome.written = True
        if outcome.unmapped or outcome.problems:  # beside the folder: in it, the loader would take it for a table
            outcome.report = out.with_name(f"{out.name}-{REPORT}")
            _write_report(outcome.report, outcome)
        return outcome
    finally:
        if staging.exists():
            shutil.rmtree(staging)


def _write_report(path: Path, outcome: Outcome) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["kind", "where", "column", "header", "message", "value"])
        for item in outcome.unmapped:
            writer.writerow(["unmapped", f"{item.cell.sheet}:{item.cell.row}", item.cell.column, item.header,
                             item.message, "" if item.value is None else _text(item.value)])
        for problem in outcome.problems:
            where = problem.file if problem.line is None else f"{problem.file}:{problem.line}"
            writer.writerow(["left-out", where, problem.field or "", "", problem.message,
                             "" if problem.value is None else str(problem.value)])


__all__ = ["REPORT", "Outcome", "base_names", "run"]
