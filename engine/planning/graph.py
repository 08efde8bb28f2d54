"""The structure the planner reads, as one networkx graph: units, posts, people, programmes, courses.

Nodes are `(kind, id)` pairs, kind one of `unit`, `post`, `person`, `programme`, `course`. Edges carry
`rel`:
- unit → unit `parent`; post → unit `in_unit`; post → post `reports_to`;
- person → post `holds` / `planned` (as of the graph's date); a person's unit is read from the dataset
  (`person_unit`): a province has 100,000 people, most of them holding no post the planner reads, and
  adding each as a node and an edge cost about a second on every plan;
- programme A → programme B `satisfies` (a credential of A counts where B is required, with the
  completion window of programmes.yaml); programme → programme `prerequisite` (documentary: the
  admission rules of the packs enforce prerequisites, law.md rules 28–29);
- course → programme `of`.
This module is the one place the planner reads structure from; nothing here evaluates a rule.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import cached_property

import networkx as nx

from engine.dataset import Dataset
from engine.model import Course
from engine.rules.rulebook import Rulebook

Node = tuple[str, str]


def unit(uid: str) -> Node:
    return ("unit", uid)


def post(pid: str) -> Node:
    return ("post", pid)


def person(pid: str) -> Node:
    return ("person", pid)


def programme(code: str) -> Node:
    return ("programme", code)


def course(cid: str) -> Node:
    return ("course", cid)


def _admits(window: tuple[dt.date | None, dt.date | None], completed: dt.date) -> bool:
    start, before = window
    return (start is None or completed >= start) and (before is None or completed < before)


class PlanGraph:
    """Units, posts, people (as of `as_of`), programmes and scheduled courses of one dataset."""

    def __init__(self, dataset: Dataset, book: Rulebook, as_of: dt.date) -> None:
        self.dataset = dataset
        self.book = book
        self.as_of = as_of
        g: nx.DiGraph = nx.DiGraph()
        for u in dataset.units:
            g.add_node(unit(u.id), name=u.name, level=u.level)
            if u.parent:
                g.add_edge(unit(u.id), unit(u.parent), rel="parent")
        for p in dataset.positions:
            g.add_node(post(p.id), title=p.title, tier=p.tier, role=p.role)
            g.add_edge(post(p.id), unit(p.unit), rel="in_unit")
            if p.reports_to:
                g.add_edge(post(p.id), post(p.reports_to), rel="reports_to")
        for a in dataset.appointments:
            if a.start <= as_of and (a.end is None or a.end >= as_of):
                g.add_edge(person(a.person), post(a.position), rel="holds", start=a.start)
        gone = {u.id for u in dataset.units if u.dissolved is not None and u.dissolved <= as_of}
        for plan in dataset.plans:
            active = plan.approved <= as_of and (plan.removed is None or plan.removed > as_of)
            if active and gone and dataset.position_by_id[plan.position].unit in gone:
                active = False  # no plan for a post of a dissolved unit (law.md rule 42: no district posts)
            if active and not g.has_edge(person(plan.person), post(plan.position)):
                g.add_edge(person(plan.person), post(plan.position), rel="planned", approved=plan.approved,
                           term=plan.term)
        for code, prog in book.programmes.items():
            g.add_node(programme(code), family=prog.family, level=prog.level)
        for code, prog in book.programmes.items():
            for edge in prog.satisfies:
                g.add_edge(programme(code), programme(edge.programme), rel="satisfies",
                           window=(edge.completed_from, edge.completed_before))
            for pre in prog.prerequisites:
                g.add_edge(programme(code), programme(pre), rel="prerequisite")
        for c in dataset.courses:
            g.add_node(course(c.id), start=c.start, end=c.end, capacity=c.capacity, mode=c.mode)
            g.add_edge(course(c.id), programme(c.programme), rel="of")
        self.g = g
        self._chains: dict[str, list[str]] = {}

    # -- units --------------------------------------------------------------------------------
    def unit_chain(self, unit_id: str) -> list[str]:
        """The unit and its ancestors, outermost first (the province before the department)."""
        found = self._chains.get(unit_id)
        if found is None:
            found = self._chains[unit_id] = self._unit_chain(unit_id)
        return list(found)

    def _unit_chain(self, unit_id: str) -> list[str]:
        chain: list[str] = []
        current: str | None = unit_id
        while current is not None and current not in chain:
            chain.append(current)
            parents = [v for _u, v, rel in self.g.out_edges(unit(current), data="rel") if rel == "parent"]
            current = parents[0][1] if parents else None
        return chain[::-1]

    def person_unit(self, person_id: str) -> str:
        """The unit the person belongs to (people.csv `unit`)."""
        return self.dataset.person_by_id[person_id].unit

    # -- people and posts ---------------------------------------------------------------------
    def posts_of(self, person_id: str, rel: str) -> list[str]:
        """Posts held (`holds`) or planned (`planned`) by the person on the graph's date."""
        node = person(person_id)
        if node not in self.g:
            return []
        return sorted(v[1] for _u, v, r in self.g.out_edges(node, data="rel") if r == rel)

    def planned_people(self, position_id: str | None = None) -> list[tuple[str, str]]:
        """(person, post) pairs of the active succession plans, optionally for one post."""
        out = []
        for u, v, r in self.g.edges(data="rel"):
            if r == "planned" and (position_id is None or v[1] == position_id):
                out.append((u[1], v[1]))
        return sorted(out)

    # -- programmes ---------------------------------------------------------------------------
    def family(self, code: str) -> str | None:
        """The programme's family (the pack's), if any."""
        data = self.g.nodes.get(programme(code))
        return None if data is None else str(data["family"])

    def level(self, code: str) -> int:
        """The programme's level within its family."""
        data = self.g.nodes.get(programme(code))
        return 0 if data is None else int(data["level"])

    def prerequisites(self, code: str) -> list[str]:
        """The programmes a person must hold before attending `code`."""
        node = programme(code)
        if node not in self.g:
            return []
        return [v[1] for _u, v, r in self.g.out_edges(node, data="rel") if r == "prerequisite"]

    def counts_for(self, source: str, target: str, completed: dt.date) -> bool:
        """Would a credential of `source` completed on `completed` count where `target` is required?
        `satisfies` edges are followed transitively; every window along the path must admit the date."""
        if source == target:
            return True
        seen = {source}
        stack = [source]
        while stack:
            current = stack.pop()
            node = programme(current)
            if node not in self.g:
                continue
            for _u, v, data in self.g.out_edges(node, data=True):
                if data["rel"] != "satisfies" or v[1] in seen or not _admits(data["window"], completed):
                    continue
                if v[1] == target:
                    return True
                seen.add(v[1])
                stack.append(v[1])
        return False

    # -- courses ------------------------------------------------------------------------------
    @cached_property
    def _courses_by_programme(self) -> dict[str, list[Course]]:
        out: dict[str, list[Course]] = {}
        for c in sorted(self.dataset.courses, key=lambda c: (c.start, c.end, c.id)):
            out.setdefault(c.programme, []).append(c)
        return out

    def courses_of(self, code: str, year: int | None = None, after: dt.date | None = None) -> list[Course]:
        """Courses of a programme (sorted by start), optionally starting in `year` and after `after`."""
        return [c for c in self._courses_by_programme.get(code, [])
                if (year is None or c.start.year == year) and (after is None or c.start > after)]

    def plan_courses(self, year: int, after: dt.date) -> list[Course]:
        """The courses a plan for `year` may use: starting in that year and after the as-of date."""
        return [c for cs in self._courses_by_programme.values() for c in cs if c.start.year == year and c.start > after]


def overlaps(a: Course, b: Course) -> bool:
    """Courses whose dates share at least one day (both ends inclusive)."""
    return a.start <= b.end and b.start <= a.end


def build_graph(dataset: Dataset, book: Rulebook, as_of: dt.date) -> PlanGraph:
    """The planning graph of the dataset as of a date: posts held and planned, programmes, units."""
    return PlanGraph(dataset, book, as_of)


def programme_order(book: Rulebook, codes: Iterable[str]) -> list[str]:
    """Programme codes in the order of the catalogue (programmes.yaml), unknown codes last."""
    order = {code: i for i, code in enumerate(book.programmes)}
    return sorted(set(codes), key=lambda c: (order.get(c, len(order)), c))


__all__ = ["PlanGraph", "build_graph", "overlaps", "programme_order"]
