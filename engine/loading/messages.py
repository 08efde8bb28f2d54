"""Small helpers shared by the loader's messages: suggestions and how an offending value is shown."""

from __future__ import annotations

import datetime as dt
import reprlib
from collections.abc import Iterable

from engine.errors import Problem
from engine.suggest import closest

_LONGEST = 80
_SHORT = reprlib.Repr()
_SHORT.maxlevel, _SHORT.maxstring, _SHORT.maxother = 3, _LONGEST, _LONGEST


def by_place(problem: Problem) -> tuple[str, bool, int]:
    """Sort key of problems: by file, then line (problems about a whole file first); the summary of what an
    unreadable table leaves unchecked comes after the problems that make it unreadable (cause first)."""
    return problem.file, problem.code == "table-unreadable", problem.line if problem.line is not None else 0


def did_you_mean(value: str, options: Iterable[str]) -> str:
    """"; có phải là / did you mean 'X'?" for the closest option, or "" when nothing is close."""
    near = closest(value, options)
    return f"; có phải là / did you mean '{near[0]}'?" if near else ""


def shown(value: object) -> object:
    """The value to print after a problem: scalars as they are, anything long or nested cut short."""
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, dt.date):
        return value.isoformat()
    # reprlib: a huge or deeply nested value is never written out whole, only as much as is shown.
    text = value if isinstance(value, str) else _SHORT.repr(value)
    return text if len(text) <= _LONGEST else text[: _LONGEST - 1] + "…"
