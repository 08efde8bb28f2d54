"""The engine's facade: the one way an interface (the CLI, a web application) reaches the engine.

    ws = open_dataset(root, rulesets=None, as_of=None, stream=None, config=EngineConfig())

opens a dataset folder once: it reads the manifest, loads the rule packs it names, fixes the evaluation
date ("as_of given, else the manifest's as_of, else today", engine.dates.resolve_as_of) and decides
whether the people are streamed (`stream`: as asked; None: a CSV dataset of more than STREAM_ABOVE
people). A whole dataset is loaded by `open_dataset`; a streamed one is split chunk by chunk while its
whole-population methods (`check_all`, `audit_stream`) run.

Methods return domain results (engine.results): `check`, `eligibility`, `check_all`, `audit`,
`audit_stream`, `plan`, `shortlist`, `readiness`, `people`, `rules`, `rule`. Interfaces import from
`engine` only the modules in INTERFACE_MODULES (tests/test_architecture.py enforces it).
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from engine.atomic import is_special
from engine.audit import AuditedAppointment, AuditReport, AuditTotals, audit, report_sections, unit_and_descendants
from engine.batch import default_jobs, run_chunks, run_stream
from engine.cells import neutralise
from engine.dataset import Dataset
from engine.dates import resolve_as_of
from engine.errors import InputError, Problem, UnknownIdError, UsageError
from engine.evaluation.evaluator import EngineConfig, Evaluator
from engine.evaluation.findings import Finding
from engine.evaluation.remedies import attach_courses
from engine.fields import parse_date
from engine.loading import by_place, load_dataset, load_manifest
from engine.loading.stream import CHUNK_SIZE, people_lines, streamable
from engine.loading.stream import open_stream as _open_stream
from engine.model import YEARS, Manifest, Person
from engine.rules.citation import render as citation_text
from engine.rules.compiler import facts_read
from engine.rules.loader import DEFAULT_ROOT as DEFAULT_RULESETS
from engine.rules.loader import load_rulebook
from engine.rules.rulebook import LoadedRule, Rulebook
from engine.search import Finder
from engine.suggest import closest
from engine.workspace_reports import Reports
from engine.workspace_why import WhyAndWhen

if TYPE_CHECKING:  # the planner (and its solver) and the generator are imported when used
    from engine.planning.planner import Planner
    from engine.planning.results import PlanResult, Readiness, Shortlist

ItemRenderer = Callable[[AuditedAppointment], bytes]  # one audited appointment as a streamed audit writes it

# The engine modules an interface may import: this facade, and the result and vocabulary types it names.
# engine.atomic: the one file writer, free of the rest of the engine (`dtbd` installs its SIGTERM clean-up
# before any command is imported).
INTERFACE_MODULES = frozenset({"engine.workspace", "engine.results", "engine.codes", "engine.errors",
                               "engine.vocabulary", "engine.dates", "engine.contract", "engine.atomic",
                               "engine.intake.facade", "engine.diff"})
# Above this many people (lines of people.csv), whole-population commands stream the dataset by default:
# loaded whole, it takes about 0.5 GB per 100,000 people.
STREAM_ABOVE = 200_000
T = TypeVar("T")
# How a chunk of checked people is written (in the worker): the evaluation date and each person with
# their findings -> the chunk's output (text, bytes or rows).
ChunkRenderer = Callable[[dt.date, list[tuple[Person, list[Finding]]]], T]
Progress = Callable[[int], None]


@dataclass
class Eligibility:
    """Would appointing a person to a post on a day meet every precondition in force (`eligible`)?"""

    eligible: bool | None  # None: undecided for lack of data
    findings: list[Finding]
    day: dt.date


@dataclass
class CheckedChunk:
    """A chunk of `check_all`: how many people it covered, its rendered output, its (rule, status) counts."""

    people: int
    output: Any
    counts: Counter[tuple[str, str]]


@dataclass
class StreamedAudit:
    """The audit of a streamed dataset: the period, the totals, and the rendered appointments in report
    order (`items`, to be consumed inside `Workspace.audit_stream`'s block)."""

    date_from: dt.date
    date_to: dt.date
    unit: str | None
    person: str | None
    totals: AuditTotals
    unit_names: dict[str, str]
    items: Iterator[bytes]

    def sections(self) -> list[tuple[str, Any, bool]]:
        """The report's sections after its appointments (summary, by unit, by year…), as AuditReport.to_json
        writes them: (key, value, False)."""
        return report_sections(self.totals, self.unit, self.person, self.unit_names)


@dataclass
class Validation:
    """A dataset checked against its rule packs: the dataset (None if it has problems) and every problem."""

    dataset: Dataset | None
    problems: list[Problem]


def _check_person(ev: Evaluator, ids: Sequence[str], as_of: dt.date, *, render: ChunkRenderer[Any]
                  ) -> CheckedChunk:
    """Check a chunk of people (in a worker) and render it there."""
    counts: Counter[tuple[str, str]] = Counter()
    checked = []
    people = ev.dataset.person_by_id
    for person_id in ids:
        findings = ev.check_person(person_id, as_of)
        for f in findings:
            counts[(f.rule, f.status)] += 1
        checked.append((people[person_id], findings))
    return CheckedChunk(len(ids), render(as_of, checked), counts)


class Workspace(Finder, Reports, WhyAndWhen):
    """A dataset folder opened with its rule packs as of one date (see the module's docstring); finding people,
    posts and courses by name comes from engine.search.Finder, the documents' numbers (allocation, audit summary,
    targets, appendix) from Reports."""

    def __init__(self, root: Path, manifest: Manifest, book: Rulebook, as_of: dt.date, streamed: bool,
                 config: EngineConfig, dataset: Dataset | None = None, chunk_size: int = CHUNK_SIZE) -> None:
        self.root = root
        self.manifest = manifest
        self.book = book
        self.as_of = as_of
        self.streamed = streamed
        self.config = config
        self.chunk_size = chunk_size
        self._dataset = dataset
        self._evaluator: Evaluator | None = None
        self._planner: Planner | None = None

    @classmethod
    def from_dataset(cls, dataset: Dataset, book: Rulebook, as_of: dt.date | None = None,
                     config: EngineConfig | None = None) -> Workspace:
        """A workspace over a dataset already in memory (tests, an interface that built one itself)."""
        return cls(dataset.root, dataset.manifest, book, resolve_as_of(as_of, dataset.manifest.as_of), False,
                   config or EngineConfig(), dataset)

    # -- what is loaded ---------------------------------------------------------------------------------
    @property
    def dataset(self) -> Dataset:
        """The dataset loaded whole (a streamed workspace has none: its people are read chunk by chunk)."""
        if self._dataset is None:
            raise UsageError("the dataset is streamed: it is read chunk by chunk (check_all, audit_stream)")
        return self._dataset

    @property
    def evaluator(self) -> Evaluator:
        """The evaluator of the whole dataset, built once."""
        if self._evaluator is None:
            self._evaluator = self.config.evaluator(self.book, self.dataset)
        return self._evaluator

    def people(self, search: str | None = None) -> list[Person]:
        """The people, in file order; with `search`, those whose id or name contains it (case-insensitive)."""
        if search is None:
            return list(self.dataset.people)
        needle = search.casefold()
        return [p for p in self.dataset.people if needle in p.id.casefold() or needle in p.full_name.casefold()]

    def rules(self) -> list[LoadedRule]:
        """Every version of every rule of the packs in use, in pack order."""
        return list(self.book.rules)

    def rule(self, rule_id: str) -> list[LoadedRule]:
        """The versions of one rule; UnknownIdError (with suggestions) for an unknown id."""
        return rule_versions(self.book, rule_id)

    # -- one person ---------------------------------------------------------------------------------------
    def check(self, person_id: str) -> list[Finding]:
        """What the person is missing for the posts held and planned, with the next courses of each need."""
        findings = self.evaluator.check_person(person_id, self.as_of)
        return attach_courses(findings, self.dataset, self.as_of)

    def eligibility(self, person_id: str, position_id: str, on: dt.date | None = None, kind: str = "bo-nhiem",
                    submitted: dt.date | None = None) -> Eligibility:
        """Whether appointing the person to the post on `on` (default: the evaluation date) is lawful."""
        day = on or self.as_of
        eligible, findings = self.evaluator.check_proposal(person_id, position_id, day, kind, submitted)
        return Eligibility(eligible, attach_courses(findings, self.dataset, self.as_of), day)

    # -- everyone -----------------------------------------------------------------------------------------
    def check_all(self, render: ChunkRenderer[Any], jobs: int | None = None, on_total: Progress | None = None
                  ) -> Iterator[CheckedChunk]:
        """Everyone, chunk by chunk in input order, evaluated and rendered by `render` in worker processes;
        `on_total(people)` is told how many people there are (for a progress line) before the first chunk.

        Streamed, InputError with every problem of the dataset comes at the end (before the last chunk
        is yielded, if any): an interface writing chunks as they come writes them where it can discard
        them."""
        fn = partial(_check_person, render=render)
        if self.streamed:
            with self._stream() as source:
                if on_total is not None:
                    on_total(source.person_count)
                yield from run_stream(self.book, source, self.as_of, fn, jobs=jobs or default_jobs(),
                                      config=self.config)
            return
        ids = [p.id for p in self.dataset.people]
        if on_total is not None:
            on_total(len(ids))
        yield from run_chunks(self.book, self.dataset, ids, self.as_of, fn, jobs=jobs or default_jobs(),
                              config=self.config)

    def audit(self, date_from: dt.date | None = None, date_to: dt.date | None = None, unit: str | None = None,
              person: str | None = None) -> AuditReport:
        """Every appointment of the period judged by the rules in force on its own day."""
        return audit(self.evaluator, self.dataset, date_from, date_to or self.as_of, unit=unit, person=person)

    @contextmanager
    def audit_stream(self, render: ItemRenderer, date_from: dt.date | None = None, date_to: dt.date | None = None,
                     unit: str | None = None, person: str | None = None, jobs: int | None = None,
                     progress: Progress | None = None, on_total: Progress | None = None) -> Iterator[StreamedAudit]:
        """The audit of a streamed dataset, each appointment rendered by `render` in the workers; the items
        come merged in report order. InputError (every problem) before anything is yielded; `on_total` and
        `progress` are told the number of people and the people audited, as in `check_all`."""
        from engine.audit_stream import audit_chunk, merged

        day_to = date_to or self.as_of
        totals = AuditTotals()
        earliest: dt.date | None = None
        runs: list[str] = []
        with self._stream() as source, tempfile.TemporaryDirectory(prefix="dtbd-audit-") as folder:
            if on_total is not None:
                on_total(source.person_count)
            shared = source.shared.dataset
            unknown_unit = unit is not None and unit not in shared.unit_by_id
            unknown_person = person is not None and not source.has_person(person)
            fn = partial(audit_chunk, date_from=date_from, date_to=day_to, unit=unit, person=person, render=render,
                         folder=folder)
            for chunk in run_stream(self.book, source, self.as_of, fn, jobs=jobs or default_jobs(),
                                    config=self.config, evaluate=not (unknown_unit or unknown_person)):
                totals.update(chunk.totals)
                if chunk.run is not None:
                    runs.append(chunk.run)
                if chunk.earliest is not None and (earliest is None or chunk.earliest < earliest):
                    earliest = chunk.earliest
                if progress is not None:
                    progress(chunk.people)
            if unknown_unit:
                assert unit is not None
                unit_and_descendants(shared, unit)  # raises UnknownIdError, with suggestions
            if unknown_person:
                assert person is not None
                raise UnknownIdError("người / person", person,
                                     closest(person, source.person_ids(), n=3))
            names = {u.id: u.name for u in shared.units}
            yield StreamedAudit(date_from or earliest or day_to, day_to, unit, person, totals, names,
                                merged(runs, folder))

    @contextmanager
    def _stream(self) -> Iterator[Any]:
        with _open_stream(self.root, self.book.programme_codes, self.as_of, self.chunk_size) as source:
            yield source

    # -- planning -----------------------------------------------------------------------------------------
    def planner(self, on_person: Callable[[], None] | None = None, jobs: int | None = None) -> Planner:
        """The planner of the whole dataset (built once: plan, shortlist and readiness share its survey)."""
        if self._planner is None:
            from engine.planning.planner import Planner

            self._planner = Planner(self.evaluator, self.as_of, self.config.lang, on_person=on_person,
                                    jobs=jobs or default_jobs())
        return self._planner

    def plan(self, year: int | None = None) -> PlanResult:
        """Who is sent to which course in `year` (default: default_year), within capacities and quotas."""
        return self.planner().plan(year or default_year(self.as_of))

    def shortlist(self, course_id: str, reserves: int | None = None, include_past: bool = False) -> Shortlist:
        """Ranked nominees of one course, at most `reserves` reserves (default: a fifth of the capacity), and
        the excluded with reasons; a course started by the evaluation date is refused unless `include_past`."""
        from engine.planning.shortlist import shortlist

        return shortlist(self.planner(), course_id, reserves, include_past)

    def readiness(self, position: str | None = None) -> list[Readiness]:
        """From when each person of an active succession plan meets the planned post's training standards."""
        from engine.planning.readiness import readiness

        return readiness(self.planner(), position)

    def posts_held(self, person_id: str) -> list[str]:
        """The ids of the posts the person holds on the evaluation date."""
        return list(self.planner().graph.posts_of(person_id, "holds"))


def default_year(as_of: dt.date) -> int:
    """Boards draw up next year's plan from July (seed 002: units submit it every July)."""
    return as_of.year + 1 if as_of.month >= 7 else as_of.year


def use_stream(root: Path, stream: bool | None) -> bool:
    """Whether to stream `root`: as asked (UsageError if its people are not one CSV file), else for a CSV
    dataset of more than STREAM_ABOVE people."""
    if stream is False:
        return False
    if stream:
        if not streamable(root):
            raise UsageError(f"--stream needs people as one CSV file (people.csv) in {root}")
        return True
    return streamable(root) and people_lines(root) > STREAM_ABOVE + 1


def open_dataset(root: Path, rulesets: Path | None = None, as_of: dt.date | None = None, stream: bool | None = False,
                 config: EngineConfig | None = None, chunk_size: int = CHUNK_SIZE) -> Workspace:
    """Open the dataset folder `root` with the rule packs its manifest names (from `rulesets`, default the
    bundled ones) as of `as_of` (else the manifest's, else today); `stream` as in `use_stream`.

    InputError names every problem of the manifest, the packs and (loaded whole) the tables."""
    manifest = load_manifest(root)
    book = load_rulebook(rulesets, list(manifest.rulesets))
    day = resolve_as_of(as_of, manifest.as_of)
    cfg = config or EngineConfig()
    if use_stream(root, stream):
        return Workspace(root, manifest, book, day, True, cfg, chunk_size=chunk_size)
    dataset = load_dataset(root, book.programme_codes, day)  # frozen from the collector: engine.collector
    return Workspace(root, manifest, book, day, False, cfg, dataset, chunk_size)


def open_rulebook(rulesets: Path | None = None, packs: Sequence[str] = (), allow_drafts: bool = False) -> Rulebook:
    """The rule packs `packs` (default: every pack under `rulesets`, default the bundled ones), verified; draft
    packs (kind `draft`) only with `allow_drafts` (the `rules` commands)."""
    root = (rulesets or DEFAULT_RULESETS).resolve()
    return load_rulebook(root, list(packs) or sorted(str(p.parent.relative_to(root))
                                                     for p in root.rglob("pack.yaml")), allow_drafts=allow_drafts)


def rule_versions(book: Rulebook, rule_id: str) -> list[LoadedRule]:
    """The versions of one rule; UnknownIdError (with suggestions) for an unknown id."""
    versions = book.versions(rule_id)
    if not versions:
        raise UnknownIdError("quy tắc / rule", rule_id, closest(rule_id, book.rule_ids(), n=3))
    return versions


def generated_as_of() -> dt.date:
    """The evaluation date of a generated dataset unless another is asked for."""
    from engine.generate import AS_OF

    return AS_OF


def generate(people: int, seed: int, out: Path, fmt: Literal["csv", "yaml"] = "csv", as_of: dt.date | None = None,
             overwrite: bool = False, progress: Progress | None = None) -> None:
    """Write a synthetic dataset of `people` people to `out` (same seed, same bytes); as of GENERATED_AS_OF
    unless `as_of` is given."""
    from engine.generate import AS_OF, generate_dataset

    generate_dataset(people, seed, out, fmt, as_of or AS_OF, overwrite=overwrite, progress=progress)


def validate_dataset(root: Path, rulesets: Path | None = None, as_of: dt.date | None = None) -> Validation:
    """Every problem of the dataset folder and of the rule packs its manifest names, in file order."""
    problems: list[Problem] = []
    allowed: set[str] | None = None
    try:
        manifest: Manifest | None = load_manifest(root)
    except InputError:
        manifest = None  # load_dataset reports the manifest's problems with the tables'
    if manifest is not None:
        try:
            allowed = set(load_rulebook(rulesets, list(manifest.rulesets)).programme_codes)
        except InputError as exc:
            problems += exc.problems
    dataset: Dataset | None = None
    try:
        dataset = load_dataset(root, allowed, as_of)
    except InputError as exc:
        problems += exc.problems
    problems.sort(key=by_place)
    return Validation(dataset, problems)


__all__ = ["DEFAULT_RULESETS", "INTERFACE_MODULES", "STREAM_ABOVE", "YEARS", "CheckedChunk", "ChunkRenderer",
           "Eligibility", "EngineConfig", "ItemRenderer", "StreamedAudit", "Validation", "Workspace",
           "citation_text", "default_year", "facts_read", "generate", "generated_as_of", "is_special", "neutralise",
           "open_dataset", "open_rulebook", "parse_date", "rule_versions", "use_stream", "validate_dataset"]
