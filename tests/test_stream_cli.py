"""`check --all` and `audit` over a streamed dataset write byte for byte what the whole load writes:
on the demo province, on a generated population (people cut into many chunks, two worker processes),
and with every per-person table shuffled."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli.commands.check_all import check_all, run_all
from cli.main import cli
from engine.errors import InputError
from engine.loading.stream import PER_PERSON
from engine.workspace import open_dataset
from tests.provenance_support import neutral

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "fixtures" / "demo"


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from engine.generate import generate_dataset

    root = tmp_path_factory.mktemp("gen") / "p3000"
    generate_dataset(3000, 23, root)
    return root


@pytest.fixture(scope="module")
def shuffled(generated: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("shuffled") / "p3000"
    shutil.copytree(generated, root)
    rng = random.Random(3)
    for table in PER_PERSON[1:]:
        path = root / f"{table}.csv"
        head, *body = path.read_text(encoding="utf-8").splitlines(keepends=True)
        rng.shuffle(body)
        path.write_text(head + "".join(body), encoding="utf-8")
    return root


def check_all_both(data: Path, fmt: str, tmp_path: Path, jobs: int, chunk_size: int) -> tuple[bytes, bytes]:
    whole, streamed = tmp_path / f"whole.{fmt}", tmp_path / f"streamed.{fmt}"
    n_whole = run_all(open_dataset(data), fmt, whole, "vi", jobs, progress=False)
    ws = open_dataset(data, stream=True, chunk_size=chunk_size)
    n_streamed = run_all(ws, fmt, streamed, "vi", jobs, progress=False)
    assert n_whole == n_streamed
    return neutral(whole.read_bytes()), neutral(streamed.read_bytes())


def audit_both(data: Path, *args: str) -> tuple[bytes, bytes]:
    def run(*more: str) -> bytes:
        result = CliRunner().invoke(cli, ["audit", "--data", str(data), *args, *more])
        assert result.exit_code in (0, 3), result.output
        return neutral(result.stdout_bytes)

    return run("--no-stream"), run("--stream", "--jobs", "2")


@pytest.mark.parametrize("fmt", ["json", "csv", "table"])
def test_demo_check_all_streamed_is_the_whole_loads(fmt: str, tmp_path: Path) -> None:
    whole, streamed = check_all_both(DEMO, fmt, tmp_path, jobs=1, chunk_size=7)
    assert whole and streamed == whole


def test_demo_audit_streamed_is_the_whole_loads() -> None:
    whole, streamed = audit_both(DEMO, "--json")
    assert b'"appointments": [\n    {' in whole and streamed == whole
    whole, streamed = audit_both(DEMO, "--json", "--from", "2030-01-01")  # no appointment in the period
    assert b'"appointments": [],' in whole and streamed == whole


def test_generated_check_all_in_two_workers(generated: Path, tmp_path: Path) -> None:
    whole, streamed = check_all_both(generated, "json", tmp_path, jobs=2, chunk_size=200)
    assert whole.count(b"\n") == 3001 and streamed == whole  # a provenance line, then one line per person


def test_generated_audit_json_and_csv(generated: Path) -> None:
    for args in (["--json"], ["--format", "csv", "--from", "2018-01-01", "--to", "2024-06-30"]):
        whole, streamed = audit_both(generated, *args)
        assert len(whole) > 10_000 and streamed == whole


def test_shuffled_tables_check_all_and_audit(shuffled: Path, tmp_path: Path) -> None:
    whole, streamed = check_all_both(shuffled, "csv", tmp_path, jobs=2, chunk_size=150)
    assert streamed == whole
    whole, streamed = audit_both(shuffled, "--json")
    assert streamed == whole


def test_check_all_streamed_to_a_file_and_to_stdout(generated: Path, tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out.jsonl"
    check_all(generated, None, None, "json", out, "vi", 1, "durable", stream=True, progress=False)
    check_all(generated, None, None, "json", None, "vi", 1, "durable", stream=True, progress=False)
    assert neutral(capsys.readouterr().out) == neutral(out.read_text(encoding="utf-8"))


def test_bad_data_streamed_writes_nothing(generated: Path, tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "bad"
    shutil.copytree(generated, root)
    path = root / "ratings.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[-1] = lines[-1].replace(",2", ",1", 1)  # a year before 1950, in the last chunk
    path.write_text("".join(lines), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    for output in (out, None):
        with pytest.raises(InputError) as info:
            check_all(root, None, None, "json", output, "vi", 2, "durable", stream=True, progress=False)
        assert [p.line for p in info.value.problems] == [len(lines)]
    assert not out.exists() and capsys.readouterr().out == ""
    result = CliRunner().invoke(cli, ["audit", "--data", str(root), "--stream", "--json", "--output", str(out)])
    assert result.exit_code == 1 and f"ratings.csv:{len(lines)} year" in result.output and not out.exists()


def test_stream_needs_people_as_csv_and_json_or_csv() -> None:
    data = ROOT / "tests" / "data" / "audit_demo"
    result = CliRunner().invoke(cli, ["audit", "--data", str(data), "--stream", "--json"])
    assert result.exit_code == 2 and "people.csv" in result.output
    result = CliRunner().invoke(cli, ["audit", "--data", str(DEMO), "--stream"])
    assert result.exit_code == 2 and "json or csv" in result.output


def test_cli_check_all_stream(generated: Path) -> None:
    def run(*more: str) -> bytes:
        result = CliRunner().invoke(cli, ["check", "--all", "--json", "--data", str(generated), *more])
        assert result.exit_code == 0, result.output
        return neutral(result.stdout_bytes)

    assert run("--stream", "--jobs", "2") == run("--no-stream")
