"""Answer-first table layout: the output width, tables that fit it, severity order and the summary block.

Width: `dtbd --width N`, else the `COLUMNS` environment variable, else the terminal's width when
standard output is one, else 120 columns. Tables never pass it: the columns named wrappable wrap
inside themselves (textwrap), widest first, until the table fits; prose lines wrap with a hanging
indent. Rows come in severity order (the statuses of docs/codes.md), most urgent first.
"""

from __future__ import annotations

import os
import shutil
import sys
import textwrap
from collections.abc import Iterable, Sequence
from typing import Any

import click

DEFAULT_WIDTH = 120
MIN_WIDTH = 40
MIN_COLUMN = 8
GAP = "  "

# Most urgent first (issue 16): what needs action, then what cannot be decided, then what is fine.
SEVERITY = ("overdue", "due", "missing", "violation", "unknown", "pending", "exempt", "met", "ok")
GAP_STATUSES = frozenset({"overdue", "due", "missing", "violation", "unknown", "pending"})


def severity(status: str) -> int:
    """Sort key of a status or verdict: 0 for overdue … len(SEVERITY) for anything not listed."""
    try:
        return SEVERITY.index(status)
    except ValueError:
        return len(SEVERITY)


def output_width() -> int:
    """The width output is laid out for (see the module docstring)."""
    from cli.context import AppContext

    ctx = click.get_current_context(silent=True)
    app = ctx.find_object(AppContext) if ctx is not None else None
    if app is not None and app.width:
        return max(app.width, MIN_WIDTH)
    env = os.environ.get("COLUMNS", "")
    if env.isdigit() and int(env) > 0:
        return max(int(env), MIN_WIDTH)
    if sys.stdout.isatty():
        return max(shutil.get_terminal_size((DEFAULT_WIDTH, 24)).columns, MIN_WIDTH)
    return DEFAULT_WIDTH


def _cell(value: Any) -> str:
    return "" if value is None else str(value)


def _wrap(text: str, width: int) -> list[str]:
    lines: list[str] = []
    for part in text.split("\n"):
        lines.extend(textwrap.wrap(part, width, break_long_words=True, break_on_hyphens=False) or [""])
    return lines


def fit_table(headers: Sequence[str], rows: Sequence[Sequence[Any]], width: int | None = None,
              wrap: Iterable[int] | None = None) -> str:
    """A plain table (header, dashes, rows; two spaces between columns) no wider than `width`.

    `wrap` names the columns that may wrap (default: every column); when even those at MIN_COLUMN do
    not fit, every column wraps.
    """
    width = width or output_width()
    cells = [[_cell(v) for v in row] for row in rows]
    count = len(headers)
    natural = [max([len(h) for h in _wrap(headers[i], 10**6)] + [len(line) for r in cells
                    for line in r[i].split("\n")]) for i in range(count)]
    natural = [max(n, 1) for n in natural]
    widths = allot(natural, _floors(headers, cells), width - len(GAP) * (count - 1),
                   set(range(count) if wrap is None else wrap))
    out = _lines([_wrap(h, widths[i]) for i, h in enumerate(headers)], widths)
    out.append(GAP.join("-" * w for w in widths).rstrip())
    for row in cells:
        out.extend(_lines([_wrap(v, widths[i]) for i, v in enumerate(row)], widths))
    return "\n".join(out)


def _floors(headers: Sequence[str], cells: list[list[str]]) -> list[int]:
    """The narrowest each column should go: its longest word, and the typical (median) length of its
    filled cells up to 20 — so names and titles keep a readable width — at least MIN_COLUMN."""
    out = []
    for i, head in enumerate(headers):
        texts = [r[i] for r in cells if r[i]]
        words = max((len(w) for text in [head, *texts] for w in text.split()), default=1)
        typical = sorted(len(t) for t in texts)[len(texts) // 2] if texts else 0
        out.append(max(MIN_COLUMN, min(words, 16), min(typical, 20)))
    return out


def allot(natural: list[int], floors: list[int], budget: int, wrappable: set[int]) -> list[int]:
    """Column widths within `budget`: fixed columns keep their width; the wrappable ones share the rest in
    proportion to their natural widths, none below its floor (nor above its natural width). When even
    that does not fit, every column shrinks towards MIN_COLUMN, widest first."""
    widths = list(natural)
    if sum(widths) <= budget:
        return widths
    fixed = sum(w for i, w in enumerate(natural) if i not in wrappable)
    room = budget - fixed
    flex = sorted(wrappable, key=lambda i: natural[i])
    for k, i in enumerate(flex):  # narrowest first: what one cannot use goes to the wider ones
        rest = sum(natural[j] for j in flex[k:])
        share = room * natural[i] // rest if rest else 0
        widths[i] = max(min(natural[i], share), min(floors[i], natural[i]))
        room -= widths[i]
    while sum(widths) > budget:
        candidates = [i for i in range(len(widths)) if widths[i] > MIN_COLUMN]
        if not candidates:
            break
        widths[max(candidates, key=lambda i: widths[i])] -= 1
    return widths


def _lines(wrapped: list[list[str]], widths: list[int]) -> list[str]:
    height = max(len(c) for c in wrapped) if wrapped else 0
    return [GAP.join(c[k].ljust(widths[i]) if k < len(c) else " " * widths[i] for i, c in enumerate(wrapped)).rstrip()
            for k in range(height)]


def wrap_text(text: str, width: int | None = None, indent: str = "   ") -> str:
    """Prose lines wrapped to the width, continuation lines indented."""
    width = width or output_width()
    out: list[str] = []
    for line in text.split("\n"):
        if len(line) <= width:
            out.append(line)
            continue
        lead = len(line) - len(line.lstrip())
        out.extend(textwrap.wrap(line, width, subsequent_indent=" " * lead + indent, break_long_words=True,
                                 break_on_hyphens=False))
    return "\n".join(out)


def counts_line(counts: dict[str, int], label: Any, lang: str) -> str:
    """'3 quá hạn · 1 đến hạn · 2 đạt', in severity order; `label(status, lang)` gives the words."""
    parts = [f"{n} {label(status, lang)}" for status, n in sorted(counts.items(), key=lambda kv: severity(kv[0]))
             if n]
    return " · ".join(parts) if parts else ("không có" if lang == "vi" else "none")


def summary_block(title: str, lines: Sequence[str], lang: str) -> list[str]:
    """The block every table output opens with: a title line, then its lines, then a blank line."""
    head = "TÓM TẮT" if lang == "vi" else "SUMMARY"
    return [f"{head} — {title}" if title else head, *[f"  {line}" for line in lines], ""]


__all__ = ["GAP_STATUSES", "SEVERITY", "counts_line", "fit_table", "output_width", "severity", "summary_block",
           "wrap_text"]


def decimal_row(row: list[Any], lang: str) -> list[Any]:
    """A row for people to read: its decimals to one place, with the Vietnamese decimal comma (78,3)."""
    if lang != "vi":
        return row
    return [f"{v:.1f}".replace(".", ",") if isinstance(v, float) else v for v in row]

