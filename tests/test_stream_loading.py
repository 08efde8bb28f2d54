"""The streaming loader (engine.loading.stream): the same rows and the same problems as the whole loader,
whatever the order of the files, however the people are cut into chunks."""

from __future__ import annotations

import csv
import io
import random
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from engine.errors import InputError, Problem
from engine.loading import load_dataset
from engine.loading.stream import PER_PERSON, StreamSource, load_chunk, open_stream

HERE = Path(__file__).parent
BROKEN = HERE / "broken"
MINIMAL = HERE / "data" / "minimal"
# Broken cases that are about YAML itself: no CSV twin.
YAML_ONLY = {"bad-yaml-syntax", "duplicate-yaml-key"}


def to_csv(rows: list[dict[str, Any]], header: list[str] | None = None) -> str:
    columns = header or list(dict.fromkeys(key for row in rows for key in row))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if row.get(c) is None else row.get(c) for c in columns])
    return out.getvalue()


def csv_twin(source: Path, target: Path) -> Path:
    """`source` with every YAML table (a list of mappings) written as CSV, cells as written in the YAML."""
    shutil.copytree(source, target)
    for path in sorted(target.glob("*.yaml")):
        if path.name == "dataset.yaml" or path.with_suffix(".csv").exists():
            continue
        rows = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)  # every scalar as text
        if isinstance(rows, list) and rows and all(isinstance(r, dict) for r in rows):
            path.with_suffix(".csv").write_text(to_csv(rows), encoding="utf-8")
            path.unlink()
    return target


def chunks_of(source: StreamSource) -> list[Any]:
    datasets = []
    for spec in source.chunks(evaluate=False):
        dataset, report = load_chunk(source.shared, spec)
        source.add(report)
        datasets.append(dataset)
    return datasets


def stream_problems(root: Path, chunk_size: int = 1, **kwargs: Any) -> list[Problem]:
    with open_stream(root, chunk_size=chunk_size, **kwargs) as source:
        chunks_of(source)
        with pytest.raises(InputError) as info:
            source.finish()
    return info.value.problems


def whole_problems(root: Path, **kwargs: Any) -> list[Problem]:
    with pytest.raises(InputError) as info:
        load_dataset(root, **kwargs)
    return info.value.problems


def assert_same_problems(root: Path, chunk_size: int = 1, **kwargs: Any) -> list[Problem]:
    whole = whole_problems(root, **kwargs)
    assert stream_problems(root, chunk_size, **kwargs) == whole
    return whole


def stream_rows(root: Path, chunk_size: int) -> tuple[dict[str, list[Any]], StreamSource]:
    rows: dict[str, list[Any]] = {table: [] for table in PER_PERSON}
    with open_stream(root, chunk_size=chunk_size) as source:
        for dataset in chunks_of(source):
            for table in PER_PERSON:
                rows[table] += getattr(dataset, table)
        source.finish()
    return rows, source


def assert_same_rows(root: Path, chunk_size: int) -> StreamSource:
    whole = load_dataset(root)
    rows, source = stream_rows(root, chunk_size)
    assert rows["people"] == whole.people  # people keep the file's order
    for table in PER_PERSON[1:]:  # each chunk's rows in file order; chunks in people order
        assert sorted(map(repr, rows[table])) == sorted(map(repr, getattr(whole, table))), table
    assert source.valid_people == len(whole.people)
    return source


def minimal_csv(tmp_path: Path) -> Path:
    return csv_twin(MINIMAL, tmp_path / "ds")


# -- the broken datasets of tests/broken, as CSV ---------------------------------------------------------
@pytest.mark.parametrize("case", sorted(p.name for p in BROKEN.iterdir() if p.is_dir() and p.name not in YAML_ONLY))
def test_broken_dataset_as_csv_gives_the_whole_loaders_problems(case: str, tmp_path: Path) -> None:
    root = csv_twin(BROKEN / case, tmp_path / case)
    assert assert_same_problems(root)  # one person a chunk: every check across people is across chunks
    assert stream_problems(root, chunk_size=1000) == whole_problems(root)


def test_minimal_dataset_streams_to_the_same_rows(tmp_path: Path) -> None:
    assert_same_rows(minimal_csv(tmp_path), chunk_size=1)


# -- problems across chunks ------------------------------------------------------------------------------
PEOPLE = """id,full_name,birth_date,gender,category,unit,grade,grade_since
P1,Nguyễn Văn An,1975-04-12,nam,cong-chuc,SNV,01.002,2015-07-01
P2,Lê Thị Bình,1984-09-12,nu,cong-chuc,SNV,,
P3,Trần Văn Cường,1980-01-01,nam,cong-chuc,SNV,,2020-01-01
P4,Phạm Thị Dung,1990-02-30,nu,cong-chuc,SNV,,
P2,Lê Thị Bình,1984-09-12,nu,cong-chuc,SNV,,
P5,Hoàng Văn Em,1970-05-05,nam,cong-chuc,SNX,,,extra
P4,Phạm Thị Dung,1990-02-03,nu,cong-chuc,SNV,,
P6,Đỗ Văn Phúc,1971-06-06,nam,cong-chuc,SNV,,,more
"""
APPOINTMENTS = """person,position,start,kind,end
P1,SNV-GD,2021-03-01,bo-nhiem,
P3,SNV-GD,2022-01-01,bo-nhiem,2023-01-01
P6,SNV-TP,2019-01-01,bo-nhiem,2018-01-01
P9,SNV-TP,2020-01-01,bo-nhiem,
P9,SNV-TPP,2020-01-01,bo-nhiem,
P2,SNV-TP,2020-06-01,bo-nhiem,
"""
RATINGS = """person,year,rating
P1,2024,hoan-thanh-tot
P7,2024,hoan-thanh
P2,2023,hoan-thanh
P1,2024,hoan-thanh
P7,2024,hoan-thanh-tot
P7,1900,hoan-thanh
P4,2024,hoan-thanh
"""
CREDENTIALS = """person,programme,completed
P1,llct-cao-cap,2018-06-30
P5,llct-cao-cap,2027-01-01
P8,llct-trung-cap,2010-01-01
P3,llct-cao-cap,2019-01-01
"""


def test_problems_across_chunks_are_the_whole_loaders(tmp_path: Path) -> None:
    """Duplicate ids (one of them invalid), unknown people (valid rows and not), a post held by two people of
    different chunks, two ratings of an unknown person, values under no header in two chunks."""
    root = minimal_csv(tmp_path)
    for name, text in (("people", PEOPLE), ("appointments", APPOINTMENTS), ("ratings", RATINGS),
                       ("credentials", CREDENTIALS)):
        (root / f"{name}.csv").write_text(text, encoding="utf-8")
    for size in (1, 2, 3, 100):
        problems = assert_same_problems(root, chunk_size=size)
    text = "\n".join(map(str, problems))
    assert "duplicate id in people" in text and "no such id in people" in text and "also held by" in text
    assert "already rated for 2024" in text and "no header" in text


def test_one_holder_per_post_checked_a_few_posts_at_a_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = minimal_csv(tmp_path)
    (root / "people.csv").write_text(PEOPLE, encoding="utf-8")
    (root / "appointments.csv").write_text(APPOINTMENTS + "P3,SNV-TP,2021-01-01,bo-nhiem,\n"
                                           "P6,SNV-GD,2021-06-01,bo-nhiem,2021-07-01\n", encoding="utf-8")
    monkeypatch.setattr("engine.loading.stream.HOLDER_SHARD", 2)
    problems = assert_same_problems(root, chunk_size=2)
    assert sum("also held by" in p.message for p in problems) == 4


def test_a_row_naming_an_unknown_person_is_reported_at_its_file_and_line(tmp_path: Path) -> None:
    root = minimal_csv(tmp_path)
    (root / "ratings.csv").write_text("person,year,rating\nP1,2024,hoan-thanh-tot\nP22,2025,hoan-thanh\n",
                                      encoding="utf-8")
    problems = assert_same_problems(root)
    assert [(p.file, p.line, p.field) for p in problems] == [(str(root / "ratings.csv"), 3, "person")]
    assert "no such id in people" in problems[0].message and "did you mean 'P2'" in problems[0].message


# -- the splitter: whatever the order and the CSV dialect --------------------------------------------------
def shuffled(source: Path, target: Path, seed: int, tables: tuple[str, ...] = PER_PERSON[1:]) -> Path:
    shutil.copytree(source, target)
    rng = random.Random(seed)
    for table in tables:
        path = target / f"{table}.csv"
        if path.exists():
            head, *body = path.read_text(encoding="utf-8").splitlines(keepends=True)
            rng.shuffle(body)
            path.write_text(head + "".join(body), encoding="utf-8")
    return target


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from engine.generate import generate_dataset

    root = tmp_path_factory.mktemp("gen") / "p600"
    generate_dataset(600, 11, root)
    return root


def test_rows_in_people_order_are_read_by_byte_range(generated: Path) -> None:
    source = assert_same_rows(generated, chunk_size=50)
    assert all(not scan.spill.written for scan in source.scans.values() if scan.spill)  # type: ignore[union-attr]


def test_unordered_rows_are_grouped_by_person(generated: Path, tmp_path: Path) -> None:
    root = shuffled(generated, tmp_path / "shuffled", seed=5, tables=PER_PERSON)
    source = assert_same_rows(root, chunk_size=37)
    assert source.scans["ratings"].spilling


def test_rows_out_of_order_after_an_ordered_start(generated: Path, tmp_path: Path) -> None:
    """A file in people order but for its last rows: ranges, then spilled rows, in file order per chunk."""
    root = tmp_path / "tail"
    shutil.copytree(generated, root)
    path = root / "ratings.csv"
    head, *body = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text(head + "".join(body[5:-40] + body[:5] + body[-40:]), encoding="utf-8")  # chunk 0's rows late
    source = assert_same_rows(root, chunk_size=50)
    scan = source.scans["ratings"]
    assert scan.ranges and scan.spill is not None and scan.spill.written


def test_quoted_cells_and_a_quoted_first_field(tmp_path: Path) -> None:
    root = minimal_csv(tmp_path)
    (root / "people.csv").write_text(
        'id,full_name,birth_date,gender,category,unit\n'
        '"P1","Nguyễn Văn An, con",1975-04-12,nam,cong-chuc,SNV\n'
        'P2,"Lê Thị ""Bình""",1984-09-12,nu,cong-chuc,SNV\n', encoding="utf-8")
    (root / "credentials.csv").write_text(
        'person,programme,completed,note\n'
        '"P2",qlnn-chuyen-vien,2012-11-20,"hai\ndòng"\n'
        '"P1",llct-cao-cap,2018-06-30,\n', encoding="utf-8")
    rows, _source = stream_rows(root, chunk_size=1)
    assert [p.full_name for p in rows["people"]] == ["Nguyễn Văn An, con", 'Lê Thị "Bình"']
    assert {c.person: c.note for c in rows["credentials"]} == {"P2": "hai\ndòng", "P1": None}
    assert_same_rows(root, chunk_size=1)
    # a problem after a record spanning two lines is on the line the whole loader says
    (root / "credentials.csv").write_text(
        'person,programme,completed,note\n'
        '"P2",qlnn-chuyen-vien,2012-11-20,"hai\ndòng"\n'
        '"P1",llct-cao-cap,2018-13-30,\n'
        '"P3",llct-cao-cap,2018-01-30,\n', encoding="utf-8")
    assert [(p.line, p.field) for p in assert_same_problems(root)] == [(4, "completed"), (5, "person")]


def test_bom_crlf_and_vietnamese_headers(tmp_path: Path) -> None:
    root = minimal_csv(tmp_path)
    people = ("Mã,Họ và tên,Ngày sinh,Giới tính,Đối tượng,Đơn vị\r\n"
              "P1,Nguyễn Văn An,12/04/1975,nam,cong-chuc,SNV\r\n"
              "P2,Lê Thị Bình,1984-09-12,nu,cong-chuc,SNV\r\n")
    (root / "people.csv").write_bytes(b"\xef\xbb\xbf" + people.encode("utf-8"))
    ratings = "Mã cán bộ,Năm đánh giá,Xếp loại\r\nP2,2024,hoan-thanh\r\nP1,2024,hoan-thanh-tot\r\n"
    (root / "ratings.csv").write_bytes(b"\xef\xbb\xbf" + ratings.encode("utf-8"))
    assert_same_rows(root, chunk_size=1)
    more = "P3,2024,hoan-thanh\r\nP1,2025,xuat-sac\r\n"
    (root / "ratings.csv").write_bytes(b"\xef\xbb\xbf" + (ratings + more).encode("utf-8"))
    problems = assert_same_problems(root)
    assert [(p.line, p.field) for p in problems] == [(4, "person"), (5, "rating")]


def test_nfd_text_and_ids_with_spaces(tmp_path: Path) -> None:
    root = minimal_csv(tmp_path)
    path = root / "ratings.csv"
    path.write_text("person,year,rating\n P1 ,2024,hoan-thanh-tot\nP2,2024,hoan-thanh\n", encoding="utf-8")
    assert_same_rows(root, chunk_size=1)
    people = (root / "people.csv").read_text(encoding="utf-8")
    import unicodedata

    (root / "people.csv").write_text(unicodedata.normalize("NFD", people), encoding="utf-8")
    assert_same_rows(root, chunk_size=1)


def test_a_file_that_is_not_utf8_or_not_csv(tmp_path: Path) -> None:
    root = minimal_csv(tmp_path)
    (root / "ratings.csv").write_bytes(b"person,year,rating\nP1,2024,hoan-thanh\nP2,2024,ho\xe0n\n")
    assert len(assert_same_problems(root)) == 1
    (root / "ratings.csv").write_text('person,year,rating\nP1,2024,hoan-thanh\nP2,"2024"x,hoan-thanh\n'
                                      "P3,2024,hoan-thanh\n", encoding="utf-8")
    assert "invalid CSV" in "\n".join(map(str, assert_same_problems(root)))
    (root / "people.csv").write_bytes((root / "people.csv").read_bytes() + b"P9,\xff\n")
    assert_same_problems(root)


def test_the_temp_folder_is_removed(tmp_path: Path, generated: Path) -> None:
    root = shuffled(generated, tmp_path / "s", seed=2)
    work = tmp_path / "work"
    work.mkdir()
    with open_stream(root, chunk_size=50, temp_dir=work) as source:
        assert any(work.rglob("*.csv"))
        chunks_of(source)
    assert not any(work.iterdir())
    with pytest.raises(RuntimeError), open_stream(root, chunk_size=50, temp_dir=work):
        raise RuntimeError
    assert not any(work.iterdir())


# -- the vocabulary the law dates, and ';' / tab CSV (issue 19) ----------------------------------------------
VOCAB_PEOPLE = """id,full_name,birth_date,gender,category,unit,personal_id
P1,Nguyễn Văn An,1975-04-12,nam,cong-chuc,SNV,001075000123
P2,Lê Thị Bình,1984-09-12,nu,nguoi-lao-dong,SNV,001084000456
P3,Trần Văn Cường,1980-01-01,nam,can-bo,SNV,001075000123
P4,Phạm Thị Dung,1990-02-03,nu,cong-chuc,SNV,*********456
"""
VOCAB_DISCIPLINES = """person,kind,effective,system
P1,ha-bac-luong,2024-03-01,chinh-quyen
P2,giang-chuc,2025-08-01,
P3,khai-tru,2023-01-01,chinh-quyen
P3,bai-nhiem,2025-09-01,chinh-quyen
"""


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_the_vocabulary_checks_and_delimiters_are_the_whole_loaders(tmp_path: Path, delimiter: str) -> None:
    """Codes valid only up to a date, a kind given the wrong system, a personal id given twice (across chunks)
    and a masked one: the same problems on both paths, in a comma, semicolon or tab CSV."""
    root = minimal_csv(tmp_path)
    for name, text in (("people", VOCAB_PEOPLE), ("disciplines", VOCAB_DISCIPLINES)):
        (root / f"{name}.csv").write_text(text.replace(",", delimiter), encoding="utf-8")
    for name in ("plans", "appointments", "ratings", "credentials"):
        (root / f"{name}.csv").unlink()
    for size in (1, 2, 100):
        problems = assert_same_problems(root, chunk_size=size)
    codes = [problem.code for problem in problems]
    assert codes.count("code-not-valid-on-date") == 1  # giang-chuc after 30/6/2025; ha-bac-luong before is history
    assert codes.count("wrong-discipline-system") == 1 and codes.count("duplicate-personal-id") == 1
    assert any("masked" in problem.message for problem in problems)
    assert not any("001075000123" in str(problem) for problem in problems)  # the number is masked
