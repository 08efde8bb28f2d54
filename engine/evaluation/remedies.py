"""Scheduled courses that remedy a finding: courses of the remedy programme ending by the deadline."""

from __future__ import annotations

import datetime as dt
from typing import Any

from engine.dataset import Dataset
from engine.evaluation.findings import Finding
from engine.vocabulary import REMEDIABLE


def courses_for(dataset: Dataset, programme: str, as_of: dt.date, deadline: dt.date | None) -> list[dict[str, Any]]:
    """Courses of `programme` starting after `as_of`; those ending by the deadline first, then later ones."""
    found = [c for c in dataset.courses if c.programme == programme and c.start >= as_of]
    found.sort(key=lambda c: (deadline is not None and c.end > deadline, c.end))
    return [{"course": c.id, "start": c.start.isoformat(), "end": c.end.isoformat(), "mode": c.mode,
             "late": deadline is not None and c.end > deadline} for c in found]


def attach_courses(findings: list[Finding], dataset: Dataset, as_of: dt.date) -> list[Finding]:
    """The findings, each one a course could remedy given the next courses of its programme."""
    for finding in findings:
        if finding.status in REMEDIABLE and finding.remedy:
            finding.courses = courses_for(dataset, finding.remedy, as_of, finding.deadline)
    return findings
