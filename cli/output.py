"""Rendering helpers shared by commands: formats, atomic file output."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click
from tabulate import tabulate

from engine.atomic import write_atomic
from engine.cells import neutralise


def to_json(payload: Any) -> str:
    return json.dumps(payload, ensure_ascii=False, indent=2, default=str)


def table_text(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    return tabulate(rows, headers=list(headers), tablefmt="simple", disable_numparse=True)


def csv_text(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([neutralise(v) for v in headers])
    for row in rows:
        writer.writerow(["" if v is None else neutralise(v) for v in row])  # never a formula (engine.cells)
    return buffer.getvalue()


def emit_text(text: str, output: Path | None) -> None:
    if output is None:
        click.echo(text, nl=not text.endswith("\n"))
    else:
        write_atomic(output, text.encode("utf-8"))


__all__ = ["csv_text", "emit_text", "resolve_format", "table_text", "to_json", "write_atomic"]


def resolve_format(fmt: str, json_flag: bool) -> str:
    return "json" if json_flag else fmt
