"""The one module of `web/` that reaches the engine — through its facade — and turns results into the
JSON payloads of the CLI (`dtbd … --json`) plus what the pages show (trích ngang, posts, labels).

A `SnapshotData` is one snapshot opened once (`engine.workspace.open_dataset`) and kept in memory; the
evaluator is not thread-safe (the durable host uses one session id), so every engine call goes through
its lock. Other languages and later evaluation dates are workspaces over the same loaded dataset.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import threading
import unicodedata
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cli.commands.check import eligibility_payload, way_for, way_text
from cli.commands.rules import rule_json
from cli.render_findings import check_payload, requirement_text
from engine import codes
from engine.errors import DtbdError, InputError
from engine.results import Finding
from engine.workspace import EngineConfig, Workspace, default_year, open_dataset
from web.uploads import UploadProblem, UploadRefused

SEVERITY = {"overdue": 0, "missing": 1, "violation": 1, "due": 2, "pending": 3, "unknown": 4, "exempt": 5, "met": 6}
PROPOSAL_KINDS = ("bo-nhiem", "bo-nhiem-lai", "bau-cu")
CACHED_CHECKS = 4096  # one person's findings kept per (language, date, explain), least recently used dropped


def fold(text: str) -> str:
    """Lower case without diacritics (đ → d), so "nguyen van" finds "Nguyễn Văn"."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


class NotFound(Exception):
    """An id that does not exist — or that the caller may not see (the same answer, on purpose)."""


class EngineProblem(Exception):
    """The engine refused the request (an unknown post, a bad date); the message names what."""


def _problems(exc: InputError, root: Path) -> list[UploadProblem]:
    out = []
    prefix = str(root) + "/"
    for problem in exc.problems:
        file = problem.file.removeprefix(prefix)
        message = problem.message + (f" ({problem.value})" if problem.value not in (None, "") else "")
        if problem.hint:
            message += f" — {problem.hint}"
        out.append(UploadProblem(file, problem.line, problem.field, message, getattr(problem, "code", "invalid-data")))
    return out


def _relative(value: Any, prefixes: tuple[str, ...]) -> Any:
    """A trace with each source's file named inside the snapshot ("people.csv"), not by the server's path."""
    if isinstance(value, dict):
        out = {key: _relative(item, prefixes) for key, item in value.items()}
        if isinstance(out.get("file"), str):
            out["file"] = next((out["file"][len(p):] for p in prefixes if out["file"].startswith(p)), out["file"])
        return out
    if isinstance(value, list):
        return [_relative(item, prefixes) for item in value]
    return value


def open_snapshot(folder: Path, rulesets_dir: Path | None = None) -> SnapshotData:
    """The folder opened by the strict loader, or UploadRefused listing every problem."""
    try:
        return SnapshotData(folder, rulesets_dir)
    except InputError as exc:
        raise UploadRefused(_problems(exc, folder)) from None


def validate(folder: Path) -> tuple[str, dt.date | None, list[str], int]:
    """(name, as_of, rule packs, people) of a valid folder, or UploadRefused."""
    data = open_snapshot(folder)
    return data.name, data.manifest_as_of, data.rulesets, data.people_count


def available_rulesets(rulesets_dir: Path | None = None) -> list[str]:
    """The rule packs one may pick for an upload: `national` and each `local/NAME`."""
    root = rulesets_dir or Path(__file__).resolve().parent.parent / "rulesets"
    folder = root / "local"
    local = sorted(f"local/{p.name}" for p in folder.iterdir() if p.is_dir()) if folder.is_dir() else []
    return ["national", *local]


@dataclass(frozen=True)
class PersonRow:
    id: str
    full_name: str
    unit: str
    category: str
    folded: str


class SnapshotData:
    """One snapshot, loaded: people index, unit tree, and the engine calls the pages and API make."""

    def __init__(self, folder: Path, rulesets_dir: Path | None = None, as_of: dt.date | None = None) -> None:
        self.ws = open_dataset(folder, rulesets_dir, as_of, stream=False, config=EngineConfig(lang="vi"))
        self.folder = folder
        self.name = self.ws.manifest.name
        self.rulesets = list(self.ws.manifest.rulesets)
        self.manifest_as_of = self.ws.manifest.as_of
        self.book = self.ws.book
        self.as_of = self.ws.as_of
        self.default_year = default_year(self.as_of)  # the plan's year when none is asked
        self.dataset = self.ws.dataset
        self._lock = threading.Lock()
        self._workspaces: dict[tuple[str, dt.date, bool], Workspace] = {("vi", self.as_of, False): self.ws}
        self._checks: OrderedDict[tuple[str, dt.date, bool, str], tuple[Workspace, list[Finding], dict[str, Any]]] \
            = OrderedDict()
        self.units = {unit.id: unit for unit in self.dataset.units}
        self._children: dict[str, list[str]] = {}
        for unit in self.dataset.units:
            if unit.parent:
                self._children.setdefault(unit.parent, []).append(unit.id)
        self.index = [PersonRow(p.id, p.full_name, p.unit, p.category, fold(f"{p.full_name} {p.id}"))
                      for p in self.dataset.people]
        # search: every folded "name id" in one text, one line each, scanned by str.find (C speed)
        self._haystack = "".join(f"{row.folded}\n" for row in self.index)
        self._starts: list[int] = []
        offset = 0
        for row in self.index:
            self._starts.append(offset)
            offset += len(row.folded) + 1
        self._subtrees: dict[str, frozenset[str]] = {}
        self._unit_posts: dict[str, list[str]] = {}
        for post in self.dataset.positions:
            self._unit_posts.setdefault(post.unit, []).append(post.id)

    def _workspace(self, lang: str, as_of: dt.date | None = None, explain: bool = False) -> Workspace:
        """The workspace of a language, evaluation date and tracing, over the dataset already loaded (call under
        the lock)."""
        key = (lang, as_of or self.as_of, explain)
        if key not in self._workspaces:
            if len(self._workspaces) > 16:  # later dates asked over the API: keep a few evaluators only
                for old in [k for k in self._workspaces if k[1] != self.as_of][:8]:
                    del self._workspaces[old]
            ws = self.ws
            self._workspaces[key] = Workspace(ws.root, ws.manifest, ws.book, key[1], False,
                                              EngineConfig(lang=lang, explain=explain), ws.dataset)
        return self._workspaces[key]

    @property
    def people_count(self) -> int:
        return len(self.dataset.people)

    def counts(self) -> dict[str, Any]:
        """Sizes of the snapshot and the to-do list of optional data left empty (rules then answer unknown)."""
        people = self.dataset.people
        missing = [("education", "Chưa có trình độ chuyên môn", "No education level"),
                   ("service_start", "Chưa có ngày tuyển dụng", "No date of recruitment"),
                   ("grade", "Chưa có ngạch", "No grade")]
        incomplete = []
        for field_name, vi, en in missing:
            count = sum(1 for p in people if getattr(p, field_name) is None)
            if count:
                incomplete.append({"field": field_name, "label": vi, "label_en": en, "count": count})
        return {"people": len(people), "units": len(self.dataset.units), "positions": len(self.dataset.positions),
                "courses": len(self.dataset.courses), "incomplete": incomplete}

    # -- scope -------------------------------------------------------------------------------------------
    def subtree(self, unit: str) -> frozenset[str]:
        """The unit and every unit under it (the unit tree of the data), worked out once per unit."""
        known = self._subtrees.get(unit)
        if known is not None:
            return known
        seen: set[str] = set()
        todo = [unit]
        while todo:
            current = todo.pop()
            if current not in seen:
                seen.add(current)
                todo.extend(self._children.get(current, []))
        self._subtrees[unit] = frozenset(seen)
        return self._subtrees[unit]

    def person_unit(self, person_id: str) -> str | None:
        person = self.dataset.person_by_id.get(person_id)
        return None if person is None else person.unit

    def position_unit(self, position_id: str) -> str | None:
        post = self.dataset.position_by_id.get(position_id)
        return None if post is None else post.unit

    # -- people ------------------------------------------------------------------------------------------
    def search(self, query: str, units: frozenset[str] | None, limit: int = 50) -> list[dict[str, Any]]:
        """People whose folded "name id" contains the folded query, in data order, at most `limit`."""
        needle = " ".join(fold(query).split())
        out: list[dict[str, Any]] = []
        hay, starts, at = self._haystack, self._starts, 0
        while len(out) < limit:
            at = hay.find(needle, at)
            if at < 0:
                break
            line = bisect.bisect_right(starts, at) - 1
            row = self.index[line]
            at = starts[line + 1] if line + 1 < len(starts) else len(hay)  # the next person's line
            if units is None or row.unit in units:
                out.append({"id": row.id, "full_name": row.full_name, "unit": row.unit,
                            "unit_name": self.units[row.unit].name if row.unit in self.units else row.unit,
                            "category": row.category})
        return out

    def person(self, person_id: str, lang: str) -> dict[str, Any]:
        """Trích ngang and posts held and planned."""
        person = self.dataset.person_by_id.get(person_id)
        if person is None:
            raise NotFound(person_id)
        records = self.dataset.records(person_id)
        posts = self.dataset.position_by_id

        def post(pid: str) -> dict[str, Any]:
            p = posts.get(pid)
            return {"id": pid, "title": p.title if p else pid,
                    "unit": self.units[p.unit].name if p and p.unit in self.units else ""}

        return {
            "person": person.model_dump(mode="json"),
            "labels": {"category": codes.CATEGORY.label(person.category, lang),
                       "gender": codes.GENDER.label(person.gender, lang),
                       "unit": self.units[person.unit].name if person.unit in self.units else person.unit},
            "held": [{**post(a.position), "start": a.start.isoformat(), "kind": a.kind}
                     for a in records.appointments if a.end is None],
            "history": [{**post(a.position), "start": a.start.isoformat(),
                         "end": a.end.isoformat() if a.end else None, "kind": a.kind} for a in records.appointments],
            "planned": [{**post(p.position), "approved": p.approved.isoformat(), "term": p.term}
                        for p in records.plans if p.removed is None],
            "credentials": [c.model_dump(mode="json") for c in records.credentials],
        }

    def courses(self, lang: str) -> list[dict[str, Any]]:
        return [{**c.model_dump(mode="json"), "programme_label": self.book.programme_label(c.programme, lang)}
                for c in sorted(self.dataset.courses, key=lambda c: (c.start, c.id))]

    def has_course(self, course_id: str) -> bool:
        return any(c.id == course_id for c in self.dataset.courses)

    def unit_name(self, unit_id: str) -> str:
        unit = self.units.get(unit_id)
        return unit.name if unit else unit_id

    def programme_label(self, code: str, lang: str) -> str:
        return self.book.programme_label(code, lang)

    def positions(self, units: frozenset[str] | None) -> list[dict[str, str]]:
        return [{"id": p.id, "title": p.title} for p in self.dataset.positions if units is None or p.unit in units]

    def posts_near(self, person_id: str, units: frozenset[str] | None, limit: int = 200) -> list[dict[str, str]]:
        """The posts offered first in the appointment form: those planned for the person, then the posts of
        their unit and the units under it (any other post id in scope may be typed)."""
        records = self.dataset.records(person_id)
        person = self.dataset.person_by_id[person_id]
        planned = (p.position for p in records.plans if p.removed is None)
        near = (pid for unit in sorted(self.subtree(person.unit)) for pid in self._unit_posts.get(unit, []))
        out: list[dict[str, str]] = []
        seen: set[str] = set()
        for pid in itertools.chain(planned, near):
            post = self.dataset.position_by_id.get(pid)
            if post is not None and pid not in seen and (units is None or post.unit in units):
                seen.add(pid)
                out.append({"id": pid, "title": post.title})
                if len(out) >= limit:
                    break
        return out

    # -- evaluation --------------------------------------------------------------------------------------
    def _findings(self, person_id: str, lang: str, as_of: dt.date | None = None,
                  explain: bool = False) -> tuple[Workspace, list[Finding], dict[str, Any]]:
        """One person's findings and their `check --json` payload, evaluated once per (language, date, explain)
        of this snapshot and its rule packs, then looked up (the snapshot never changes)."""
        if person_id not in self.dataset.person_by_id:
            raise NotFound(person_id)
        key = (lang, as_of or self.as_of, explain, person_id)
        with self._lock:
            hit = self._checks.get(key)
            if hit is not None:
                self._checks.move_to_end(key)
                return hit
            ws = self._workspace(lang, as_of, explain)
            findings = ws.check(person_id)
            payload = check_payload(person_id, ws.as_of, None, findings)
            if explain:
                # where it was opened (an upload is checked before it is moved into place) and where it is
                payload = _relative(payload, (f"{self.ws.root}/", f"{self.folder}/"))
            result = (ws, findings, payload)
            self._checks[key] = result
            if len(self._checks) > CACHED_CHECKS:
                self._checks.popitem(last=False)
            return result

    def check(self, person_id: str, lang: str, as_of: dt.date | None = None, explain: bool = False) -> dict[str, Any]:
        """`dtbd check PERSON --json` (`explain`: `--explain`, each finding with its decision trace). The
        payload is shared between requests: read it, never change it."""
        return self._findings(person_id, lang, as_of, explain)[2]

    def check_file(self, person_id: str, lang: str, fmt: str = "xlsx") -> bytes:
        """`dtbd check PERSON --format xlsx|docx`'s file (the phiếu rà soát), written by the CLI's own writer."""
        import contextlib
        import tempfile

        import click

        from cli.context import AppContext
        from cli.docx_out import docx_mode
        from cli.xlsx_out import write_findings_xlsx

        ws, findings, _ = self._findings(person_id, lang)
        # as under `dtbd --quiet` (a click context of this thread): the writer's "Đã ghi: FILE" is not printed
        quiet = click.Context(click.Command("serve"), obj=AppContext(quiet=True))
        with tempfile.TemporaryDirectory() as folder, quiet, docx_mode() if fmt == "docx" else contextlib.nullcontext():
            out = Path(folder) / f"check.{fmt}"
            write_findings_xlsx(ws, findings, out, lang, title_person=person_id)
            return out.read_bytes()

    def eligibility(self, person_id: str, position: str, on: dt.date | None, kind: str,
                    lang: str) -> tuple[dict[str, Any], str | None]:
        """`dtbd check PERSON --for-position POS --on DAY --kind KIND --json` (with the way to eligibility when
        not eligible), and the way in a sentence as the CLI's table prints it."""
        if person_id not in self.dataset.person_by_id:
            raise NotFound(person_id)
        if position not in self.dataset.position_by_id:
            raise EngineProblem(f"không có chức vụ '{position}' / unknown post '{position}'")
        if kind not in PROPOSAL_KINDS:
            raise EngineProblem(f"hình thức không hợp lệ / unknown kind '{kind}' ({', '.join(PROPOSAL_KINDS)})")
        try:
            with self._lock:
                ws = self._workspace(lang)
                result = ws.eligibility(person_id, position, on, kind)
                way = way_for(ws, person_id, position, result.eligible, result.day, kind)
        except DtbdError as exc:
            raise EngineProblem(str(exc)) from None
        payload = eligibility_payload(person_id, result.day, result.eligible, result.findings, way)
        return payload, None if way is None else way_text(ws, way, lang)

    def evaluate(self, records: dict[str, Any], lang: str, as_of: dt.date | None) -> dict[str, Any]:
        """One person's records checked against the snapshot's posts, units and courses, stored nowhere:
        written to a temporary dataset folder, loaded by the strict loader (every problem reported, with
        the table and row), checked, and removed."""
        import tempfile

        import yaml

        person = dict(records["person"])
        person_id = str(person.get("id", ""))
        tables: dict[str, list[dict[str, Any]]] = {"people": [person]}
        for table in ("credentials", "appointments", "plans", "ratings", "disciplines"):
            tables[table] = [{"person": person_id, **row} for row in records.get(table, [])]
        for table in ("units", "positions", "courses", "quotas"):
            tables[table] = [row.model_dump(mode="json", exclude_none=True) for row in getattr(self.dataset, table)]
        day = as_of or self.as_of
        manifest = {"name": "evaluate", "rulesets": self.rulesets, "as_of": day.isoformat()}
        with tempfile.TemporaryDirectory(prefix="dtbd-evaluate-") as folder:
            root = Path(folder)
            (root / "dataset.yaml").write_text(yaml.safe_dump(manifest, allow_unicode=True), encoding="utf-8")
            for table, rows in tables.items():
                (root / f"{table}.yaml").write_text(yaml.safe_dump(rows, allow_unicode=True, sort_keys=False),
                                                    encoding="utf-8")
            try:
                ws = open_dataset(root, self.book.root, day, stream=False, config=EngineConfig(lang=lang))
            except InputError as exc:
                raise UploadRefused(_problems(exc, root)) from None
            with self._lock:  # one durable host per process: evaluations take turns
                findings = ws.check(person_id)
        return check_payload(person_id, day, None, findings)

    # -- rules -------------------------------------------------------------------------------------------
    def rules(self, lang: str) -> list[dict[str, Any]]:
        """`dtbd rules list --json` of the snapshot's packs: every version of every rule."""
        return [rule_json(self.book, loaded, lang) for loaded in self.ws.rules()]

    def rule(self, rule_id: str, lang: str) -> list[dict[str, Any]]:
        """`dtbd rules show ID --json`: the versions of one rule, oldest first."""
        try:
            versions = self.ws.rule(rule_id)
        except DtbdError:
            raise NotFound(rule_id) from None
        return [rule_json(self.book, loaded, lang) for loaded in versions]

    # -- labels for the pages ----------------------------------------------------------------------------
    def status_label(self, status: str, lang: str) -> str:
        return codes.STATUS.label(status, lang)

    def strength_label(self, strength: str, lang: str) -> str:
        return codes.STRENGTH.label(strength, lang)

    def basis_label(self, basis: str, lang: str) -> str:
        return codes.BASIS.label(basis, lang)

    def requirement_label(self, code: str, lang: str) -> str:
        return requirement_text(self.book, code, lang)

    def position_title(self, position_id: str | None) -> str:
        post = self.dataset.position_by_id.get(position_id or "")
        return post.title if post else (position_id or "")
