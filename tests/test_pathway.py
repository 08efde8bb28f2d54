"""The way to eligibility (check P --for-position POS --on D when not eligible): a prerequisite chain (CVCC needs
CVC), two missing courses that clash, a precondition training cannot fix, one that time fixes (a discipline
window), and the CLI sentence."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from cli.main import cli
from engine import pathway
from engine.dates import add_months
from engine.model import Discipline
from engine.workspace import Workspace, open_dataset

ROOT = Path(__file__).resolve().parent.parent
ON = dt.date(2026, 12, 1)


@pytest.fixture(scope="module")
def demo() -> Workspace:
    return open_dataset(ROOT / "fixtures" / "demo")


def test_prerequisite_chain_cvcc_needs_cvc(demo: Workspace) -> None:
    held = {c.programme for c in demo.dataset.records("CB0001").credentials}
    assert "qlnn-chuyen-vien-chinh" not in held  # so the CVCC course's admission needs a CVC course first
    way = demo.way_to_eligibility("CB0001", "SNV-GD", ON)
    assert [c.programme for c in way.courses] == ["qlnn-chuyen-vien-chinh", "qlnn-chuyen-vien-cao-cap"]
    cvc, cvcc = way.courses
    assert cvc.end < cvcc.start and way.eligible_from == cvcc.end == dt.date(2027, 10, 1)
    assert not way.blockers and not way.unreachable


def test_two_missing_courses_that_clash_are_not_both_taken(demo: Workspace) -> None:
    first = demo.way_to_eligibility("CB0101", "SNV-XDCQ-PP1", ON)
    assert {c.programme for c in first.courses} == {"ldql-cap-phong", "llct-trung-cap"}
    ldp, tc = sorted(first.courses, key=lambda c: c.programme)
    # move the chosen leadership course into the political-theory course: they now clash
    moved = ldp.model_copy(update={"start": tc.start + dt.timedelta(days=7), "end": tc.start + dt.timedelta(days=18)})
    courses = [moved if c.id == ldp.id else c for c in demo.dataset.courses]
    clashing = Workspace.from_dataset(replace(demo.dataset, courses=courses), demo.book, demo.as_of)
    way = clashing.way_to_eligibility("CB0101", "SNV-XDCQ-PP1", ON)
    assert way.eligible_from is not None and len(way.courses) == 2
    a, b = way.courses
    assert a.end < b.start or b.end < a.start  # no overlap
    assert {c.id for c in way.courses} != {moved.id, tc.id}
    assert way.eligible_from >= first.eligible_from  # type: ignore[operator]


def test_a_precondition_training_cannot_fix(demo: Workspace) -> None:
    way = demo.way_to_eligibility("CB0002", "SNV-GD", ON)
    assert way.eligible_from is None
    (blocker,) = way.blockers
    assert (blocker.finding.rule, blocker.met_from) == ("QH-REQUIRED", None)


def test_a_discipline_window_gives_the_day_it_ends(demo: Workspace) -> None:
    assert demo.eligibility("CB0033", "SNV-VP-TP", ON).eligible is True
    punished = Discipline(person="CB0033", kind="khien-trach", effective=dt.date(2026, 10, 1))
    ws = Workspace.from_dataset(replace(demo.dataset, disciplines=[*demo.dataset.disciplines, punished]),
                                demo.book, demo.as_of)
    way = ws.way_to_eligibility("CB0033", "SNV-VP-TP", ON)
    (blocker,) = way.blockers
    assert blocker.finding.rule == "DISCIPLINE-BAR" and blocker.met_from is not None
    assert way.eligible_from == blocker.met_from and not way.courses
    assert ws.eligibility("CB0033", "SNV-VP-TP", blocker.met_from).eligible is True
    assert ws.eligibility("CB0033", "SNV-VP-TP", blocker.met_from - dt.timedelta(days=1)).eligible is False


def test_cli_says_from_when_after_which_courses() -> None:
    args = ["check", "CB0001", "--for-position", "SNV-GD", "--on", "2026-12-01"]
    vi = CliRunner().invoke(cli, args)
    assert "Lộ trình: Đủ điều kiện từ 01/10/2027 sau khi học K26-CVC-02 và K27-CVCC-01" in vi.output
    en = CliRunner().invoke(cli, [*args, "--lang", "en"])
    assert "Way to eligibility: Eligible from 2027-10-01 after K26-CVC-02 and K27-CVCC-01" in en.output
    payload = json.loads(CliRunner().invoke(cli, [*args, "--json"]).output)
    assert payload["way"]["eligible_from"] == "2027-10-01"
    assert [c["course"] for c in payload["way"]["courses"]] == ["K26-CVC-02", "K27-CVCC-01"]
    blocked = CliRunner().invoke(cli, ["check", "CB0002", "--for-position", "SNV-GD", "--on", "2026-12-01"])
    # the way is prose in the summary block, wrapped on word boundaries at the output width: read it joined
    assert "Lộ trình: có trong quy hoạch" in blocked.output
    assert "không khắc phục bằng đào tạo" in " ".join(blocked.output.split())


def test_candidates_ranked_by_eligibility_then_earliest_day(demo: Workspace) -> None:
    found = demo.candidates("SNV-GD", ON)
    assert found and all(s.person.id != "CB0301" for s in found)  # the holder is not a candidate
    order = {True: 0, None: 1, False: 2}
    keys = [(order[s.eligible], s.eligible_from or dt.date.max) for s in found]
    assert keys == sorted(keys)
    first = found[0]
    assert first.eligible is True and not first.missing
    later = [s for s in found if s.eligible is False and s.eligible_from is not None]
    assert later and all(s.way is not None and (s.way.courses or s.way.blockers) for s in later)
    for s in later[:3]:  # each date is the one the way to eligibility gives alone
        assert demo.way_to_eligibility(s.person.id, "SNV-GD", ON).eligible_from == s.eligible_from
    planned = {p.person for p in demo.dataset.plans if p.position == "SNV-GD"}
    assert planned - {"CB0301"} <= {s.person.id for s in found}


def test_candidates_cli() -> None:
    result = CliRunner().invoke(cli, ["candidates", "--position", "SNV-GD", "--on", "2026-12-01", "--lang", "en"])
    assert result.exit_code == 0 and "Eligible from" in result.output and "K27-CVCC-01" in result.output
    payload = json.loads(CliRunner().invoke(cli, ["candidates", "--position", "SNV-GD", "--json"]).output)
    assert payload["candidates"][0]["rank"] == 1 and "provenance" in payload


def _first_day_month_by_month(planner: Any, position: str, on: dt.date, kind: str, rule: str) -> dt.date | None:
    """The reference search: every month from `on` up to the horizon, then the exact day."""
    def missing(day: dt.date) -> bool:
        return any(f.rule == rule and f.status == "missing" for f in planner.proposal(position, day, kind, []))

    previous = on
    for months in range(1, pathway.HORIZON_MONTHS + 1):
        day = add_months(on, months)
        if not missing(day):
            while (day - previous).days > 1:
                mid = previous + (day - previous) / 2
                previous, day = (mid, day) if missing(mid) else (previous, mid)
            return day
        previous = day
    return None


def test_year_steps_find_the_first_day_a_month_by_month_search_finds(demo: Workspace) -> None:
    """met_from steps a year at a time before it steps by month: on every proposal of demo people to posts
    that has a precondition training cannot fix, the day found is the month-by-month search's."""
    ev = demo.evaluator
    checked = 0
    for person in [p.id for p in demo.dataset.people][:60]:
        planner = pathway.Planner(ev, person, demo.as_of)
        for post in ("SNV-GD", "SNV-XDCQ-PP1", "UBND-PCT1", "VPUB-PCVP1"):
            for finding in planner.proposal(post, ON, "bo-nhiem", []):
                if finding.status == "missing" and pathway._programme(ev, finding) is None:
                    found = planner.met_from(post, ON, "bo-nhiem", finding.rule)
                    assert found == _first_day_month_by_month(planner, post, ON, "bo-nhiem", finding.rule)
                    checked += 1
    assert checked >= 10
