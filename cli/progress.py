"""Progress of long runs (`check --all`, `audit`, `plan`) as one line on stderr, rewritten in place.

Shown only where someone watches: stderr is a terminal, the run has lasted more than a second, and
`--quiet` was not given. Output on stdout or in files is never touched, so pipes and scripts see
exactly what they would without it.

    with progress(len(people), "Đang kiểm tra", progress_enabled()) as bar:
        for person in people:
            ...
            bar.advance()
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TextIO

import click

from cli.context import AppContext

DELAY = 1.0  # seconds before the line first appears
EVERY = 0.1  # seconds between redraws


def _clock_text(seconds: float) -> str:
    whole = max(int(seconds + 0.5), 0)
    return f"{whole // 60}:{whole % 60:02d}"


class Progress:
    """Counts work done; draws `label: done/total (pct%) ~m:ss left` when it is worth showing."""

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
        self._drawn_at: float | None = None
        self._width = 0

    @property
    def shown(self) -> bool:
        """Whether the line has been drawn at least once."""
        return self._drawn_at is not None

    def advance(self, n: int = 1) -> None:
        self.done += n
        if not self._active:
            return
        now = self._clock()
        if now - self._start < DELAY:
            return
        if self._drawn_at is not None and now - self._drawn_at < EVERY and self.done < self.total:
            return
        self._draw(now)

    def _draw(self, now: float) -> None:
        text = f"{self.label}: {self.done}/{self.total}"
        if self.total:
            text += f" ({100 * min(self.done, self.total) // self.total}%)"
            if 0 < self.done < self.total:
                left = (now - self._start) / self.done * (self.total - self.done)
                text += f" ~{_clock_text(left)}"
        padding = " " * max(self._width - len(text), 0)  # cover the end of a longer previous line
        self._stream.write("\r" + text + padding)
        self._stream.flush()
        self._width = len(text)
        self._drawn_at = now

    def close(self) -> None:
        """Erase the line, so what follows on the terminal starts clean."""
        if self._drawn_at is not None:
            self._stream.write("\r" + " " * self._width + "\r")
            self._stream.flush()
            self._drawn_at = None


@contextmanager
def progress(total: int, label: str, enabled: bool, *, stream: TextIO | None = None,
             clock: Callable[[], float] = time.monotonic) -> Iterator[Progress]:
    """A Progress for `total` steps, its line erased on the way out (also on error)."""
    bar = Progress(total, label, enabled, stream if stream is not None else sys.stderr, clock)
    try:
        yield bar
    finally:
        bar.close()


def progress_enabled() -> bool:
    """False under `dtbd --quiet` (AppContext.quiet); True outside a click command too."""
    ctx = click.get_current_context(silent=True)
    app = ctx.find_object(AppContext) if ctx is not None else None
    return not (app is not None and app.quiet)


__all__ = ["Progress", "progress", "progress_enabled"]
