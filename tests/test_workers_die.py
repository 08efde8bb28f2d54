"""Bad luck during a run (issue 14.6, 14.7): a SIGKILLed `check --all` leaves no worker behind, a SIGTERMed
one no temporary file, and Ctrl-C gives one short message, never a worker's traceback."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PEOPLE = 20_000


@pytest.fixture(scope="module")
def population(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """20,000 generated people, made once for the module."""
    from engine.generate import generate_dataset

    root = tmp_path_factory.mktemp("kill") / "p20000"
    generate_dataset(PEOPLE, 5, root)
    return root


def _children(pid: int) -> list[int]:
    """The live (not zombie) processes whose parent is `pid`."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[0] != "Z" and int(fields[1]) == pid:
            found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.fixture
def run(population: Path, tmp_path: Path) -> Iterator[tuple[subprocess.Popen[bytes], Path]]:
    out = tmp_path / "out"
    out.mkdir()
    process = subprocess.Popen(
        [sys.executable, "-m", "cli", "--quiet", "check", "--all", "--data", str(population), "--format", "json",
         "--jobs", "2", "--output", str(out / "all.jsonl")],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        yield process, out
    finally:
        if process.poll() is None:
            process.kill()
        process.wait()
        if process.stderr is not None:
            process.stderr.close()


def _wait_for_workers(process: subprocess.Popen[bytes]) -> list[int]:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        workers = _children(process.pid)
        if len(workers) >= 2:
            return workers
        assert process.poll() is None, "the run ended before its workers were seen"
        time.sleep(0.02)
    raise AssertionError("no worker process started")


def test_no_worker_survives_a_sigkilled_parent(run: tuple[subprocess.Popen[bytes], Path]) -> None:
    process, _out = run
    workers = _wait_for_workers(process)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and any(_alive(w) for w in workers):
        time.sleep(0.05)
    assert not [w for w in workers if _alive(w)]


def test_sigterm_leaves_no_temporary_file_and_no_worker(run: tuple[subprocess.Popen[bytes], Path]) -> None:
    process, out = run
    workers = _wait_for_workers(process)
    assert [p.name for p in out.iterdir() if p.name.startswith(".dtbd-")], "the output is written to a temp file"
    os.kill(process.pid, signal.SIGTERM)
    assert process.wait(timeout=30) == 143
    assert list(out.iterdir()) == []  # no temporary file, and no half-written output
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and any(_alive(w) for w in workers):
        time.sleep(0.05)
    assert not [w for w in workers if _alive(w)]


def test_ctrl_c_is_one_short_message(run: tuple[subprocess.Popen[bytes], Path]) -> None:
    process, out = run
    workers = _wait_for_workers(process)
    for pid in [process.pid, *workers]:  # a terminal sends SIGINT to the whole foreground group
        os.kill(pid, signal.SIGINT)
    assert process.wait(timeout=30) == 130
    assert process.stderr is not None
    err = process.stderr.read().decode()
    assert "Traceback" not in err and err.strip().splitlines()[-1] == "Đã dừng / interrupted"
    assert list(out.iterdir()) == []
