"""The one vocabulary of results: finding statuses, bases, appointment outcomes, readiness, and the named
sets of statuses the engine and the interfaces act on. Labels are the glossary's (engine.codes)."""

from __future__ import annotations

from typing import Literal, get_args

Status = Literal["met", "due", "overdue", "pending", "exempt", "missing", "violation", "unknown"]
Basis = Literal["holds", "planned", "proposed", "appointed", "admission"]
Outcome = Literal["ok", "violation", "unknown"]  # an audited appointment (engine.audit)
ReadinessStatus = Literal["ready", "ready_from", "unscheduled"]

STATUSES: tuple[Status, ...] = get_args(Status)
BASES: tuple[Basis, ...] = get_args(Basis)
OUTCOMES: tuple[Outcome, ...] = get_args(Outcome)

# Statuses that ask something of the person or the board: `check --fail-on-findings` exits 3 on them, and
# `check --all` counts them as open.
NEEDS_ACTION: frozenset[Status] = frozenset({"due", "overdue", "pending", "missing", "violation"})
# Statuses a course could remedy: their findings get the next courses (engine.evaluation.remedies).
REMEDIABLE: frozenset[Status] = frozenset({"due", "overdue", "pending", "missing", "unknown"})
# Statuses of a training need the planner schedules (engine.planning.needs).
PLANNABLE: frozenset[Status] = frozenset({"due", "overdue", "pending"})

__all__ = ["BASES", "NEEDS_ACTION", "OUTCOMES", "PLANNABLE", "REMEDIABLE", "STATUSES", "Basis", "Outcome",
           "ReadinessStatus", "Status"]
