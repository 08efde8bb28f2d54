"""Sinks for generated rows: CSV/YAML table files, in-memory tables, and the dataset manifest."""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
from collections.abc import Mapping
from contextlib import ExitStack
from pathlib import Path
from typing import IO, Protocol

import yaml

from engine.atomic import atomic_open, write_atomic
from engine.generate.common import Format, Row
from engine.model import TABLES


class Sink(Protocol):
    """Where generated rows go: files, or a collection in memory."""

    def write(self, table: str, row: Row) -> None:
        """Take one row of `table`."""


def columns(table: str) -> list[str]:
    """The columns of a generated table, in file order."""
    return list(TABLES[table].model_fields)


_PLAIN = re.compile(r"[^\W\d_][\w .,()/'-]*")
_RESERVED = {"y", "n", "yes", "no", "on", "off", "true", "false", "null"}


def yaml_scalar(value: object) -> str:
    """A YAML scalar that reads back as the same text (or date, or number) under any safe loader."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int):
        return str(value)
    text = str(value)
    if _PLAIN.fullmatch(text) and text == text.strip() and text.lower() not in _RESERVED:
        return text
    return json.dumps(text, ensure_ascii=False)


class TableWriter:
    """Writes one table, row by row, as CSV (header of English field names) or as a YAML list."""

    def __init__(self, path: Path, table: str, fmt: Format) -> None:
        self.fmt = fmt
        self.columns = columns(table)
        self._stack = ExitStack()  # the file appears whole, or not at all (engine.atomic)
        self.handle: IO[str] = self._stack.enter_context(atomic_open(path, binary=False))
        self.count = 0
        self.csv = csv.writer(self.handle, lineterminator="\n") if fmt == "csv" else None
        if self.csv is not None:
            self.csv.writerow(self.columns)

    def write(self, row: Row) -> None:
        """Write one row."""
        self.count += 1
        if self.csv is not None:
            self.csv.writerow(map(row.get, self.columns))  # None -> "", date -> ISO
            return
        lines = [f"{c}: {yaml_scalar(row[c])}" for c in self.columns if row.get(c) is not None]
        self.handle.write("- " + "\n  ".join(lines) + "\n")

    def close(self) -> None:
        """Finish the file."""
        if self.fmt == "yaml" and self.count == 0:
            self.handle.write("[]\n")
        self._stack.close()

    def abort(self, exc: BaseException) -> None:
        """Give the table up: its temporary file is removed, the file it was to be is not written."""
        self._stack.__exit__(type(exc), exc, exc.__traceback__)


class FileSink:
    """Streams every table of a dataset into `out/NAME.csv` or `out/NAME.yaml`."""

    def __init__(self, out: Path, formats: Mapping[str, Format]) -> None:
        out.mkdir(parents=True, exist_ok=True)
        self.writers = {t: TableWriter(out / f"{t}.{formats[t]}", t, formats[t]) for t in TABLES}

    def write(self, table: str, row: Row) -> None:
        """Write one row of `table` to its file."""
        self.writers[table].write(row)

    def close(self) -> None:
        """Finish every file."""
        for writer in self.writers.values():
            writer.close()

    def abort(self, exc: BaseException) -> None:
        """Give every table up (TableWriter.abort): a failed run leaves no half-written file."""
        for writer in self.writers.values():
            writer.abort(exc)


class CollectSink:
    """Keeps every row in memory (for small datasets that are completed by hand, like the demo)."""

    def __init__(self) -> None:
        self.tables: dict[str, list[Row]] = {t: [] for t in TABLES}

    def write(self, table: str, row: Row) -> None:
        """Keep one row of `table`."""
        self.tables[table].append(row)


def write_manifest(out: Path, manifest: Mapping[str, object]) -> None:
    """Write the dataset's manifest dataset.yaml."""
    text = yaml.safe_dump(dict(manifest), allow_unicode=True, sort_keys=False, width=110)
    write_atomic(out / "dataset.yaml", text.encode("utf-8"))
