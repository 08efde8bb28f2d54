"""Bad input and bad luck (issue 14): each defect found by the battery of bad inputs, with the test that
guards it. Problems are matched by their stable code (engine.errors.PROBLEM_CODES), not by their prose."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import shutil
import time
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from cli.main import cli
from engine.errors import PROBLEM_CODES, InputError, Problem
from engine.loading import load_dataset
from engine.rules.loader import load_rulebook

ROOT = Path(__file__).resolve().parent.parent
MINIMAL = Path(__file__).parent / "data" / "minimal"
RULESETS = ROOT / "rulesets"


def dataset_with(tmp_path: Path, files: dict[str, str | bytes], drop: tuple[str, ...] = ()) -> Path:
    root = tmp_path / "ds"
    shutil.copytree(MINIMAL, root)
    for name in drop:
        (root / name).unlink()
    for name, content in files.items():
        if isinstance(content, bytes):
            (root / name).write_bytes(content)
        else:
            (root / name).write_text(content, encoding="utf-8")
    return root


def problems_of(root: Path, **kwargs: object) -> list[Problem]:
    with pytest.raises(InputError) as info:
        load_dataset(root, **kwargs)  # type: ignore[arg-type]
    return info.value.problems


def codes_of(root: Path, **kwargs: object) -> list[tuple[str, str]]:
    """(file name, code) of every problem."""
    return [(Path(p.file.split("[")[0]).name, p.code) for p in problems_of(root, **kwargs)]


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    return result.exit_code, result.output


# -- 14.1 nothing is silently ignored ---------------------------------------------------------------------
@pytest.mark.parametrize("name", ["people.xlsm", "units.ods", "ratings.tsv", "people.json", "courses.xls",
                                  "plans.yml", "extra.tsv"])
def test_a_table_file_of_another_suffix_is_an_error(tmp_path: Path, name: str) -> None:
    root = dataset_with(tmp_path, {name: "id,name\n"})
    assert (name, "unsupported-file") in codes_of(root)
    assert any(".csv, .yaml, .xlsx" in p.message for p in problems_of(root))


def test_other_files_are_not_read_and_the_user_is_told(tmp_path: Path) -> None:
    root = dataset_with(tmp_path, {"README.md": "# notes\n", "ghi-chu.docx": b"PK"})
    assert load_dataset(root).ignored == ["README.md", "ghi-chu.docx"]
    result = CliRunner().invoke(cli, ["validate", "--data", str(root)])
    assert result.exit_code == 0 and "README.md, ghi-chu.docx" in result.output


@pytest.mark.parametrize("content", ["", "   \n\n", "\ufeff\n"])
@pytest.mark.parametrize("name", ["units.yaml", "ratings.yaml", "people.csv"])
def test_an_empty_table_file_is_an_error(tmp_path: Path, name: str, content: str) -> None:
    drop = ("people.yaml",) if name == "people.csv" else ()
    root = dataset_with(tmp_path, {name: content}, drop=drop)
    found = codes_of(root)
    assert found[0] == (name, "empty-file")
    assert all(code == "table-unreadable" for _name, code in found[1:]), found


def test_a_yaml_table_with_no_document_is_refused_like_a_null(tmp_path: Path) -> None:
    assert codes_of(dataset_with(tmp_path, {"ratings.yaml": "# nothing yet\n"})) == [("ratings.yaml", "not-a-list")]
    assert codes_of(dataset_with(tmp_path / "b", {"ratings.yaml": "~\n"})) == [("ratings.yaml", "not-a-list")]


def test_an_empty_table_with_its_header_is_fine(tmp_path: Path) -> None:
    root = dataset_with(tmp_path, {"ratings.csv": "person,year,rating\n", "disciplines.yaml": "[]\n"},
                        drop=("ratings.yaml",))
    dataset = load_dataset(root)
    assert dataset.ratings == [] and dataset.disciplines == []


def test_a_formula_without_a_cached_value_is_an_error_naming_sheet_row_and_column(tmp_path: Path) -> None:
    root = dataset_with(tmp_path, {}, drop=("units.yaml",))
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "units"
    sheet.append(["id", "name", "level", "parent"])
    sheet.append(["TINH", "Ủy ban nhân dân tỉnh", "tinh", None])
    sheet.append(["SNV", '=CONCAT("Sở ", "Nội vụ")', "tinh", "TINH"])  # openpyxl stores no computed value
    book.save(root / "units.xlsx")
    problem = next(p for p in problems_of(root) if p.code == "formula-without-value")
    assert problem.file.endswith("units.xlsx[units]") and problem.line == 3 and problem.field.startswith("B")
    assert "open and save the workbook in Excel" in problem.message


def _rulesets(tmp_path: Path) -> Path:
    root = tmp_path / "rulesets"
    shutil.copytree(RULESETS, root)
    return root


def _rule_codes(root: Path, packs: list[str] | None = None) -> list[str]:
    with pytest.raises(InputError) as info:
        load_rulebook(root, packs or ["national"])
    return [p.code for p in info.value.problems]


def test_an_empty_rule_file_is_refused(tmp_path: Path) -> None:
    root = _rulesets(tmp_path)
    (root / "national" / "blank.yaml").write_text("\n")
    assert "rule-file-empty" in _rule_codes(root)
    (root / "national" / "blank.yaml").write_text("rules: []\n")
    assert _rule_codes(root) == ["invalid-rule"]  # the schema wants one rule at least


def test_a_yml_rule_file_is_refused(tmp_path: Path) -> None:
    root = _rulesets(tmp_path)
    shutil.copy(root / "national" / "llct.yaml", root / "national" / "llct2.yml")
    assert _rule_codes(root) == ["rule-file-misnamed"]


def test_a_pack_folder_without_pack_yaml_is_refused_by_every_command(tmp_path: Path) -> None:
    root = _rulesets(tmp_path)
    (root / "local" / "ha-noi").mkdir()
    shutil.copy(root / "national" / "llct.yaml", root / "local" / "ha-noi" / "llct.yaml")
    assert "stray-rule-file" in _rule_codes(root)
    code, out = invoke("rules", "verify", "--rulesets", str(root))
    assert code == 1 and "[stray-rule-file]" in out
    code, out = invoke("validate", "--data", str(MINIMAL), "--rulesets", str(root))
    assert code == 1 and "[stray-rule-file]" in out


# -- 14.2 implausible data ------------------------------------------------------------------------------
def _people(**changes: str) -> str:
    text = (MINIMAL / "people.yaml").read_text(encoding="utf-8")
    for old, new in changes.items():
        text = text.replace(old, new)
    return text


@pytest.mark.parametrize(("born", "field"), [("2026-06-01", "birth_date"), ("1920-01-01", "birth_date")])
def test_a_birth_date_after_the_as_of_date_or_over_100_years_before_is_an_error(tmp_path: Path, born: str,
                                                                               field: str) -> None:
    problems = problems_of(dataset_with(tmp_path, {"people.yaml": _people(**{"1975-04-12": born})}))
    assert [(p.line, p.code) for p in problems if p.field == field] == [(3, "implausible-date")]


def test_career_records_before_the_age_of_15_are_errors(tmp_path: Path) -> None:
    # P1 born 1975-04-12: grade in 1985, an appointment in 1989, a credential before birth
    appointments = (MINIMAL / "appointments.yaml").read_text(encoding="utf-8").replace("2021-03-01", "1989-01-01", 1)
    credentials = (MINIMAL / "credentials.yaml").read_text(encoding="utf-8").replace("2018-06-30", "1970-01-01", 1)
    root = dataset_with(tmp_path, {"people.yaml": _people(**{"2015-07-01": "1985-07-01"}),
                                   "appointments.yaml": appointments, "credentials.yaml": credentials})
    found = {(Path(p.file).name, p.field) for p in problems_of(root) if p.code == "implausible-date"}
    assert found == {("people.yaml", "grade_since"), ("appointments.yaml", "start"),
                     ("credentials.yaml", "completed")}


def test_a_plan_term_ending_before_it_starts_is_an_error(tmp_path: Path) -> None:
    plans = (MINIMAL / "plans.yaml").read_text(encoding="utf-8").replace("2026-2031", "2031-2026")
    problems = problems_of(dataset_with(tmp_path, {"plans.yaml": plans}))
    assert [(p.field, p.code) for p in problems] == [("term", "implausible-date")]


def test_a_manifest_as_of_outside_1945_2100_is_an_error(tmp_path: Path) -> None:
    manifest = (MINIMAL / "dataset.yaml").read_text(encoding="utf-8").replace("2026-01-15", "2226-01-15")
    problems = problems_of(dataset_with(tmp_path, {"dataset.yaml": manifest}))
    assert [(Path(p.file).name, p.field, p.code) for p in problems] == [("dataset.yaml", "as_of", "implausible-date")]


@pytest.mark.parametrize("option", [["validate", "--as-of", "1900-01-01"], ["audit", "--from", "2200-01-01"],
                                    ["check", "P1", "--for-position", "SNV-GD", "--on", "01/01/1066"]])
def test_date_options_outside_1945_2100_are_usage_errors(option: list[str]) -> None:
    code, out = invoke(*option, "--data", str(MINIMAL))
    assert code == 2 and "1945–2100" in out


# -- 14.3 no formula reaches a spreadsheet ----------------------------------------------------------------
DDE = "=cmd|' /C calc'!A0"
LINK = '=HYPERLINK("http://example.invalid/x","bấm vào đây")'


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    """The minimal dataset with a DDE payload as P1's id (everywhere it is used) and a HYPERLINK as a name."""
    root = dataset_with(tmp_path, {})
    for path in root.glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        text = re.sub(r"\bP1\b", json.dumps(DDE), text).replace("Nguyễn Văn An", json.dumps(LINK)[1:-1])
        path.write_text(text.replace(f"full_name: {json.dumps(LINK)[1:-1]}", f"full_name: {json.dumps(LINK)}"),
                        encoding="utf-8")
    assert load_dataset(root).people[0].full_name == LINK
    return root


FORMULA = re.compile(r"^[=+\-@\t\r]")


def test_csv_exports_neutralise_formulas_ids_included(hostile: Path) -> None:
    code, out = invoke("check", "--all", "--data", str(hostile), "--format", "csv", "--jobs", "1")
    assert code == 0
    cells = [cell for row in csv.reader(io.StringIO(out)) for cell in row]
    assert not [cell for cell in cells if FORMULA.match(cell)]
    assert "'" + DDE in cells


def test_xlsx_exports_neutralise_formulas_in_cells_and_titles(hostile: Path, tmp_path: Path) -> None:
    target = tmp_path / "p1.xlsx"
    code, out = invoke("check", DDE, "--data", str(hostile), "--format", "xlsx", "--output", str(target))
    assert code == 0, out
    sheet = openpyxl.load_workbook(target).active
    values = [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    assert not [v for v in values if FORMULA.match(v)]
    assert any(LINK in v for v in values if v.startswith("'") or "HYPERLINK" in v)
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)


def test_a_workbook_dtbd_wrote_reads_back_as_it_was(hostile: Path, tmp_path: Path) -> None:
    from engine.loading.xlsx_writer import dataset_to_xlsx

    dataset = load_dataset(hostile)
    folder = tmp_path / "back"
    folder.mkdir()
    shutil.copy(hostile / "dataset.yaml", folder / "dataset.yaml")
    dataset_to_xlsx(dataset, folder / "data.xlsx")
    again = load_dataset(folder)
    assert again.people[0].id == DDE and again.people[0].full_name == LINK


# -- 14.4 control characters ----------------------------------------------------------------------------
@pytest.mark.parametrize("value", ['"Nguyễn\\0An"', '"Nguyễn\\eAn"', '"Nguyễn\\x85An"', '"Nguyễn\\x07An"'])
def test_control_characters_in_yaml_text_are_errors(tmp_path: Path, value: str) -> None:
    problems = problems_of(dataset_with(tmp_path, {"people.yaml": _people(**{"Nguyễn Văn An": value})}))
    assert [(p.line, p.field, p.code) for p in problems] == [(2, "full_name", "control-character")]
    assert "\\x" in str(problems[0]) and not re.search(r"[\x00-\x08\x1b\x7f-\x9f]", str(problems[0]))


def test_control_characters_in_csv_are_errors_and_shown_escaped(tmp_path: Path) -> None:
    people = "id,full_name,birth_date,gender,category,unit\nP1,Nguyễn\x1b[31mAn,1975-04-12,nam,cong-chuc,SNV\n" \
             "P2,Lê Thị Bình,1984-09-12,nu,cong-chuc,SNV\n"
    problems = problems_of(dataset_with(tmp_path, {"people.csv": people}, drop=("people.yaml",)))
    assert [(p.line, p.field, p.code) for p in problems] == [(2, "full_name", "control-character")]
    assert "\x1b" not in str(problems[0]) and "\\x1b" in str(problems[0])


def test_an_invisible_character_in_an_id_is_visible_in_the_message(tmp_path: Path) -> None:
    appointments = (MINIMAL / "appointments.yaml").read_text(encoding="utf-8").replace(
        "position: SNV-GD", "position: SNV-GD\u200b", 1)
    problems = problems_of(dataset_with(tmp_path, {"appointments.yaml": appointments}))
    assert [p.code for p in problems] == ["dangling-reference"]
    assert "SNV-GD\\u200b" in str(problems[0])


# -- 14.8 hostile structure -----------------------------------------------------------------------------
def test_a_yaml_alias_bomb_is_refused_quickly(tmp_path: Path) -> None:
    lines = ["- id: &a0 [x, x, x, x, x, x, x, x, x]"]
    for level in range(1, 9):
        lines.append(f"  f{level}: &a{level} [{', '.join([f'*a{level - 1}'] * 9)}]")
    root = dataset_with(tmp_path, {"units.yaml": "\n".join(lines) + "\n"})
    start = time.perf_counter()
    found = codes_of(root)
    assert time.perf_counter() - start < 5
    assert found[0] == ("units.yaml", "yaml-alias")


def test_a_set_row_is_an_error_naming_its_line(tmp_path: Path) -> None:
    units = (MINIMAL / "units.yaml").read_text(encoding="utf-8") + "- !!set {a, b}\n"
    problems = problems_of(dataset_with(tmp_path, {"units.yaml": units}))
    assert (problems[0].line, problems[0].code) == (8, "not-a-mapping")


def test_an_impossible_date_in_a_rule_file_names_file_and_line(tmp_path: Path) -> None:
    root = _rulesets(tmp_path)
    path = root / "national" / "llct.yaml"
    text = path.read_text(encoding="utf-8")
    first = re.search(r"valid_from: \d{4}-\d{2}-\d{2}", text)
    assert first is not None
    path.write_text(text[:first.start()] + "valid_from: 2025-02-30" + text[first.end():], encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_rulebook(root, ["national"])
    (problem,) = info.value.problems
    assert problem.file.endswith("llct.yaml") and problem.line == text[:first.start()].count("\n") + 1


def test_a_rule_file_nested_200_deep_is_a_problem_not_a_traceback(tmp_path: Path) -> None:
    root = _rulesets(tmp_path)
    (root / "national" / "deep.yaml").write_text("rules:\n  - " + "{a: " * 200 + "1" + "}" * 200 + "\n")
    codes = _rule_codes(root)
    assert codes and set(codes) <= set(PROBLEM_CODES)


def test_cycle_detection_is_linear_in_the_depth(tmp_path: Path) -> None:
    depth = 3000
    units = ["id,name,level,parent", "U0,Gốc,tinh,"]
    units += [f"U{i},Đơn vị {i},tinh,U{i - 1}" for i in range(1, depth)]
    units += ["TINH,Tỉnh,tinh,", "SNV,Sở,tinh,TINH", "C1,Vòng,tinh,C2", "C2,Vòng,tinh,C1"]
    root = dataset_with(tmp_path, {"units.csv": "\n".join(units) + "\n"}, drop=("units.yaml",))
    start = time.perf_counter()
    problems = problems_of(root)
    assert time.perf_counter() - start < 1
    assert [(p.code, p.value) for p in problems] == [("cycle", "C1")]
    assert "C1 → C2 → C1" in problems[0].message


# -- 14.9 rule packs stay inside their folder -----------------------------------------------------------
@pytest.mark.parametrize("pack", ["../rulesets/national", "/etc", "local/../../x"])
def test_a_pack_named_outside_the_rulesets_folder_is_refused(pack: str) -> None:
    with pytest.raises(InputError) as info:
        load_rulebook(RULESETS, ["national", pack])
    assert [p.code for p in info.value.problems] == ["pack-outside-folder"]


# -- 14.10 options are checked --------------------------------------------------------------------------
@pytest.mark.parametrize("jobs", ["0", "65", "-1"])
@pytest.mark.parametrize("command", [["check", "--all"], ["audit"], ["plan"]])
def test_jobs_must_be_1_to_64(command: list[str], jobs: str) -> None:
    code, out = invoke(*command, "--jobs", jobs, "--data", str(MINIMAL))
    assert code == 2 and "--jobs" in out


def test_more_jobs_than_chunks_start_no_idle_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    from engine import batch

    seen: list[int] = []
    monkeypatch.setattr(batch, "in_order", lambda func, tasks, jobs, what: seen.append(jobs) or iter(()))
    dataset = load_dataset(MINIMAL)
    book = load_rulebook(RULESETS, ["national"])
    ids = [p.id for p in dataset.people] * 3
    list(batch.run_chunks(book, dataset, ids, dt.date(2026, 1, 15), lambda ev, part, day: part, jobs=64,
                          chunk_size=2))
    assert seen == [3]


# -- 11 one cause, one message, and 12.5 codes ------------------------------------------------------------
def test_a_csv_with_the_wrong_delimiter_is_one_cause_and_a_summary(tmp_path: Path) -> None:
    # `;` and tabs are read as delimiters (engine.intake.delimiter, tests/test_intake.py); `|` is not.
    units = "id|name|level\nTINH|Tỉnh|tinh\nSNV|Sở|tinh\n"
    found = codes_of(dataset_with(tmp_path, {"units.csv": units}, drop=("units.yaml",)))
    assert "dangling-reference" not in {code for _name, code in found}
    causes = [code for _name, code in found if code != "table-unreadable"]
    assert causes[0] == "unknown-field" and found[-1][1] == "table-unreadable"
    assert sum(code == "table-unreadable" for _name, code in found) == 3  # positions, people, quotas


def test_every_problem_code_is_kebab_case_and_listed_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for code in PROBLEM_CODES:
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", code)
        assert f"`{code}`" in readme, code


def test_a_problem_with_an_unknown_code_cannot_be_made() -> None:
    with pytest.raises(ValueError, match="unknown problem code"):
        Problem("f", 1, None, "m", code="no-such-code")


def test_the_code_is_printed_with_the_message_and_given_in_json() -> None:
    broken = str(Path(__file__).parent / "broken" / "unknown-field")
    code, out = invoke("validate", "--data", broken)
    assert code == 1 and "[unknown-field]" in out
    code, out = invoke("validate", "--data", broken, "--json")
    assert code == 1 and [p["code"] for p in json.loads(out)["problems"]] == ["unknown-field"]


def test_fail_on_findings_is_an_exception_class_with_exit_3() -> None:
    from engine.errors import DtbdError, FindingsFound

    assert issubclass(FindingsFound, DtbdError) and FindingsFound.exit_code == 3
    code, out = invoke("check", "P2", "--data", str(MINIMAL), "--fail-on-findings")
    assert code == 3 and "Lỗi" not in out
