"""What the finding commands (`people`, `positions`, `courses`) share: the search option and their output."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click

from cli.layout import fit_table
from cli.output import emit_csv, emit_text, resolve_format, to_json

F = TypeVar("F", bound=Callable[..., Any])
NOUN = {"people": ("người", "people"), "positions": ("chức vụ", "posts"), "courses": ("khóa học", "courses")}


def search_option(help_text: str) -> Callable[[F], F]:
    return click.option("--search", "search", default="", metavar="TEXT", help=help_text)


def emit_listing(fmt: str, json_flag: bool, output: Path | None, lang: str, kind: str, payload: list[dict[str, Any]],
                 headers: dict[str, list[str]], rows: Sequence[Sequence[Any]], search: str, as_of: dt.date,
                 wrap: Sequence[int]) -> None:
    """JSON `{"as_of", "search", kind: [...]}`, CSV of the table, or the table under a one-line count."""
    fmt = resolve_format(fmt, json_flag)
    if fmt == "json":
        emit_text(to_json({"as_of": as_of.isoformat(), "search": search, kind: payload}), output)
        return
    if fmt == "csv":  # the table's cells (labels in `lang`); headers: the table's under vi, the keys' under en
        emit_csv(output, headers["vi" if lang == "vi" else "en"], rows)
        return
    vi = lang == "vi"
    noun = NOUN[kind][0 if vi else 1]
    found = f"Tìm thấy {len(rows)} {noun}" if vi else f"{len(rows)} {noun} found"
    if search:
        found += f" khớp '{search}'" if vi else f" matching '{search}'"
    body = fit_table(headers[lang], rows, wrap=wrap) if rows else ("(không có)" if vi else "(none)")
    emit_text(f"{found}\n\n{body}", output)


__all__ = ["emit_listing", "search_option"]
