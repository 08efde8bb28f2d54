"""The one "did you mean" helper: the known values closest to one that is not known."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def closest(value: str, options: Iterable[str], n: int = 1) -> list[str]:
    """Up to `n` of `options` close to `value` (difflib's ratio of at least 0.6), the closest first."""
    return difflib.get_close_matches(value, list(options), n=n, cutoff=0.6)


def did_you_mean(value: str, options: Iterable[str]) -> str | None:
    """"did you mean 'X'?" for the option closest to `value`, or None when none is close."""
    near = closest(value, options)
    return f"did you mean '{near[0]}'?" if near else None


__all__ = ["closest", "did_you_mean"]
