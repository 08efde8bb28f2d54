"""Which credentials satisfy a required programme: equivalences and orderings from programmes.yaml.

`satisfies` edges are followed transitively; a dated edge (e.g. cao cấp LLCT-HC counts as the CVC
QLNN certificate only for diplomas obtained before 30/6/2022) restricts the credential's completion
date, and windows along a path intersect. Evidence not listed in `evidence_accepted` does not count.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from engine.model import Credential
from engine.rules.rulebook import Rulebook


@dataclass(frozen=True)
class Path:
    """`via` (the credential's programme) counts for the target if completed inside the window."""

    via: str
    chain: tuple[str, ...]
    completed_from: dt.date | None
    completed_before: dt.date | None
    verified: bool

    def admits(self, completed: dt.date) -> bool:
        """Whether a credential completed on `completed` falls in the path's validity window."""
        if self.completed_from is not None and completed < self.completed_from:
            return False
        return not (self.completed_before is not None and completed >= self.completed_before)


def _max(a: dt.date | None, b: dt.date | None) -> dt.date | None:
    return b if a is None else a if b is None else max(a, b)


def _min(a: dt.date | None, b: dt.date | None) -> dt.date | None:
    return b if a is None else a if b is None else min(a, b)


class Equivalences:
    """The equivalences of the programmes: which credentials satisfy a required programme, and by which path."""

    def __init__(self, book: Rulebook) -> None:
        self.accepted = set(book.evidence_accepted)
        reverse: dict[str, list[tuple[str, dt.date | None, dt.date | None, bool]]] = {}
        for prog in book.programmes.values():
            for edge in prog.satisfies:
                reverse.setdefault(edge.programme, []).append(
                    (prog.code, edge.completed_from, edge.completed_before, edge.verified)
                )
        self.paths: dict[str, list[Path]] = {}
        for code in book.programmes:
            found: list[Path] = [Path(code, (code,), None, None, True)]
            stack = [found[0]]
            while stack:
                path = stack.pop()
                for source, c_from, c_before, verified in reverse.get(path.via, []):
                    if source in path.chain:
                        continue
                    new = Path(source, (source, *path.chain), _max(path.completed_from, c_from),
                               _min(path.completed_before, c_before), path.verified and verified)
                    found.append(new)
                    stack.append(new)
            self.paths[code] = found
        # target -> credential programme -> the paths through it, in the order of `paths`.
        self._via: dict[str, dict[str, list[Path]]] = {}
        for code, paths in self.paths.items():
            by_via: dict[str, list[Path]] = {}
            for path in paths:
                by_via.setdefault(path.via, []).append(path)
            self._via[code] = by_via

    def satisfying(self, credential: Credential, target: str) -> Path | None:
        """The path by which `credential` satisfies the programme `target`, or None."""
        if credential.evidence is not None and credential.evidence not in self.accepted:
            return None
        by_via = self._via.get(target)
        if by_via is None:
            return None
        completed = credential.completed
        for path in by_via.get(credential.programme, ()):
            if completed is not None and path.admits(completed):
                return path
        return None

    def first_meeting(
        self, credentials: list[Credential], target: str, by: dt.date | None, since: dt.date | None = None
    ) -> tuple[Credential, Path] | None:
        """Earliest credential (sorted by date) meeting `target`, completed in [since, by]."""
        by_via = self._via.get(target)
        if by_via is None:
            return None
        accepted = self.accepted
        for cred in credentials:
            completed = cred.completed
            if completed is None:
                continue  # undated (sorted last): see undated_meeting
            if by is not None and completed > by:
                break
            if since is not None and completed < since:
                continue
            paths = by_via.get(cred.programme)
            if paths is None or (cred.evidence is not None and cred.evidence not in accepted):
                continue
            for path in paths:
                if path.admits(completed):
                    return cred, path
        return None

    def undated_meeting(self, credentials: list[Credential], target: str) -> Credential | None:
        """An undated credential (a level recorded without its date, law.md P4) that would meet `target` had it
        been completed in time: whether it does is unknown."""
        by_via = self._via.get(target)
        if by_via is None:
            return None
        for cred in reversed(credentials):  # undated ones are sorted last
            if cred.completed is not None:
                return None
            if cred.programme in by_via and (cred.evidence is None or cred.evidence in self.accepted):
                return cred
        return None

    def first_after(self, credentials: list[Credential], target: str, after: dt.date) -> Credential | None:
        """The first of `credentials` satisfying `target` completed after `after`, or None."""
        for cred in credentials:
            if cred.completed is not None and cred.completed > after and self.satisfying(cred, target) is not None:
                return cred
        return None
