"""engine.audit: past appointments checked against the rules in force on their own date.

Small in-memory datasets, evaluated with the test rule pack (tests/data/mini_rules) and, when it is
loadable and has the rules, with the real national pack (rulesets/national).
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from engine.audit import (
    Tally,
    appointment_status,
    audit,
    default_from,
    select,
    unit_and_descendants,
)
from engine.dataset import Dataset
from engine.errors import UnknownIdError
from engine.evaluation.evaluator import Evaluator
from engine.evaluation.findings import Finding
from engine.model import Appointment, Credential, Manifest, Person, Position, Unit
from engine.rules.loader import load_rulebook
from engine.rules.rulebook import Rulebook

HERE = Path(__file__).parent
MINI = HERE / "data" / "mini_rules"
REAL = HERE.parent / "rulesets"
D = dt.date

UNITS = [
    Unit(id="TINH", name="Ủy ban nhân dân tỉnh", level="tinh"),
    Unit(id="SNV", name="Sở Nội vụ", level="tinh", parent="TINH"),
    Unit(id="SYT", name="Sở Y tế", level="tinh", parent="TINH"),
    Unit(id="HA", name="UBND huyện An Bình", level="huyen", parent="TINH"),
    Unit(id="HA-NV", name="Phòng Nội vụ huyện An Bình", level="huyen", parent="HA"),
    Unit(id="HA-NV-1", name="Tổ công tác", level="huyen", parent="HA-NV"),
]
POSITIONS = [
    Position(id="SNV-GD", title="Giám đốc Sở Nội vụ", unit="SNV", tier="cap-so", role="truong", sector="hanh-chinh"),
    Position(id="SYT-GD", title="Giám đốc Sở Y tế", unit="SYT", tier="cap-so", role="truong", sector="hanh-chinh"),
    Position(id="SNV-TP", title="Trưởng phòng", unit="SNV", tier="cap-phong", role="truong", sector="hanh-chinh"),
    Position(id="HA-CT", title="Chủ tịch UBND huyện", unit="HA", tier="cap-huyen", role="truong",
             sector="hanh-chinh"),
    Position(id="HA-NV-TP", title="Trưởng phòng Nội vụ", unit="HA-NV", tier="cap-phong", role="truong",
             sector="hanh-chinh"),
    Position(id="HA-NV-1-TT", title="Tổ trưởng", unit="HA-NV-1", tier="cap-phong", role="pho",
             sector="hanh-chinh"),
]


BORN = D(1975, 4, 12)
AS_OF = D(2026, 1, 15)


def person(pid: str, born: dt.date = BORN, gender: str = "nam", **kw: Any) -> Person:
    return Person(id=pid, full_name=f"Người {pid}", birth_date=born, gender=gender, category="cong-chuc",
                  unit="SNV", **kw)


def appt(pid: str, position: str, start: dt.date, kind: str = "bo-nhiem", **kw: Any) -> Appointment:
    return Appointment(person=pid, position=position, start=start, kind=kind, **kw)


def dataset(people: list[Person], appointments: list[Appointment], credentials: Sequence[Credential] = (),
            as_of: dt.date = AS_OF) -> Dataset:
    return Dataset(manifest=Manifest(name="thử", rulesets=["national"], as_of=as_of), root=Path("."),
                   units=list(UNITS), positions=list(POSITIONS), people=people, appointments=appointments,
                   credentials=list(credentials))


@cache
def mini_book() -> Rulebook:
    return load_rulebook(MINI, ["national"])


@cache
def real_book() -> Rulebook:
    return load_rulebook(REAL, ["national"])


def run(ds: Dataset, *, book: Rulebook | None = None, backend: str = "durable", lang: str = "vi",
        **kw: Any) -> Any:
    ev = Evaluator(book or mini_book(), ds, backend=backend, lang=lang)
    return audit(ev, ds, kw.pop("date_from", None), kw.pop("date_to", None), **kw)


def only(report: Any) -> Any:
    assert len(report.appointments) == 1
    return report.appointments[0]


def by_rule(item: Any, prefix: str) -> list[Finding]:
    return [f for f in item.findings if f.rule.startswith(prefix)]


# -- selection ----------------------------------------------------------------------------------

def test_only_appointments_elections_and_reappointments_in_the_period_are_audited() -> None:
    ds = dataset([person("A"), person("B")], [
        appt("A", "SNV-TP", D(2020, 1, 1), end=D(2021, 12, 31)),
        appt("A", "SNV-GD", D(2022, 1, 1), kind="bo-nhiem-lai"),
        appt("B", "HA-CT", D(2023, 5, 1), kind="bau-cu"),
        appt("B", "HA-NV-TP", D(2022, 6, 1), kind="dieu-dong", end=D(2023, 4, 30)),
        appt("B", "SYT-GD", D(2025, 6, 1), kind="luan-chuyen"),
    ])
    chosen = select(ds, D(2020, 1, 2), D(2023, 5, 1))
    assert [(a.person, a.start) for a in chosen] == [("A", D(2022, 1, 1)), ("B", D(2023, 5, 1))]
    assert default_from(ds) == D(2020, 1, 1)
    report = run(ds)
    assert report.date_from == D(2020, 1, 1) and report.date_to == D(2026, 1, 15)
    assert [a.appointment.kind for a in report.appointments] == ["bo-nhiem", "bo-nhiem-lai", "bau-cu"]


def test_unit_filter_takes_the_unit_and_every_unit_below_it() -> None:
    ds = dataset([person("A"), person("B"), person("C"), person("D")], [
        appt("A", "HA-CT", D(2022, 1, 1)),
        appt("B", "HA-NV-TP", D(2022, 2, 1)),
        appt("C", "HA-NV-1-TT", D(2022, 3, 1)),
        appt("D", "SNV-TP", D(2022, 4, 1)),
    ])
    assert unit_and_descendants(ds, "HA") == {"HA", "HA-NV", "HA-NV-1"}
    assert [a.person for a in select(ds, D(2022, 1, 1), D(2022, 12, 31), unit="HA")] == ["A", "B", "C"]
    assert [a.person for a in select(ds, D(2022, 1, 1), D(2022, 12, 31), unit="HA-NV")] == ["B", "C"]
    assert [a.person for a in select(ds, D(2022, 1, 1), D(2022, 12, 31), unit="TINH")] == ["A", "B", "C", "D"]
    assert [a.person for a in select(ds, D(2022, 1, 1), D(2022, 12, 31), person="C")] == ["C"]
    assert [a.person for a in select(ds, D(2022, 1, 1), D(2022, 12, 31), unit="HA", person="D")] == []


def test_unit_cycle_in_data_does_not_loop() -> None:
    ds = dataset([], [])
    ds.units = [Unit(id="X", name="X", level="tinh", parent="Y"), Unit(id="Y", name="Y", level="tinh", parent="X")]
    ds.reindex()
    assert unit_and_descendants(ds, "X") == {"X", "Y"}


@pytest.mark.parametrize(("kw", "kind"), [({"unit": "HA-NV-X"}, "unit"), ({"person": "Z9"}, "person")])
def test_unknown_unit_or_person_is_an_unknown_id_error(kw: dict[str, str], kind: str) -> None:
    ds = dataset([person("A")], [appt("A", "HA-CT", D(2022, 1, 1))])
    with pytest.raises(UnknownIdError) as info:
        run(ds, unit=kw.get("unit"), person=kw.get("person"))
    assert kind in str(info.value) and "\n" not in str(info.value)


# -- rule windows: the rules in force on the appointment's own day -------------------------------

@pytest.mark.parametrize("backend", ["durable", "python"])
def test_appointment_on_the_day_a_rule_takes_effect_and_the_day_before(backend: str) -> None:
    # Nghị định 29/2024 (cao cấp LLCT for a Giám đốc Sở) takes effect 01/5/2024.
    ds = dataset([person("A"), person("B")], [
        appt("A", "SNV-GD", D(2024, 4, 30)),
        appt("B", "SYT-GD", D(2024, 5, 1)),
    ])
    before, on = run(ds, backend=backend).appointments
    assert not by_rule(before, "ND29") and before.status == "ok"
    [finding] = by_rule(on, "ND29-CAOCAP")
    assert finding.status == "violation" and on.status == "violation"
    assert finding.met_later is None


def test_certificate_obtained_after_the_appointment_is_a_violation_with_met_later() -> None:
    ds = dataset([person("A")], [appt("A", "SYT-GD", D(2024, 9, 1))],
                 [Credential(person="A", programme="llct-cao-cap", completed=D(2025, 3, 20))])
    item = only(run(ds))
    [finding] = by_rule(item, "ND29-CAOCAP")
    assert finding.status == "violation" and finding.met_later == D(2025, 3, 20)
    assert "bổ sung sau, ngày 20/03/2025" in finding.explanation
    payload = item.to_json()
    assert payload["findings"][[f["rule"] for f in payload["findings"]].index("ND29-CAOCAP")]["met_later"] == \
        "2025-03-20"
    assert payload["met_later"] == [{"rule": "ND29-CAOCAP", "date": "2025-03-20"}]


def test_certificate_obtained_on_the_appointment_day_is_met_and_an_equivalent_counts() -> None:
    ds = dataset([person("A"), person("B")], [appt("A", "SYT-GD", D(2024, 9, 1)), appt("B", "SNV-GD", D(2024, 9, 2))],
                 [Credential(person="A", programme="llct-cao-cap", completed=D(2024, 9, 1)),
                  Credential(person="B", programme="cu-nhan-chinh-tri", completed=D(2010, 6, 1))])
    first, second = run(ds).appointments
    assert [f.status for f in by_rule(first, "ND29")] == ["met"]
    assert [f.status for f in by_rule(second, "ND29")] == ["met"]
    assert first.status == second.status == "ok"


# -- the age rule: exactly 60 months to retirement, dossier date -----------------------------------

BORN_1965 = D(1965, 2, 10)  # man: retirement at the end of 08/2026 (61 years 6 months in 2026)


@pytest.mark.parametrize(("start", "status", "months"), [(D(2021, 8, 15), "met", 60), (D(2021, 9, 1), "violation", 59)])
def test_exactly_60_months_to_retirement_is_enough_59_is_not(start: dt.date, status: str, months: int) -> None:
    ds = dataset([person("A", born=BORN_1965)], [appt("A", "SNV-TP", start, submitted=start)])
    ev = Evaluator(mini_book(), ds)
    assert ev.deriver.retirement_date(ds.records("A")) == D(2026, 8, 31)
    item = only(audit(ev, ds, None, None))
    [finding] = by_rule(item, "AGE-")
    assert finding.status == status and item.status == ("ok" if status == "met" else "violation")
    if status == "violation":
        assert any(f"{months}" in d for d in finding.details)
    # submitted given: no note about a stand-in date
    assert not any("ngày nhận hồ sơ lấy theo" in d for d in finding.details)


def test_age_counts_from_submitted_then_decided_then_start_and_says_which() -> None:
    start = D(2021, 9, 1)
    people = [person(p, born=BORN_1965) for p in ("S", "C", "T")]
    ds = dataset(people, [
        appt("S", "SNV-TP", start, submitted=D(2021, 8, 10), decided=D(2021, 8, 25)),  # 60 months: met
        appt("C", "SYT-GD", start, decided=D(2021, 8, 20)),  # 60 months: met, dossier date = decided
        appt("T", "HA-CT", start),  # 59 months: violation, dossier date = start
    ])
    items = {a.appointment.person: a for a in run(ds).appointments}
    s, c, t = items["S"], items["C"], items["T"]
    [fs], [fc], [ft] = by_rule(s, "AGE-"), by_rule(c, "AGE-"), by_rule(t, "AGE-")
    assert (fs.status, fc.status, ft.status) == ("met", "met", "violation")
    assert s.dossier == (D(2021, 8, 10), "submitted") and not any("lấy theo" in d for d in fs.details)
    note_c = "ngày nhận hồ sơ lấy theo ngày quyết định vì thiếu ngày nhận hồ sơ (20/08/2021)"
    assert note_c in fc.details and fc.explanation.endswith(note_c)
    note_t = "lấy theo ngày bắt đầu giữ chức vụ vì thiếu ngày nhận hồ sơ và ngày quyết định"
    assert any(note_t in d for d in ft.details) and note_t in ft.explanation
    assert c.to_json()["dossier_date"] == {"date": "2021-08-20", "field": "decided"}
    # the note is only on the age findings
    assert not any("lấy theo" in d for f in c.findings if not f.rule.startswith("AGE-") for d in f.details)


def test_dossier_note_in_english() -> None:
    ds = dataset([person("A", born=BORN_1965)], [appt("A", "SNV-TP", D(2021, 8, 15), decided=D(2021, 8, 1))])
    [finding] = by_rule(only(run(ds, lang="en")), "AGE-")
    assert "dossier date taken from the decision date (decided) because submitted is missing (2021-08-01)" \
        in finding.details


def test_before_the_age_rule_took_effect_nothing_is_checked() -> None:
    ds = dataset([person("A", born=D(1962, 1, 1))], [appt("A", "SNV-TP", D(2021, 7, 31))])
    item = only(run(ds))
    assert item.findings == [] and item.status == "ok"


# -- status aggregation --------------------------------------------------------------------------

def _finding(status: str) -> Finding:
    return Finding(rule="R", version="1", variant=None, status=status, requirement="x", position="P",
                   basis="appointed", deadline=None, source="", strength="law", verified=True, remedy=None,
                   explanation="", title="", context="a0")


@pytest.mark.parametrize(("statuses", "expected"), [
    ([], "ok"),
    (["met", "exempt"], "ok"),
    (["met", "unknown"], "unknown"),
    (["unknown", "violation", "met"], "violation"),
    (["exempt", "violation"], "violation"),
])
def test_appointment_status_aggregates_its_findings(statuses: list[str], expected: str) -> None:
    assert appointment_status(_finding(s) for s in statuses) == expected


def test_missing_data_gives_unknown_end_to_end(tmp_path: Path) -> None:
    """A rule whose fact is absent (party membership with no date) makes the appointment `unknown`."""
    root = tmp_path / "rules"
    shutil.copytree(MINI, root)
    (root / "national" / "party.yaml").write_text(
        "rules:\n"
        "  - id: PARTY-TEST\n"
        "    title_vi: Phải là đảng viên khi được bầu\n"
        "    title: Must be a party member when elected\n"
        "    source: {instrument: qd-80-2022, article: 18, clause: 1, confidence: C}\n"
        "    text_vi: Là đảng viên.\n"
        "    strength: party\n"
        "    verified: false\n"
        "    valid_from: 2020-01-01\n"
        "    bases: [appointed]\n"
        "    applies_when:\n"
        "      - {fact: event.kind, eq: bau-cu}\n"
        "    requires:\n"
        "      condition: ky-luat\n"
        "      test: [{fact: person.party_member, eq: true}]\n"
        "    deadline: {before: event}\n",
        encoding="utf-8",
    )
    book = load_rulebook(root, ["national"])
    ds = dataset([person("A"), person("B", party_member_since=D(2000, 1, 1)), person("C", born=BORN_1965)], [
        appt("A", "HA-CT", D(2022, 1, 1), kind="bau-cu"),
        appt("B", "HA-CT", D(2023, 1, 1), kind="bau-cu"),
        appt("C", "SYT-GD", D(2024, 1, 1), kind="bau-cu"),  # unknown party membership and an age violation
    ])
    a, b, c = run(ds, book=book).appointments
    [fa] = by_rule(a, "PARTY-")
    assert fa.status == "unknown" and fa.unknown_fields == ["people.party_member_since"]
    assert a.status == "unknown" and b.status == "ok" and c.status == "violation"
    assert run(ds, book=book).summary == {"total": 3, "ok": 1, "violation": 1, "unknown": 1}


# -- summaries by unit and by year --------------------------------------------------------------

def test_summary_by_unit_and_year() -> None:
    old = D(1962, 1, 1)  # too close to retirement for any appointment after 08/2021
    ds = dataset([person("A"), person("B", born=old), person("C"), person("D", born=old), person("E")], [
        appt("A", "SNV-TP", D(2022, 3, 1)),  # ok
        appt("B", "HA-NV-TP", D(2022, 6, 1)),  # age violation
        appt("C", "HA-CT", D(2023, 2, 1), kind="bau-cu"),  # ok
        appt("D", "HA-NV-1-TT", D(2023, 7, 1)),  # age violation
        appt("E", "SYT-GD", D(2024, 6, 1)),  # cao cấp violation
        appt("A", "SNV-GD", D(2020, 5, 1), kind="dieu-dong", end=D(2021, 1, 1)),  # not audited
    ])
    report = run(ds)
    assert report.summary == {"total": 5, "ok": 2, "violation": 3, "unknown": 0}
    assert [(u, t.total, t.ok, t.violation, t.unknown, t.rate) for u, t in report.by_unit()] == [
        ("HA", 1, 1, 0, 0, 0.0), ("HA-NV", 1, 0, 1, 0, 1.0), ("HA-NV-1", 1, 0, 1, 0, 1.0),
        ("SNV", 1, 1, 0, 0, 0.0), ("SYT", 1, 0, 1, 0, 1.0)]
    assert [(y, t.total, t.ok, t.violation, t.rate) for y, t in report.by_year()] == [
        (2022, 2, 1, 1, 0.5), (2023, 2, 1, 1, 0.5), (2024, 1, 0, 1, 1.0)]
    payload = report.to_json()
    assert payload["by_year"][0] == {"year": 2022, "total": 2, "ok": 1, "violation": 1, "unknown": 0, "rate": 0.5}
    assert payload["by_unit"][0]["name"] == "UBND huyện An Bình"
    assert {(r["unit"], r["year"]) for r in payload["by_unit_year"]} == {
        ("HA", 2023), ("HA-NV", 2022), ("HA-NV-1", 2023), ("SNV", 2022), ("SYT", 2024)}
    # restricted to a subtree and a period
    sub = run(ds, unit="HA", date_from=D(2023, 1, 1), date_to=D(2023, 12, 31))
    assert sub.summary == {"total": 2, "ok": 1, "violation": 1, "unknown": 0}
    assert report.has_violation and not run(ds, person="A").has_violation


def test_tally_rate_with_no_appointments() -> None:
    assert Tally().rate == 0.0
    assert Tally(3, 2, 1, 0).rate == 0.3333


def test_empty_period() -> None:
    ds = dataset([person("A")], [appt("A", "SNV-TP", D(2022, 3, 1))])
    report = run(ds, date_from=D(2023, 1, 1), date_to=D(2023, 12, 31))
    assert report.appointments == [] and report.summary == {"total": 0, "ok": 0, "violation": 0, "unknown": 0}
    assert report.to_json()["by_unit"] == []


# -- the real national pack --------------------------------------------------------------------------------

def _real_rule(prefix: str) -> tuple[Rulebook, str]:
    book = real_book()
    ids = [r for r in book.rule_ids() if r.startswith(prefix) or prefix in r]
    assert ids, f"no {prefix} rule in rulesets/national"
    return book, ids[0]


@pytest.mark.parametrize(("start", "status"), [(D(2021, 8, 15), "met"), (D(2021, 9, 1), "violation")])
def test_real_pack_exactly_60_months(start: dt.date, status: str) -> None:
    book, rule_id = _real_rule("AGE-")
    ds = dataset([person("A", born=BORN_1965)], [appt("A", "SNV-TP", start, submitted=start)])
    item = only(run(ds, book=book))
    found = [f for f in item.findings if f.rule == rule_id]
    assert found, f"{rule_id} does not apply to a first appointment as cấp phòng in the real pack"
    assert found[0].status == status
    if status == "violation":
        assert item.status == "violation"


def test_real_pack_rule_window_day_before_and_day_of() -> None:
    book, rule_id = _real_rule("CAOCAP")
    effective = book.versions(rule_id)[0].rule.valid_from
    ds = dataset([person("A"), person("B")], [
        appt("A", "SNV-GD", effective - dt.timedelta(days=1), end=effective - dt.timedelta(days=1)),
        appt("B", "SYT-GD", effective),
    ])
    before, on = run(ds, book=book).appointments
    assert not [f for f in before.findings if f.rule == rule_id]
    assert [f.status for f in on.findings if f.rule == rule_id] == ["violation"]
    assert on.status == "violation"


def test_real_pack_certificate_after_the_appointment() -> None:
    book, rule_id = _real_rule("CAOCAP")
    effective = book.versions(rule_id)[0].rule.valid_from
    later = effective + dt.timedelta(days=200)
    ds = dataset([person("A")], [appt("A", "SYT-GD", effective + dt.timedelta(days=10))],
                 [Credential(person="A", programme="llct-cao-cap", completed=later)])
    item = only(run(ds, book=book))
    found = [f for f in item.findings if f.rule == rule_id]
    assert [f.status for f in found] == ["violation"] and found[0].met_later == later
