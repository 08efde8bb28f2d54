"""`dtbd candidates --position POS --on D`: everyone in the succession plan (quy hoạch) for a post or an
equivalent one, ranked by eligibility on the day, then by the earliest day they would be eligible
(engine.pathway), with what each still lacks."""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass

from engine.errors import UnknownIdError
from engine.evaluation.evaluator import Evaluator
from engine.evaluation.findings import Finding
from engine.model import Person, Plan
from engine.pathway import Pathway, way_to_eligibility

_ORDER = {True: 0, None: 1, False: 2}


@dataclass
class Successor:
    """One planned person: the plan row, the verdict on the day, what is missing and the way to eligibility."""

    person: Person
    plan: Plan
    eligible: bool | None
    missing: list[Finding]
    way: Pathway | None

    @property
    def eligible_from(self) -> dt.date | None:
        """The first day the way to eligibility gives (None: eligible now, undecided, or not reachable)."""
        return self.way.eligible_from if self.way is not None else None


def candidates(ev: Evaluator, position_id: str, on: dt.date, as_of: dt.date) -> list[Successor]:
    """The people planned for `position_id` or a post of the same rank on `on`, ranked (module docstring)."""
    dataset = ev.dataset
    post = dataset.position_by_id.get(position_id)
    if post is None:
        raise UnknownIdError("chức vụ / position", position_id,
                             difflib.get_close_matches(position_id, list(dataset.position_by_id), n=3))
    rank = ev.deriver.post_rank(post)
    holders = {a.person for a in dataset.appointments if a.position == position_id and a.start <= on
               and (a.end is None or a.end > on)}
    chosen: dict[str, Plan] = {}
    for plan in dataset.plans:
        planned = dataset.position_by_id.get(plan.position)
        active = plan.approved <= on and (plan.removed is None or plan.removed > on)
        if planned is None or not active or plan.person in holders:
            continue
        if plan.position == position_id or ev.deriver.post_rank(planned) == rank:
            best = chosen.get(plan.person)
            if best is None or (best.position != position_id and plan.position == position_id):
                chosen[plan.person] = plan  # the plan for the post itself before one for an equivalent post
    out = []
    for person_id, plan in chosen.items():
        eligible, findings = ev.check_proposal(person_id, position_id, on)
        missing = [f for f in findings if f.status in ("missing", "unknown")]
        way = way_to_eligibility(ev, person_id, position_id, on, as_of) if eligible is False else None
        out.append(Successor(dataset.person_by_id[person_id], plan, eligible, missing, way))
    far = dt.date.max
    out.sort(key=lambda s: (_ORDER[s.eligible], s.eligible_from or far, s.person.full_name, s.person.id))
    return out


__all__ = ["Successor", "candidates"]
