"""engine.batch.in_order (the pool of run_chunks and run_stream): results in order, a worker that dies costs
its task, which runs again once; twice is an EngineError."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from pathlib import Path

import pytest

from engine.batch import in_order, run_stream
from engine.errors import EngineError
from engine.evaluation.evaluator import Evaluator
from engine.loading.stream import open_stream
from engine.rules.loader import load_rulebook

DEMO = Path(__file__).resolve().parent.parent / "fixtures" / "demo"


def _dies_once(marker_dir: str, value: int) -> int:
    marker = Path(marker_dir) / str(value)
    if value == 3 and not marker.exists():
        marker.touch()
        os._exit(1)  # the worker dies, as a crash in the C extension would make it
    return value * 2


def _dies_always(value: int) -> int:
    if value == 2:
        os._exit(1)
    return value


def test_a_task_whose_worker_died_runs_again(tmp_path: Path) -> None:
    tasks = ((str(tmp_path), value) for value in range(9))
    assert list(in_order(_dies_once, tasks, jobs=2)) == [value * 2 for value in range(9)]
    assert (tmp_path / "3").exists()


def test_a_task_whose_worker_dies_twice_is_an_engine_error() -> None:
    with pytest.raises(EngineError, match="died twice"):
        list(in_order(_dies_always, ((value,) for value in range(5)), jobs=2))


def _people_dying_once(marker: str, ev: Evaluator, ids: Sequence[str], _as_of: dt.date) -> list[str]:
    if "CB0301" in ids and not Path(marker).exists():
        Path(marker).touch()
        os._exit(1)
    return [ev.dataset.person_by_id[person].full_name for person in ids]


def test_a_streamed_chunk_whose_worker_died_is_read_again(tmp_path: Path) -> None:
    from functools import partial

    book = load_rulebook(None, ["national", "local/thanh-hoa"])
    with open_stream(DEMO, book.programme_codes, chunk_size=3) as source:
        fn = partial(_people_dying_once, str(tmp_path / "died"))
        names = [name for chunk in run_stream(book, source, source.as_of, fn, jobs=2) for name in chunk]
    assert (tmp_path / "died").exists()
    assert len(names) == source.valid_people == source.person_count
