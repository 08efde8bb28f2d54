"""The planner's per-person work in worker processes: needs and admission verdicts of everyone.

Both are evaluations of one person at a time (engine.batch.run_chunks forks workers that inherit the
dataset, the rulebook and, passed as `extra`, the planning graph). Results come back in input
order, so the survey is the one the planner would have made alone, and the verdicts are the same
evaluations, done once each, handed to the planner's Admission cache.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from engine.batch import inherited, run_chunks
from engine.evaluation.evaluator import Evaluator
from engine.model import Course
from engine.planning.admission import Admission, Signature, Verdict
from engine.planning.graph import PlanGraph
from engine.planning.needs import Need, ObjectCandidacy, Survey, person_survey

Work = dict[str, list[tuple[list[Course], dt.date | None]]]  # person -> (courses of a programme, since)
Verdicts = dict[tuple[str, Signature, dt.date | None], Verdict]
CHUNK = 2000  # people per task, at most


def _chunk_size(people: int, jobs: int) -> int:
    """Chunks small enough that the workers finish together (at least 8 per worker), big enough to be
    worth a task: the verdicts of 13,000 people in 2,000-person chunks left one worker idle for the last."""
    return max(200, min(CHUNK, -(-people // (8 * jobs))))


def _survey_chunk(ev: Evaluator, ids: Sequence[str], as_of: dt.date
                  ) -> tuple[int, list[Need], list[ObjectCandidacy]]:
    needs: list[Need] = []
    objects: list[ObjectCandidacy] = []
    for pid in ids:
        n, o = person_survey(ev, inherited()["graph"], pid, as_of)
        needs += n
        objects += o
    return len(ids), needs, objects


def _verdict_chunk(ev: Evaluator, ids: Sequence[str], _as_of: dt.date) -> Verdicts:
    admission = Admission(ev, inherited()["graph"], ev.lang)
    work: Work = inherited()["work"]
    for pid in ids:
        admission.work_out(pid, work[pid])
    return admission.known


def survey(ev: Evaluator, graph: PlanGraph, as_of: dt.date, jobs: int,
           on_person: Callable[[], None] | None = None) -> Survey:
    """engine.planning.needs.survey of everyone, over `jobs` worker processes."""
    result = Survey(as_of)
    everyone = [p.id for p in ev.dataset.people]
    # People with no post held or planned have no context to evaluate (Evaluator.person_contexts):
    # not sending them to the workers saves a third of the survey's time on 100,000 people.
    ids = [pid for pid in everyone if ev.dataset.has_posts(pid)]
    if on_person is not None:
        for _ in range(len(everyone) - len(ids)):
            on_person()
    for size, needs, objects in run_chunks(ev.book, ev.dataset, ids, as_of, _survey_chunk, jobs=jobs,
                                           chunk_size=_chunk_size(len(ids), jobs), config=ev.config,
                                           extra={"graph": graph}):
        result.needs.extend(needs)
        result.objects.extend(objects)
        if on_person is not None:
            for _ in range(size):
                on_person()
    return result


def verdicts(ev: Evaluator, graph: PlanGraph, as_of: dt.date, work: Work, jobs: int) -> Verdicts:
    """Admission verdicts of each person for each (courses, since) in `work`, over worker processes."""
    out: Verdicts = {}
    for part in run_chunks(ev.book, ev.dataset, list(work), as_of, _verdict_chunk, jobs=jobs,
                           chunk_size=_chunk_size(len(work), jobs), config=ev.config,
                           extra={"graph": graph, "work": work}):
        out.update(part)
    return out


__all__ = ["survey", "verdicts"]
