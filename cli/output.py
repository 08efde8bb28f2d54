"""Rendering helpers shared by commands: formats, one `emit` for every format, atomic and streamed output."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

import click

from engine.workspace import is_special, save_atomic

# One atomic writer for the project (temp file + rename), re-exported for the commands.
write_atomic = save_atomic
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
    writer.writerow(headers)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return buffer.getvalue()


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
    only when that format is asked for."""
    if fmt == "json":
        emit_text(to_json(json_payload()), output)
    elif fmt == "csv":
        emit_text(csv_text(*csv_rows()), output)
    elif fmt == "xlsx":
        xlsx(output)
    else:
        emit_text(table(), output)


def resolve_format(fmt: str, json_flag: bool) -> str:
    return "json" if json_flag else fmt


@contextmanager
def stream_to(output: Path | None, spool: bool = False, binary: bool = False) -> Iterator[IO[Any]]:
    """Yield a text stream (`binary`: a byte stream, of UTF-8): stdout, or a temp file renamed onto `output`
    only when complete.

    `spool`: stdout too gets nothing until the end — the text goes to a temp file first, copied to
    stdout once complete — for a streamed dataset, whose problems are all known only at its end. An
    `output` that is not a regular file (`/dev/null`, a pipe) is written to, never renamed onto.
    """
    mode, text = ("wb", {}) if binary else ("w", {"encoding": "utf-8", "newline": ""})
    special = output is not None and is_special(output)
    if output is None and not spool:
        if binary:
            sys.stdout.flush()
            yield sys.stdout.buffer
            sys.stdout.buffer.flush()
        else:
            yield sys.stdout
        return
    if output is not None and special and not spool:
        with open(output, mode, **text) as handle:  # type: ignore[call-overload]
            yield handle
        return
    target = output if output is not None and not special else None
    if target is not None:
        target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}." if target is not None else ".dtbd-out.",
                               dir=target.parent if target is not None else None)
    try:
        with os.fdopen(fd, mode, **text) as handle:  # type: ignore[call-overload]
            yield handle
        if target is not None:
            os.replace(tmp, target)
            from cli.progress import wrote

            wrote(target)
        else:
            sys.stdout.flush()
            with open(tmp, "rb") as spooled:
                if output is None:
                    shutil.copyfileobj(spooled, sys.stdout.buffer)
                    sys.stdout.buffer.flush()
                else:
                    with open(output, "wb") as out:
                        shutil.copyfileobj(spooled, out)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
