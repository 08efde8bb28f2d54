"""Rendering helpers shared by commands: formats, one `emit` for every format, atomic and streamed output."""

from __future__ import annotations

import csv
import io
import json
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

import click

from engine.atomic import atomic_open, is_special, write_atomic
from engine.workspace import neutralise

Rows = tuple[Sequence[str], Sequence[Sequence[Any]]]


def to_json(payload: Any) -> str:
    return json.dumps(payload, ensure_ascii=False, indent=2, default=str)


def table_text(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """A plain table fitted to the output width (cli.layout.fit_table: long cells wrap inside their column)."""
    from cli.layout import fit_table

    return fit_table(headers, rows)


def csv_text(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([neutralise(v) for v in headers])
    for row in rows:
        writer.writerow(["" if v is None else neutralise(v) for v in row])  # never a formula (engine.cells)
    return buffer.getvalue()


# A CSV file starts with the UTF-8 byte order mark, so that Excel opens it as UTF-8 (without it, Excel
# reads Vietnamese as mojibake). Only files: what goes to stdout (pipes, scripts) stays plain UTF-8.
BOM = "\ufeff"


def csv_start(output: Path | None) -> str:
    """What a CSV written to `output` starts with: the BOM for a regular file, nothing for stdout."""
    return BOM if output is not None and not is_special(output) else ""


def emit_csv(output: Path | None, headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """A CSV to `output` (with the BOM, for a file) or stdout."""
    emit_text(csv_start(output) + csv_text(headers, rows), output)


def emit_text(text: str, output: Path | None) -> None:
    if output is None:
        click.echo(text, nl=not text.endswith("\n"))
    else:
        from cli.progress import phase, wrote

        with phase("Đang ghi"):
            write_atomic(output, text.encode("utf-8"))
        wrote(output)


def emit(fmt: str, output: Path | None, *, json_payload: Callable[[], Any], csv_rows: Callable[[], Rows],
         table: Callable[[], str], xlsx: Callable[[Path | None], None]) -> None:
    """Write a command's result in `fmt` to `output` (stdout when None): each format's renderer is called
    only when that format is asked for. The provenance of the output (cli.stamp) goes in the JSON object and
    under the table."""
    from cli.stamp import current, current_lang, with_footer, with_provenance

    if fmt == "json":
        payload = json_payload()
        emit_text(to_json(with_provenance(payload, current()) if isinstance(payload, dict) else payload), output)
    elif fmt == "csv":
        emit_csv(output, *csv_rows())
    elif fmt == "xlsx":
        xlsx(output)
    elif fmt == "docx":  # the same document in Word: the workbook writer asks cli.docx_out for it
        from cli.docx_out import docx_mode

        with docx_mode():
            xlsx(output)
    else:
        emit_text(with_footer(table(), current(), current_lang()), output)


def resolve_format(fmt: str, json_flag: bool) -> str:
    return "json" if json_flag else fmt


@contextmanager
def stream_to(output: Path | None, spool: bool = False, binary: bool = False) -> Iterator[IO[Any]]:
    """Yield a text stream (`binary`: a byte stream, of UTF-8): stdout, or `output` written atomically
    (engine.atomic: it appears only when complete).

    `spool`: stdout too gets nothing until the end — the text goes to an anonymous temp file first
    (nothing is left behind, whatever happens), copied out once complete — for a streamed dataset,
    whose problems are all known only at its end.
    """
    if output is None and not spool:
        if binary:
            sys.stdout.flush()
            yield sys.stdout.buffer
            sys.stdout.buffer.flush()
        else:
            yield sys.stdout
        return
    from cli.progress import wrote

    if not spool:
        assert output is not None
        with atomic_open(output, binary=binary) as handle:
            yield handle
        wrote(output)
        return
    if not binary:
        raise ValueError("a spooled stream is a byte stream")
    with tempfile.TemporaryFile("w+b") as spooled:
        yield spooled
        spooled.seek(0)
        if output is None:
            sys.stdout.flush()
            shutil.copyfileobj(spooled, sys.stdout.buffer)
            sys.stdout.buffer.flush()
        else:
            with atomic_open(output, binary=True) as out:
                shutil.copyfileobj(spooled, out)
            wrote(output)


__all__ = ["Rows", "csv_start", "csv_text", "emit", "emit_csv", "emit_text", "resolve_format", "stream_to",
           "table_text", "to_json", "write_atomic"]
