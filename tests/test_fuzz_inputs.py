"""Fuzzing the inputs and the outputs (issue 14): whatever a careless or hostile user gives — CSV, YAML or
Excel tables full of control characters, formulas, odd bytes; odd output paths — dtbd answers with problems
that name the file (and the line and field where there is one), exit 1 or 2, no traceback, and an output
file it was to replace left untouched."""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import openpyxl
import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from cli.main import cli
from engine.atomic import TEMP_PREFIX, write_atomic
from engine.errors import PROBLEM_CODES, InputError, OutputError
from engine.loading import load_dataset
from engine.loading.headers import header_for_field
from engine.model import TABLES

MINIMAL = Path(__file__).parent / "data" / "minimal"
FAST = settings(max_examples=60, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
RAW = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")

hostile_text = st.one_of(
    st.text(max_size=20),
    st.text(alphabet=st.characters(codec="utf-8", categories=["Cc", "Cf", "Zs", "Zl", "Zp"]), max_size=6),
    st.sampled_from(["=1+1", "+SUM(A1)", "-2+3", "@SUM(1)", "\t=x", "\r=x", "=cmd|' /C calc'!A0",
                     '=HYPERLINK("http://x","y")', "P1\u200b", "P1\x00", "\x1b[31mP1", "1985-02-30", "32/13/2020",
                     "0000-01-01", "9999-12-31", "1e309", "-0", "NaN", "01.003", "SNV", "P1", "tinh", "nam",
                     "x" * 5000, "Nguyễn\u0301", "~", "null", "[]", "{}", "*a", "&a x", "!!set"]),
)


@contextmanager
def minimal_copy() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "ds"
        shutil.copytree(MINIMAL, root)
        yield root


def assert_problems_are_well_placed(root: Path) -> None:
    """load_dataset gives a Dataset or InputError whose problems name a file of `root`, a line >= 1 or none,
    a known code, and print nothing raw."""
    try:
        load_dataset(root)
    except InputError as exc:
        assert exc.problems
        for problem in exc.problems:
            assert problem.file.startswith(str(root)), problem
            assert problem.line is None or problem.line >= 1, problem
            assert problem.code in PROBLEM_CODES
            assert not RAW.search(str(problem)), repr(str(problem))
            assert len(str(problem)) < 2000


def _write(root: Path, table: str, fmt: str, header: list[str], rows: list[list[str]]) -> None:
    for old in root.glob(f"{table}.*"):
        old.unlink()
    if fmt == "csv":
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerows([header, *rows])
        (root / f"{table}.csv").write_text(buffer.getvalue(), encoding="utf-8")
    elif fmt == "yaml":
        data = [dict(zip(header, row, strict=False)) for row in rows]
        (root / f"{table}.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    else:
        book = openpyxl.Workbook()
        sheet = book.active
        sheet.title = table
        for line in [header, *rows]:
            sheet.append([ILLEGAL_CHARACTERS_RE.sub("", cell) for cell in line])
        book.save(root / f"{table}.xlsx")


@FAST
@given(table=st.sampled_from(sorted(TABLES)), fmt=st.sampled_from(["csv", "yaml", "xlsx"]),
       vietnamese=st.booleans(), extra=st.lists(hostile_text, max_size=2),
       rows=st.lists(st.lists(hostile_text, min_size=1, max_size=8), max_size=4))
def test_hostile_cells_in_any_format_are_problems_naming_file_line_field(
        table: str, fmt: str, vietnamese: bool, extra: list[str], rows: list[list[str]]) -> None:
    names = list(TABLES[table].model_fields)
    header = [header_for_field(table, n) if vietnamese else n for n in names] + extra
    with minimal_copy() as root:
        _write(root, table, fmt, header, rows)
        assert_problems_are_well_placed(root)


@FAST
@given(table=st.sampled_from(["people.yaml", "units.yaml", "ratings.yaml", "appointments.yaml"]),
       at=st.floats(min_value=0, max_value=1), junk=st.binary(min_size=1, max_size=12),
       as_csv=st.booleans())
def test_odd_bytes_anywhere_in_a_table_file_are_problems_naming_it(table: str, at: float, junk: bytes,
                                                                   as_csv: bool) -> None:
    with minimal_copy() as root:
        path = root / table
        if as_csv:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            names = sorted({key for row in data for key in row})
            buffer = io.StringIO()
            csv.writer(buffer, lineterminator="\n").writerows(
                [names, *[[str(row.get(n, "")) for n in names] for row in data]])
            path.unlink()
            path = path.with_suffix(".csv")
            path.write_text(buffer.getvalue(), encoding="utf-8")
        content = path.read_bytes()
        cut = int(len(content) * at)
        path.write_bytes(content[:cut] + junk + content[cut:])
        assert_problems_are_well_placed(root)


# -- output paths ------------------------------------------------------------------------------------
segment = st.one_of(st.sampled_from(["", ".", "..", "a", "out.txt", "x" * 300, "dir", "file", "link", "ro",
                                     "ro-file", "nested/deeper", "ten file có dấu.csv", " lead", "-dash",
                                     "new\nline"]),
                    st.text(alphabet=st.characters(codec="utf-8", exclude_characters="/\x00"), min_size=1,
                            max_size=12))


def _playground(root: Path) -> None:
    (root / "dir").mkdir()
    (root / "file").write_text("keep")
    (root / "link").symlink_to(root / "file")
    (root / "ro").mkdir()
    (root / "ro-file").write_text("keep")
    (root / "ro-file").chmod(0o444)
    (root / "ro").chmod(0o555)


@FAST
@given(parts=st.lists(segment, min_size=1, max_size=3), mkdir=st.booleans())
def test_any_output_path_is_written_whole_or_refused_with_a_message(parts: list[str], mkdir: bool) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        _playground(root)
        before = {p: p.read_bytes() for p in root.rglob("*") if p.is_file() and not p.is_symlink()}
        target = root.joinpath(*parts)
        try:
            write_atomic(target, b"new", mkdir=mkdir)
        except OutputError as exc:
            assert "không ghi được / cannot write" in str(exc)
            after = {p: p.read_bytes() for p in root.rglob("*") if p.is_file() and not p.is_symlink()}
            assert after == before
        else:
            assert Path(os.path.realpath(target)).read_bytes() == b"new"
        finally:
            (root / "ro").chmod(0o755)
        assert not [p for p in root.rglob(f"{TEMP_PREFIX}*")]


# -- hand-made cases through the command line ---------------------------------------------------------
def _csv_people(extra: str) -> str:
    return ("id,full_name,birth_date,gender,category,unit\nP1,Nguyễn Văn An,1975-04-12,nam,cong-chuc,SNV\n"
            f"P2,Lê Thị Bình,1984-09-12,nu,cong-chuc,SNV\n{extra}")


CASES = {
    # name: (files written over the minimal dataset, files removed, extra args, exit, words the output names)
    "nul-in-csv": ({"people.csv": _csv_people("P3,A\x00B,1980-01-01,nam,cong-chuc,SNV\n")}, ("people.yaml",), [],
                   1, ["people.csv:4"]),
    "esc-in-csv": ({"people.csv": _csv_people("P3,A\x1bB,1980-01-01,nam,cong-chuc,SNV\n")}, ("people.yaml",), [],
                   1, ["people.csv:4 full_name", "[control-character]"]),
    "formula-id-dangling": ({"ratings.yaml": "- {person: '=1+1', year: 2024, rating: hoan-thanh}\n"}, (), [], 1,
                            ["ratings.yaml:1 person", "[dangling-reference]"]),
    "alias-bomb": ({"units.yaml": "- id: &a [x, x]\n  name: [*a, *a]\n"}, (), [], 1,
                   ["units.yaml:2", "[yaml-alias]"]),
    "not-utf8": ({"units.yaml": b"- id: T\xe0\n"}, (), [], 1, ["units.yaml:1", "[not-utf8]"]),
    "empty": ({"units.yaml": ""}, (), [], 1, ["units.yaml", "[empty-file]"]),
    "xlsm": ({"people.xlsm": b"PK"}, (), [], 1, ["people.xlsm", "[unsupported-file]"]),
    "wrong-delimiter": ({"units.csv": "id|name|level\nTINH|T|tinh\n"}, ("units.yaml",), [], 1,  # `;` is read
                        ["units.csv:1", "[table-unreadable]"]),
    "jobs-zero": ({}, (), ["--jobs", "0"], 2, ["--jobs"]),
    "as-of-1800": ({}, (), ["--as-of", "1800-01-01"], 2, ["--as-of"]),
    "born-in-future": ({"people.yaml": (MINIMAL / "people.yaml").read_text(encoding="utf-8").replace(
        "1975-04-12", "2030-01-01")}, (), [], 1, ["people.yaml:3 birth_date", "[implausible-date]"]),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_hand_made_bad_input_through_the_command_line(case: str, tmp_path: Path) -> None:
    files, drop, args, code, words = CASES[case]
    root = tmp_path / "ds"
    shutil.copytree(MINIMAL, root)
    for name in drop:
        (root / name).unlink()
    for name, content in files.items():
        if isinstance(content, bytes):
            (root / name).write_bytes(content)
        else:
            (root / name).write_text(content, encoding="utf-8")
    out = tmp_path / "all.csv"
    out.write_text("previous report")
    out.chmod(0o640)
    result = CliRunner().invoke(cli, ["check", "--all", "--data", str(root), "--format", "csv", "--jobs", "1",
                                      "--output", str(out), *args])
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output and not RAW.search(result.output.replace("\n", ""))
    for word in words:
        assert word in result.output
    assert out.read_text() == "previous report" and stat.S_IMODE(out.stat().st_mode) == 0o640
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(TEMP_PREFIX)] == []
