"""The simplifier of engine expressions (pure): tests decided by the rest of a conjunction, or by what every
context of a ruleset shares, are dropped; expressions are split under the engine's 32-term limit."""

from __future__ import annotations

from typing import Any

from engine.rules.expressions import ALWAYS, NEVER, Expr, atom_of, conjunction, disjunction, flat


class Known:
    """What a conjunction has established about the context fact's fields, to simplify what follows.

    The engine's semantics, which the compiler relies on throughout: a test on an absent field never
    holds (only `$nex` does). Bounds are kept for integer tests only (days, months, counts)."""

    __slots__ = ("eq", "hi", "lo", "neq", "present")

    def __init__(self) -> None:
        self.present: dict[str, bool] = {}
        self.eq: dict[str, Any] = {}
        self.neq: dict[str, set[Any]] = {}
        self.lo: dict[str, int] = {}  # field >= lo
        self.hi: dict[str, int] = {}  # field <= hi

    def copy(self) -> Known:
        """An independent copy, to extend with one branch's tests."""
        other = Known()
        other.present, other.eq, other.lo, other.hi = dict(self.present), dict(self.eq), dict(self.lo), dict(self.hi)
        other.neq = {f: set(v) for f, v in self.neq.items()}
        return other

    def test(self, op: str, field: str, value: Any) -> bool | None:
        """The truth of one atom given what is known: True, False or None (undecided)."""
        present = self.present.get(field)
        if op == "$nex":
            return None if present is None else not present
        if op == "$ex":
            return present
        if present is False:
            return False
        if field in self.eq:
            known = self.eq[field]
            if type(known) is not type(value) or (op not in ("$eq", "$neq") and type(value) is not int):
                return None
            return _compare(op, known, value)
        if type(value) is not int:
            if op == "$eq" and value in self.neq.get(field, ()):
                return False
            if op == "$neq" and value in self.neq.get(field, ()):
                return True
            return None
        lo, hi = self.lo.get(field), self.hi.get(field)
        bound = _BOUND.get(op)
        if bound is not None:  # x <= c or x >= c
            kind, c = bound[0], value + bound[1]
            if kind == "le":
                return True if hi is not None and hi <= c else False if lo is not None and lo > c else None
            return True if lo is not None and lo >= c else False if hi is not None and hi < c else None
        outside = (lo is not None and value < lo) or (hi is not None and value > hi)
        if op == "$eq":
            return False if outside or value in self.neq.get(field, ()) else None
        if op == "$neq":
            return True if outside or value in self.neq.get(field, ()) else None
        return None

    def add(self, op: str, field: str, value: Any) -> None:
        """Record an atom that holds."""
        if op == "$nex":
            self.present[field] = False
            return
        self.present[field] = True
        if op == "$eq":
            self.eq[field] = value
        elif op == "$neq":
            self.neq.setdefault(field, set()).add(value)
        elif type(value) is int and op in _BOUND:
            kind, c = _BOUND[op][0], value + _BOUND[op][1]
            if kind == "le":
                self.hi[field] = min(self.hi.get(field, c), c)
            else:
                self.lo[field] = max(self.lo.get(field, c), c)


# Integer comparisons as bounds: $lt v is x <= v - 1, $gt v is x >= v + 1.
_BOUND = {"$lt": ("le", -1), "$lte": ("le", 0), "$gt": ("ge", 1), "$gte": ("ge", 0)}


def _compare(op: str, left: Any, right: Any) -> bool | None:
    try:
        if op == "$eq":
            return bool(left == right)
        if op == "$neq":
            return bool(left != right)
        if op == "$lt":
            return bool(left < right)
        if op == "$lte":
            return bool(left <= right)
        if op == "$gt":
            return bool(left > right)
        if op == "$gte":
            return bool(left >= right)
    except TypeError:
        return None
    return None


def simplify(expr: Expr, known: Known | None = None) -> Expr:
    """`expr` without what `known` or the other members of a conjunction decide.

    The atoms of a conjunction are read in order, each under the ones kept before it (a repeated
    one is dropped, a contradicted one makes the whole NEVER); its other members are simplified
    under all of them: an alternative they contradict is dropped, one they imply makes its
    disjunction true. The result holds for exactly the same facts (given `known`), with fewer terms
    and fewer disjunctions to split."""
    known = known or Known()
    if "$or" in expr:
        alternatives = []
        for item in expr["$or"]:
            item = simplify(item, known)
            if item == ALWAYS:
                return ALWAYS
            if item != NEVER:
                alternatives.append(item)
        return disjunction(alternatives)
    if "$and" not in expr:
        atom = atom_of(expr)
        assert atom is not None
        if atom[1] == "t":
            return ALWAYS if atom[2] == "ctx" else NEVER
        result = known.test(*atom)
        return expr if result is None else ALWAYS if result else NEVER
    mine = known.copy()
    atoms: list[Expr] = []  # kept and recorded in `mine`, in order
    pending = flat(expr["$and"], "$and")
    compounds: list[Expr] = []
    while pending:
        for item in pending:
            atom = atom_of(item)
            if atom is None:
                compounds.append(item)
                continue
            if atom[1] == "t":
                if atom[2] != "ctx":
                    return NEVER
                continue
            holds = mine.test(*atom)
            if holds is False:
                return NEVER
            if holds is None:
                mine.add(*atom)
                atoms.append(item)
        pending, kept = [], []
        for item in compounds:  # under every atom kept so far
            simpler = simplify(item, mine)
            if simpler == NEVER:
                return NEVER
            if simpler == ALWAYS:
                continue
            if "$or" in simpler:
                kept.append(simpler)
            else:  # became an atom or a conjunction: its members join this one's, and the rest is redone
                pending.extend(flat([simpler], "$and"))
        compounds = kept
    # `$ex f` is implied by any other test on f that the conjunction keeps.
    tested = {a[1] for a in map(atom_of, atoms) if a is not None and a[0] not in ("$ex", "$nex")}
    atoms = [e for e in atoms if not ((a := atom_of(e)) is not None and a[0] == "$ex" and a[1] in tested)]
    return conjunction([*atoms, *compounds])


LIMIT = 30  # MAX_SEQUENCE_EXPRESSIONS is 32 in durable's rete.h (error 113 beyond it)


def size(expr: Expr) -> int:
    """Terms of an engine expression (the engine allows 32 in one pattern)."""
    for key in ("$and", "$or"):
        if key in expr:
            return 2 + sum(size(e) for e in expr[key])
    return 1


def split(expr: Expr, known: Known | None = None) -> list[Expr]:
    """Disjuncts whose OR equals `expr` (given `known`), each simplified and small enough for one
    engine pattern; none when `expr` never holds."""
    expr = simplify(expr, known)
    if expr == NEVER:
        return []
    if size(expr) <= LIMIT:
        return [expr]
    if "$or" in expr:
        return [part for child in expr["$or"] for part in split(child, known)]
    children = expr["$and"]
    ors = [c for c in children if "$or" in c]
    if not ors:
        raise ValueError(f"condition too large for the engine ({size(expr)} terms): split the rule")
    widest = max(ors, key=size)
    rest = [c for c in children if c is not widest]
    return [part for option in widest["$or"] for part in split(conjunction([*rest, option]), known)]


__all__ = ["LIMIT", "Known", "simplify", "size", "split"]
