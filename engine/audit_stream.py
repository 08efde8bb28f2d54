"""The audit of a streamed dataset: each chunk's appointments audited in a worker and written, sorted, to a
run file; the runs merged in (start, person, position) order, as the whole-load audit lists them.

The interface says how one appointment is written (`render`, bytes); this module only sorts and merges.
"""

from __future__ import annotations

import datetime as dt
import heapq
import os
import pickle
import resource
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

from engine.audit import AUDITED_KINDS, AuditedAppointment, AuditTotals, audit_appointments, select, totals_of
from engine.evaluation.evaluator import Evaluator

FAN_IN = 4096  # run files open at once while merging, at most (and within the limit on open files)
ItemRenderer = Callable[[AuditedAppointment], bytes]  # engine.workspace.ItemRenderer


@dataclass
class AuditChunk:
    """One chunk's audit (from a worker): its appointments rendered, sorted, in a run file; its counts."""

    run: str | None
    count: int
    totals: AuditTotals
    earliest: dt.date | None  # earliest start of an audited appointment in the chunk (the default --from)
    people: int


def audit_chunk(ev: Evaluator, ids: Sequence[str], _as_of: dt.date, *, date_from: dt.date | None,
                date_to: dt.date, unit: str | None, person: str | None, render: ItemRenderer,
                folder: str) -> AuditChunk:
    """Audit the appointments of one chunk of people (in a worker), written sorted to a run file.

    Without `date_from`, every audited appointment up to `date_to` is in the period: the default start
    is the earliest of them all."""
    dataset = ev.dataset
    starts = [a.start for a in dataset.appointments if a.kind in AUDITED_KINDS]
    chosen = select(dataset, date_from or dt.date.min, date_to, unit, person, check_ids=False)
    items = audit_appointments(ev, dataset, chosen)
    run = None
    if items:
        handle, run = tempfile.mkstemp(suffix=".run", dir=folder)
        with os.fdopen(handle, "wb") as out:
            for item in items:
                a = item.appointment
                pickle.dump(((a.start, a.person, a.position), render(item)), out)
    return AuditChunk(run, len(items), totals_of(items), min(starts) if starts else None, len(ids))


def _fan_in() -> int:
    """How many runs to merge at once: FAN_IN, within the process's limit on open files (raised if it can be)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = FAN_IN + 64
    if soft != resource.RLIM_INFINITY and soft < wanted:
        target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
            soft = target
        except (ValueError, OSError):
            pass
    return FAN_IN if soft == resource.RLIM_INFINITY else max(2, min(FAN_IN, soft - 64))


def _run_records(path: str) -> Iterator[tuple[Any, bytes]]:
    with open(path, "rb") as handle:
        while True:
            try:
                yield pickle.load(handle)
            except EOFError:
                return


def merged(runs: list[str], folder: str) -> Iterator[bytes]:
    """The appointments of every run, in (start, person, position) order: runs are sorted, and a person's
    appointments are all in one run (rows of one person are in one chunk), so ties keep their order."""
    key = itemgetter(0)
    runs = list(runs)
    fan_in = _fan_in()
    while len(runs) > fan_in:  # merge just enough runs into one for the rest to be merged at once
        group, runs = runs[:min(fan_in, len(runs) - fan_in + 1)], runs[min(fan_in, len(runs) - fan_in + 1):]
        handle, path = tempfile.mkstemp(suffix=".run", dir=folder)
        with os.fdopen(handle, "wb") as out:
            for record in heapq.merge(*map(_run_records, group), key=key):
                pickle.dump(record, out)
        for run in group:
            os.unlink(run)
        runs.append(path)
    for _key, text in heapq.merge(*map(_run_records, runs), key=key):
        yield text


__all__ = ["FAN_IN", "AuditChunk", "ItemRenderer", "audit_chunk", "merged"]
