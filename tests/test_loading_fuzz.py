"""Whatever the input, the loader returns a Dataset or raises InputError — never anything else."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine import codes
from engine.errors import InputError
from engine.loading import RawRow, load_dataset, parse_table, rows_from_grid
from engine.loading.headers import HEADERS_VI
from engine.loading.tables import RawTable
from engine.model import TABLES

MINIMAL = Path(__file__).parent / "data" / "minimal"
FAST = settings(max_examples=100, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])

names = st.sampled_from(sorted({n for t in TABLES.values() for n in t.model_fields}
                               | {h for m in HEADERS_VI.values() for h in m}))
scalars = st.one_of(
    st.none(),
    st.text(max_size=12),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True),
    st.booleans(),
    st.dates().map(lambda d: d.isoformat()),
    st.sampled_from(["1985-02-30", "30/02/1985", "0000-01-01", "01.003", "P1", "SNV", "SNV-GD", "tinh",
                     "nam", "cong-chuc", "llct-cao-cap", "cap-so", "truong", "hanh-chinh", "bo-nhiem"]),
)
values = st.one_of(scalars, st.lists(scalars, max_size=3),
                   st.dictionaries(st.text(max_size=3), scalars, max_size=2))
rows = st.dictionaries(st.one_of(names, st.text(max_size=8), st.integers(), st.none()), values, max_size=8)


@contextmanager
def minimal_copy() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "ds"
        shutil.copytree(MINIMAL, root)
        yield root


def load_or_input_error(root: Path) -> None:
    try:
        load_dataset(root)
    except InputError as exc:
        assert exc.problems
        assert all(str(p) for p in exc.problems)


@FAST
@given(table=st.sampled_from(sorted(TABLES)), batch=st.lists(rows, max_size=5))
def test_random_rows_never_raise(table: str, batch: list[dict[object, object]]) -> None:
    raw = RawTable(table, "fuzz", [RawRow(i + 1, row) for i, row in enumerate(batch)])
    parsed = parse_table(raw, codes.PROGRAMME.values)
    accepted = {entry.location.line for entry in parsed.entries}
    rejected = {problem.line for problem in parsed.problems}
    assert accepted | rejected == set(range(1, len(batch) + 1))  # every row: a model row, or a reason
    assert not accepted & rejected


@FAST
@given(table=st.sampled_from(sorted(TABLES)),
       grid=st.lists(st.lists(st.one_of(st.none(), st.text(max_size=10), names), max_size=6), max_size=5))
def test_random_grids_never_raise(table: str, grid: list[list[object]]) -> None:
    raw = rows_from_grid(table, "fuzz", [(i + 1, cells) for i, cells in enumerate(grid)])
    parse_table(raw, codes.PROGRAMME.values)


@FAST
@given(table=st.sampled_from(sorted(TABLES)), batch=st.lists(rows, min_size=1, max_size=4))
def test_random_yaml_tables_in_a_dataset(table: str, batch: list[dict[object, object]]) -> None:
    with minimal_copy() as root:
        text = yaml.safe_dump(batch, allow_unicode=True)
        (root / f"{table}.yaml").write_text(text, encoding="utf-8")
        load_or_input_error(root)


@FAST
@given(name=st.sampled_from(["people.csv", "units.yaml", "credentials.csv", "dataset.yaml", "quotas.yaml"]),
       data=st.one_of(
           st.binary(max_size=200),
           st.text(alphabet="-:{}[],\"'&*!|>#%@`?\n \t\r\x00\x07\x85\ufeffabcPQ0123456789é", max_size=120)
           .map(str.encode),
       ))
def test_random_bytes_as_table_files(name: str, data: bytes) -> None:
    with minimal_copy() as root:
        stem = name.split(".")[0]
        for old in root.glob(f"{stem}.*"):
            old.unlink()
        (root / name).write_bytes(data)
        load_or_input_error(root)


@FAST
@given(lines=st.lists(st.lists(st.one_of(st.text(max_size=8), scalars.map(str)), max_size=7), max_size=6),
       header=st.lists(names, max_size=7))
def test_random_csv_with_known_headers(lines: list[list[str]], header: list[str]) -> None:
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(lines)
    with minimal_copy() as root:
        (root / "people.yaml").unlink()
        (root / "people.csv").write_text(buffer.getvalue(), encoding="utf-8")
        load_or_input_error(root)
