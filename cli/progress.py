"""The one progress API of the command line, drawn by click's progress bar on stderr.

Shown only where someone watches: stderr is a terminal and `--quiet` was not given. Counted work
(`progress`) appears once the run has lasted more than a second; a phase without a count (`phase`:
loading, planning, writing) shows its label while it runs. Output on stdout or in files is never
touched, so pipes and scripts see exactly what they would without it.

    with progress(len(people), "Đang kiểm tra", progress_enabled()) as bar:
        for person in people:
            ...
            bar.advance()

    with phase("Đang xếp lớp"):
        ...

`wrote(path)` says "Đã ghi: FILE" on stderr after a command wrote its output to a file (even when
not a terminal: it is the answer to "where did it go?", unless `--quiet`).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TextIO

import click

from cli.context import AppContext

DELAY = 1.0  # seconds before a counted bar first appears


class Progress:
    """Counts work done; draws click's bar (`label [###   ] done/total pct% eta`) once worth showing."""

    def __init__(self, total: int, label: str, enabled: bool, stream: TextIO,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.total = max(total, 0)
        self.label = label
        self.done = 0
        self._stream = stream
        self._clock = clock
        isatty = getattr(stream, "isatty", None)
        self._active = enabled and callable(isatty) and bool(isatty())
        self._start = clock()
        self._bar: Any = None

    @property
    def shown(self) -> bool:
        """Whether the bar has been drawn."""
        return self._bar is not None

    def advance(self, n: int = 1) -> None:
        self.done += n
        if not self._active:
            return
        if self._bar is None:
            if self._clock() - self._start < DELAY:
                return
            self._bar = click.progressbar(length=self.total or 1, label=self.label, file=self._stream,
                                          show_pos=True, show_percent=True, show_eta=True, width=24)
            self._bar.update(min(self.done, self.total or 1))  # first drawn at the count reached
            return
        self._bar.update(n)

    def close(self) -> None:
        """End the bar (click leaves it complete on its own line)."""
        if self._bar is not None:
            self._bar.render_finish()
            self._bar = None


@contextmanager
def progress(total: int, label: str, enabled: bool, *, stream: TextIO | None = None,
             clock: Callable[[], float] = time.monotonic) -> Iterator[Progress]:
    """A Progress for `total` steps, closed on the way out (also on error)."""
    bar = Progress(total, label, enabled, stream if stream is not None else sys.stderr, clock)
    try:
        yield bar
    finally:
        bar.close()


@contextmanager
def phase(label: str, *, enabled: bool | None = None, stream: TextIO | None = None) -> Iterator[None]:
    """A phase without a count (loading, planning, writing): its label on a one-step bar while it runs."""
    out = stream if stream is not None else sys.stderr
    isatty = getattr(out, "isatty", None)
    active = (progress_enabled() if enabled is None else enabled) and callable(isatty) and bool(isatty())
    if not active:
        yield
        return
    with click.progressbar(length=1, label=label, file=out, show_eta=False, show_percent=False, width=0) as bar:
        yield
        bar.update(1)


def progress_enabled() -> bool:
    """False under `dtbd --quiet` (AppContext.quiet); True outside a click command too."""
    ctx = click.get_current_context(silent=True)
    app = ctx.find_object(AppContext) if ctx is not None else None
    return not (app is not None and app.quiet)


def wrote(path: Path | None) -> None:
    """'Đã ghi: FILE' on stderr once a command's output is in `path` (nothing for stdout or --quiet)."""
    if path is not None and progress_enabled():
        click.echo(f"Đã ghi: {path}", err=True)


__all__ = ["Progress", "phase", "progress", "progress_enabled", "wrote"]
