"""The synthetic dataset generator and the demo fixtures: deterministic, and valid by construction.

The checks read the files back on their own (csv/yaml), independently of the strict loader, then
ask the loader too when it is installed.
"""

from __future__ import annotations

import csv
import datetime as dt
import filecmp
import importlib.util
import itertools
import sys
import unicodedata
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from cli.main import cli
from engine import codes
from engine import generate as gen
from engine.model import TABLES

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
DEMOS = ("demo", "demo-thanh-hoa", "demo-dong-nai")

Table = list[dict[str, Any]]


def read_tables(root: Path) -> dict[str, Table]:
    """Every table of a dataset folder as a list of dicts of text (absent or empty cells dropped)."""
    tables: dict[str, Table] = {}
    for name in TABLES:
        csv_path, yaml_path = root / f"{name}.csv", root / f"{name}.yaml"
        assert csv_path.exists() != yaml_path.exists(), f"{name}: exactly one file expected in {root}"
        if csv_path.exists():
            with csv_path.open(encoding="utf-8", newline="") as handle:
                reader = csv.DictReader(handle)
                assert reader.fieldnames == list(TABLES[name].model_fields), f"{name}.csv header"
                rows = [{k: v for k, v in row.items() if v != ""} for row in reader]
        else:
            loaded = yaml.safe_load(yaml_path.read_text(encoding="utf-8")) or []
            rows = [{k: (v.isoformat() if isinstance(v, dt.date) else str(v)) for k, v in row.items()}
                    for row in loaded]
            for row in rows:
                assert set(row) <= set(TABLES[name].model_fields), f"{name}.yaml: unknown field in {row}"
        tables[name] = rows
    return tables


def date(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


CODE_FIELDS: dict[str, dict[str, codes.CodeList]] = {
    "units": {"level": codes.UNIT_LEVEL},
    "positions": {"tier": codes.TIER, "role": codes.ROLE, "sector": codes.SECTOR, "managed_by": codes.MANAGED_BY},
    "people": {"gender": codes.GENDER, "category": codes.CATEGORY, "education": codes.EDUCATION,
               "grade": codes.GRADE},
    "credentials": {"programme": codes.PROGRAMME, "evidence": codes.EVIDENCE},
    "appointments": {"kind": codes.APPOINTMENT_KIND},
    "ratings": {"rating": codes.RATING},
    "disciplines": {"kind": codes.DISCIPLINE},
    "courses": {"programme": codes.PROGRAMME, "mode": codes.MODE},
    "quotas": {"programme": codes.PROGRAMME, "mode": codes.MODE},
}
REFERENCES = (
    ("units", "parent", "units"), ("positions", "unit", "units"), ("positions", "reports_to", "positions"),
    ("people", "unit", "units"), ("credentials", "person", "people"), ("appointments", "person", "people"),
    ("appointments", "position", "positions"), ("plans", "person", "people"), ("plans", "position", "positions"),
    ("ratings", "person", "people"), ("disciplines", "person", "people"), ("quotas", "unit", "units"),
)


def overlaps(rows: Table) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    """Pairs of consecutive appointments (by start) that run on a common day; `end` is the handover day."""
    ordered = sorted(rows, key=lambda r: (r["start"], r.get("end") or "9999"))
    for before, after in itertools.pairwise(ordered):
        if before.get("end") is None or after["start"] < before["end"]:
            yield before, after


def problems(tables: dict[str, Table], as_of: dt.date, declared: frozenset[str] = frozenset()) -> list[str]:
    """What is wrong with the tables; `declared`: programme codes the dataset's rule packs add to the glossary's."""
    found: list[str] = []
    ids = {}
    for name in ("units", "positions", "people", "courses"):
        values = [r["id"] for r in tables[name]]
        ids[name] = set(values)
        if len(values) != len(ids[name]):
            found.append(f"duplicate ids in {name}")
    for table, name, target in REFERENCES:
        found += [f"{table}.{name} {r[name]} unresolved" for r in tables[table]
                  if name in r and r[name] not in ids[target]]
    for table, fields in CODE_FIELDS.items():
        for row in tables[table]:
            found += [f"{table}.{f} {row[f]}" for f, code_list in fields.items()
                      if f in row and row[f] not in code_list and not (f == "programme" and row[f] in declared)]
    for person in tables["people"]:
        if not codes.is_ethnic_slug(person.get("ethnicity", "kinh")):
            found.append(f"ethnicity {person['ethnicity']}")
        if unicodedata.normalize("NFC", person["full_name"]) != person["full_name"]:
            found.append(f"name not NFC: {person['full_name']}")
        if person.get("grade_since") and not person.get("grade"):
            found.append(f"{person['id']} grade_since without grade")
    by_position: dict[str, Table] = defaultdict(list)
    by_person_post: dict[tuple[str, str], Table] = defaultdict(list)
    for row in tables["appointments"]:
        by_position[row["position"]].append(row)
        by_person_post[row["person"], row["position"]].append(row)
        if row.get("end") and row["end"] < row["start"]:
            found.append(f"end before start: {row}")
    found += [f"post held twice: {a} / {b}" for rows in by_position.values() for a, b in overlaps(rows)]
    found += [f"same post twice at once: {a} / {b}" for rows in by_person_post.values() for a, b in overlaps(rows)]
    found += [f"credential after as_of: {r}" for r in tables["credentials"] if date(r["completed"]) > as_of]
    for table, first, later in (("courses", "start", "end"), ("plans", "approved", "removed"),
                                ("disciplines", "effective", "ends")):
        found += [f"{table}: {later} before {first}" for r in tables[table] if r.get(later) and r[later] < r[first]]
    years = [(r["person"], r["year"]) for r in tables["ratings"]]
    if len(years) != len(set(years)):
        found.append("two ratings for one person and year")
    return found


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("gen") / "data"
    gen.generate_dataset(300, 11, out)
    return out


def test_same_seed_same_bytes(generated: Path, tmp_path: Path) -> None:
    again, other = tmp_path / "again", tmp_path / "other"
    gen.generate_dataset(300, 11, again)
    gen.generate_dataset(300, 12, other)
    names = sorted(p.name for p in generated.iterdir())
    assert names == sorted(p.name for p in again.iterdir())
    _, mismatch, errors = filecmp.cmpfiles(generated, again, names, shallow=False)
    assert (mismatch, errors) == ([], [])
    assert (generated / "people.csv").read_bytes() != (other / "people.csv").read_bytes()


def test_generated_dataset_is_consistent(generated: Path) -> None:
    tables = read_tables(generated)
    assert len(tables["people"]) == 300
    assert problems(tables, gen.AS_OF) == []
    manifest = yaml.safe_load((generated / "dataset.yaml").read_text(encoding="utf-8"))
    assert manifest["rulesets"] == ["national"] and manifest["as_of"] == gen.AS_OF
    assert manifest["demo_person"] in {p["id"] for p in tables["people"]}


def test_shape_of_a_province(generated: Path) -> None:
    tables = read_tables(generated)
    units = tables["units"]
    assert sum(u["level"] == "huyen" for u in units) >= 2
    assert all(u.get("dissolved") == "2025-07-01" for u in units if u["level"] == "huyen")
    assert sum(u["id"].startswith("S") and u.get("parent") == "UBND" for u in units) >= 3  # departments
    district_posts = {p["id"] for p in tables["positions"] if p["unit"].startswith("H")}
    commune_posts = {p["id"] for p in tables["positions"] if p["unit"].startswith("X")}
    for row in tables["appointments"]:
        if row["position"] in district_posts:
            assert row.get("end") is not None and row["end"] <= "2025-07-01", row
        if row["position"] in commune_posts:
            assert row["start"] >= "2025-07-01", row
    kinds = {a["kind"] for a in tables["appointments"]}
    assert {"bo-nhiem", "bo-nhiem-lai", "bau-cu", "dieu-dong"} <= kinds
    categories = {p["category"] for p in tables["people"]}
    assert {"cong-chuc", "vien-chuc", "can-bo", "cbcc-cap-xa"} <= categories
    assert {c["id"] for c in tables["courses"]} >= {"K26-LDP-01", "K27-CC-TT-01", "K27-CVCC-01"}


def test_people_hold_one_post_at_a_time(generated: Path) -> None:
    tables = read_tables(generated)
    by_person: dict[str, Table] = defaultdict(list)
    for row in tables["appointments"]:
        by_person[row["person"]].append(row)
    assert [pair for rows in by_person.values() for pair in overlaps(rows)] == []


def test_yaml_holds_the_same_rows_as_csv(tmp_path: Path) -> None:
    gen.generate_dataset(120, 5, tmp_path / "csv")
    gen.generate_dataset(120, 5, tmp_path / "yaml", fmt="yaml")
    assert read_tables(tmp_path / "csv") == read_tables(tmp_path / "yaml")


def test_larger_and_several_provinces(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(gen, "PEOPLE_PER_PROVINCE", 1500)
    gen.generate_dataset(3100, 3, tmp_path)
    tables = read_tables(tmp_path)
    assert len(tables["people"]) == 3100
    assert {u["id"][:4] for u in tables["units"]} == {"T01-", "T02-", "T03-"}
    assert problems(tables, gen.AS_OF) == []


def test_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    runner = CliRunner()
    args = ["generate", "--people", "40", "--seed", "2", "--out", str(tmp_path)]
    first = runner.invoke(cli, args)
    assert first.exit_code == 0, first.output
    assert (tmp_path / "people.csv").exists() and (tmp_path / "dataset.yaml").exists()
    second = runner.invoke(cli, args)
    assert second.exit_code == 1 and "--force" in second.output
    third = runner.invoke(cli, [*args, "--format", "yaml", "--force"])
    assert third.exit_code == 0, third.output
    assert (tmp_path / "people.yaml").exists() and not (tmp_path / "people.csv").exists()


def test_retirement_age_follows_the_2019_labour_code() -> None:
    # HD 06-HD/BTCTW example: a man born in 02/1965 retires at 61 years 6 months (08/2026).
    assert gen.retirement_date(dt.date(1965, 2, 10), "nam") == dt.date(2026, 8, 31)
    assert gen.retirement_date(dt.date(1950, 5, 1), "nam") == dt.date(2010, 5, 31)  # 60 before 2021
    assert gen.retirement_date(dt.date(1980, 1, 1), "nu") == dt.date(2040, 1, 31)  # 60 from 2035
    assert gen.retirement_date(dt.date(1967, 10, 3), "nu") == dt.date(2023, 10, 31)  # 56 in 2023


def test_yaml_scalars_read_back_as_written() -> None:
    for value in ("Sở Nội vụ", "01.001", "2025-2030", "no", "Trưởng phòng Tổ chức, biên chế", "a: b", "CB0001"):
        assert yaml.safe_load(f"v: {gen.yaml_scalar(value)}")["v"] == value


@pytest.mark.parametrize("folder", DEMOS)
def test_demo_fixture_is_consistent(folder: str) -> None:
    root = FIXTURES / folder
    tables = read_tables(root)
    manifest = yaml.safe_load((root / "dataset.yaml").read_text(encoding="utf-8"))
    assert manifest["as_of"] == dt.date(2026, 11, 23)
    assert manifest["demo_person"] in {p["id"] for p in tables["people"]}
    assert len(tables["people"]) >= 300
    for name in ("people", "credentials", "appointments", "ratings"):
        assert (root / f"{name}.csv").exists()
    from engine.workspace import open_dataset

    # Thanh Hóa's pack declares its yearly refresher programmes (rulesets/local/thanh-hoa/programmes.yaml)
    declared = frozenset(c for c, p in open_dataset(root).book.programmes.items() if p.declared_by)
    assert problems(tables, manifest["as_of"], declared) == []


def _make_demo() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_demo", FIXTURES / "make_demo.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    try:
        spec.loader.exec_module(module)
    finally:
        del sys.modules[spec.name]
    return module


def test_demo_fixtures_are_what_the_script_writes(tmp_path: Path) -> None:
    make_demo = _make_demo()
    make_demo.write(make_demo.build(), tmp_path)
    for folder in DEMOS:
        names = sorted(p.name for p in (FIXTURES / folder).iterdir())
        assert names == sorted(p.name for p in (tmp_path / folder).iterdir())
        _, mismatch, errors = filecmp.cmpfiles(FIXTURES / folder, tmp_path / folder, names, shallow=False)
        assert (mismatch, errors) == ([], []), "run .venv/bin/python fixtures/make_demo.py"
    assert (FIXTURES / "README.md").read_text(encoding="utf-8") == (tmp_path / "README.md").read_text(encoding="utf-8")


def test_strict_loader_accepts_generated_and_demo(generated: Path, tmp_path: Path) -> None:
    from engine import loading

    assert len(loading.load_dataset(generated).people) == 300
    gen.generate_dataset(80, 4, tmp_path, fmt="yaml")
    assert len(loading.load_dataset(tmp_path).people) == 80
    from engine.workspace import open_dataset

    for folder in DEMOS:  # with the packs its manifest names (Thanh Hóa's declare its refresher programmes)
        dataset = open_dataset(FIXTURES / folder).dataset
        assert dataset.manifest.demo_person in dataset.person_by_id
