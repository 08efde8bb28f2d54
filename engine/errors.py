"""The project's error types. Every input problem names where (file, line, field), what and why."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One input problem, rendered `FILE:LINE field: message (value)`."""

    file: str
    line: int | None
    field: str | None
    message: str
    value: object = None
    hint: str | None = None

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        text = f"{where}"
        if self.field:
            text += f" {self.field}"
        text += f": {self.message}"
        if self.value is not None and self.value != "":
            shown = self.value if isinstance(self.value, str | int | float) else str(self.value)
            text += f" ({shown})"
        if self.hint:
            text += f" — {self.hint}"
        return text


class DtbdError(Exception):
    """Base of every error dtbd raises on purpose; the CLI turns it into exit code `exit_code`."""

    exit_code = 1


class InputError(DtbdError):
    """Bad input (dataset or rule pack): carries every problem found, not just the first."""

    def __init__(self, problems: Iterable[Problem], what: str = "dữ liệu / data") -> None:
        self.problems = list(problems)
        self.what = what
        super().__init__(self._summary())

    def _summary(self) -> str:
        head = f"{len(self.problems)} lỗi trong {self.what} / {len(self.problems)} problem(s) in {self.what}"
        return head + "\n" + "\n".join(str(p) for p in self.problems)


class UnknownIdError(DtbdError):
    """A command was given an id (person, position, course, rule, unit) that does not exist."""

    def __init__(self, kind: str, value: str, suggestions: Iterable[str] = ()) -> None:
        near = list(suggestions)
        hint = f" Có phải là / did you mean: {', '.join(near)}?" if near else ""
        super().__init__(f"không tìm thấy {kind} '{value}' / unknown {kind} '{value}'.{hint}")
        self.kind = kind
        self.value = value


class EngineError(DtbdError):
    """The inference engine failed (a rule action raised, or the engine returned an error)."""

    exit_code = 4


class UsageError(DtbdError):
    """A request the engine cannot serve as asked (e.g. streaming a dataset whose people are not one CSV
    file): the interface's usage error."""

    exit_code = 2
