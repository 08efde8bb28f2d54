"""The cyclic garbage collector paused while many long-lived objects are made.

Loading a dataset, a chunk of one, or building a plan makes hundreds of thousands of objects that are
kept or freed by reference counting; none form garbage cycles. With the collector on, each collection
walks them all again (measured on 100,000 people: as long as making them, for the load). Every place
that does such work pauses it here, and turns it back on only if it was on.

On the way out the objects made are frozen (gc.freeze): the collector never walks them again either,
where the first collection after a 100,000-person load, or after a plan, took 0.15-0.4 s. They are
still freed by reference counting when dropped; only a reference cycle made while paused would
outlive its use, and this code makes none.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused() -> Iterator[None]:
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if collecting:
            gc.enable()


__all__ = ["paused"]
