"""`dtbd check --all`: every person, streamed as JSON lines or CSV, or a summary table."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import sys
import tempfile
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import IO, Any

import click

from cli.output import csv_text, table_text
from cli.progress import progress as progress_line
from cli.progress import progress_enabled
from cli.render_findings import CSV_FIELDS, check_payload, csv_row
from cli.workspace import StreamWorkspace, Workspace, open_workspace, stream_workspace
from engine import codes
from engine.batch import run_chunks, run_stream
from engine.evaluation.evaluator import Evaluator
from engine.evaluation.findings import Finding
from engine.loading.stream import people_lines, streamable
from engine.loading.xlsx_writer import is_special

XLSX_MAX_PEOPLE = 50_000  # a sheet holds about a million rows; larger populations go to CSV/JSON
# Above this many people (lines of people.csv), check --all and audit stream the dataset by default: loaded
# whole, it takes about 0.5 GB per 100,000 people.
STREAM_ABOVE = 200_000
OPEN = {"due", "overdue", "pending", "missing", "violation"}


@contextmanager
def stream_to(output: Path | None, spool: bool = False, binary: bool = False) -> Iterator[IO[Any]]:
    """Yield a text stream (`binary`: a byte stream, of UTF-8): stdout, or a temp file renamed onto `output`
    only when complete.

    `spool`: stdout too gets nothing until the end — the text goes to a temp file first, copied to
    stdout once complete — for a streamed dataset, whose problems are all known only at its end. An
    `output` that is not a regular file (`/dev/null`, a pipe) is written to, never renamed onto.
    """
    mode, text = ("wb", {}) if binary else ("w", {"encoding": "utf-8", "newline": ""})
    special = output is not None and is_special(output)
    if output is None and not spool:
        if binary:
            sys.stdout.flush()
            yield sys.stdout.buffer
            sys.stdout.buffer.flush()
        else:
            yield sys.stdout
        return
    if output is not None and special and not spool:
        with open(output, mode, **text) as handle:  # type: ignore[call-overload]
            yield handle
        return
    target = output if output is not None and not special else None
    if target is not None:
        target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}." if target is not None else ".dtbd-out.",
                               dir=target.parent if target is not None else None)
    try:
        with os.fdopen(fd, mode, **text) as handle:  # type: ignore[call-overload]
            yield handle
        if target is not None:
            os.replace(tmp, target)
        else:
            sys.stdout.flush()
            with open(tmp, "rb") as spooled:
                if output is None:
                    shutil.copyfileobj(spooled, sys.stdout.buffer)
                    sys.stdout.buffer.flush()
                else:
                    with open(output, "wb") as out:
                        shutil.copyfileobj(spooled, out)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def check_chunk(ev: Evaluator, ids: Sequence[str], as_of: dt.date, fmt: str) -> tuple[Any, Counter[tuple[str, str]]]:
    """Evaluate a chunk of people (in a worker): their output (text, or rows for xlsx) and finding counts."""
    counts: Counter[tuple[str, str]] = Counter()
    parts: list[str] = []
    rows: list[list[Any]] = []
    for person_id in ids:
        findings = ev.check_person(person_id, as_of)
        for f in findings:
            counts[(f.rule, f.status)] += 1
        if fmt == "json":
            parts.append(json.dumps(check_payload(person_id, as_of, None, findings), ensure_ascii=False) + "\n")
        elif fmt == "csv":
            parts.append(csv_text(CSV_FIELDS, [csv_row(person_id, f) for f in findings]).split("\n", 1)[1])
        elif fmt == "xlsx":
            name = ev.dataset.person_by_id[person_id].full_name
            rows.extend([person_id, name, *xlsx_row(f, ev.lang)] for f in findings)
    return (rows if fmt == "xlsx" else "".join(parts)), counts


def xlsx_row(f: Finding, lang: str) -> list[Any]:
    return [f.rule + (f"/{f.variant}" if f.variant else ""), codes.STATUS.label(f.status, lang)
            + ("" if f.verified else " *"), f.requirement, f.position or "", codes.BASIS.label(f.basis, lang),
            f.deadline, codes.STRENGTH.label(f.strength, lang), f.source, f.explanation]


XLSX_HEADERS = {
    "vi": ["Mã", "Họ và tên", "Quy tắc", "Trạng thái", "Yêu cầu", "Chức vụ", "Căn cứ", "Hạn", "Loại quy định",
           "Căn cứ pháp lý", "Giải thích"],
    "en": ["Id", "Full name", "Rule", "Status", "Requirement", "Post", "Basis", "Deadline", "Strength",
           "Legal source", "Explanation"],
}


def sized_chunk(ev: Evaluator, ids: Sequence[str], as_of: dt.date, fmt: str) -> tuple[int, str,
                                                                                     Counter[tuple[str, str]]]:
    """`check_chunk` and the number of people it covered (for the progress line)."""
    return len(ids), *check_chunk(ev, ids, as_of, fmt)


def encoded_chunk(ev: Evaluator, ids: Sequence[str], as_of: dt.date, fmt: str) -> tuple[int, bytes,
                                                                                       Counter[tuple[str, str]]]:
    """`sized_chunk` with the text as UTF-8, encoded in the worker: the parent only copies it out."""
    size, text, counts = sized_chunk(ev, ids, as_of, fmt)
    return size, text.encode("utf-8"), counts


def check_all(data_dir: Path, rulesets_dir: Path | None, as_of: dt.date | None, fmt: str, output: Path | None,
              lang: str, jobs: int, backend: str, stream: bool | None = None, progress: bool = True) -> int:
    """`check --all` from the command line: the whole dataset loaded (run_all), or streamed (run_all_streamed)
    when asked (`stream`) or, by default, for a CSV dataset of more than STREAM_ABOVE people."""
    if use_stream(data_dir, fmt, stream, "check --all"):
        return run_all_streamed(stream_workspace(data_dir, rulesets_dir, as_of), fmt, output, lang, jobs, backend,
                                progress)
    return run_all(open_workspace(data_dir, rulesets_dir, as_of), fmt, output, lang, jobs, backend, progress)


def use_stream(data_dir: Path, fmt: str, stream: bool | None, command: str) -> bool:
    """Whether to stream: as asked, else for a large dataset whose people are CSV and output JSON or CSV."""
    if stream is False:
        return False
    if stream:
        if fmt == "xlsx":
            raise click.UsageError(f"{command} --stream writes json, csv or a summary table, not xlsx")
        if not streamable(data_dir):
            raise click.UsageError(f"{command} --stream needs people as one CSV file (people.csv) in {data_dir}")
        return True
    return fmt in ("json", "csv", "table") and streamable(data_dir) and people_lines(data_dir) > STREAM_ABOVE + 1


def _summary(counts: Counter[tuple[str, str]], lang: str) -> tuple[list[str], list[list[Any]]]:
    head = ["Quy tắc" if lang == "vi" else "Rule", *(codes.STATUS.label(s, lang) for s in codes.STATUS.values)]
    rules = sorted({r for r, _s in counts})
    body: list[list[Any]] = [[r, *(counts.get((r, s), 0) for s in codes.STATUS.values)] for r in rules]
    return head, body


def _write_table(counts: Counter[tuple[str, str]], people: int, as_of: dt.date, output: Path | None,
                 lang: str) -> None:
    head, body = _summary(counts, lang)
    title = (f"{people} người, ngày đánh giá {as_of:%d/%m/%Y}" if lang == "vi"
             else f"{people} people, as of {as_of.isoformat()}")
    text = title + "\n\n" + table_text(head, body)
    if output is None:
        click.echo(text)
    else:
        from cli.output import write_atomic
        from cli.progress import wrote

        write_atomic(output, text.encode("utf-8"))
        wrote(output)


def _open_count(counts: Counter[tuple[str, str]]) -> int:
    return sum(n for (_rule, status), n in counts.items() if status in OPEN)


def run_all_streamed(sw: StreamWorkspace, fmt: str, output: Path | None, lang: str, jobs: int, backend: str,
                     progress: bool = True) -> int:
    """`check --all` over a streamed dataset: byte for byte the output of run_all, people parsed chunk by chunk
    in the workers; nothing is written (not even to stdout) unless the whole dataset is valid."""
    counts: Counter[tuple[str, str]] = Counter()
    label = "Đang kiểm tra" if lang == "vi" else "Checking"
    with sw.stream() as source, stream_to(output if fmt in ("json", "csv") else None, spool=fmt != "table",
                                          binary=True) as out, \
            progress_line(source.person_count, label, progress and progress_enabled()) as bar:
        if fmt == "csv":
            out.write(csv_text(CSV_FIELDS, []).encode("utf-8"))
        for size, text, chunk_counts in run_stream(sw.book, source, sw.as_of, partial(encoded_chunk, fmt=fmt),
                                                   jobs=jobs, backend=backend, lang=lang):
            out.write(text)
            counts.update(chunk_counts)
            bar.advance(size)
        people = source.valid_people
    if fmt == "table":
        _write_table(counts, people, sw.as_of, output, lang)
    return _open_count(counts)


def run_all(ws: Workspace, fmt: str, output: Path | None, lang: str, jobs: int, backend: str,
            progress: bool = True) -> int:
    counts: Counter[tuple[str, str]] = Counter()
    if fmt == "xlsx" and len(ws.dataset.people) > XLSX_MAX_PEOPLE:
        raise click.UsageError(f"check --all --format xlsx: at most {XLSX_MAX_PEOPLE:,} people in one workbook; "
                               "use --format csv or json for the whole population")
    xlsx_rows: list[list[Any]] = []
    ids = [p.id for p in ws.dataset.people]
    label = "Đang kiểm tra" if lang == "vi" else "Checking"
    with stream_to(output if fmt in ("json", "csv") else None) as out, \
            progress_line(len(ids), label, progress and progress_enabled()) as bar:
        if fmt == "csv":
            out.write(csv_text(CSV_FIELDS, []))
        for size, text, chunk_counts in run_chunks(ws.book, ws.dataset, ids, ws.as_of,
                                                   partial(sized_chunk, fmt=fmt), jobs=jobs, backend=backend,
                                                   lang=lang):
            if fmt == "xlsx":
                xlsx_rows.extend(text)
            else:
                out.write(text)
            counts.update(chunk_counts)
            bar.advance(size)
    open_count = _open_count(counts)
    head, body = _summary(counts, lang)
    if fmt == "xlsx":
        from cli.xlsx_out import write_sheet_xlsx

        vi = lang == "vi"
        write_sheet_xlsx(output, "Kết quả rà soát tiêu chuẩn đào tạo, bồi dưỡng toàn bộ" if vi else
                         "Training requirements of everyone", ws.as_of, XLSX_HEADERS[lang], xlsx_rows,
                         sheet="Kết quả rà soát" if vi else "Findings",
                         extra_sheets=[("Tổng hợp" if vi else "Summary", head, body)], lang=lang)
    if fmt == "table":
        _write_table(counts, len(ws.dataset.people), ws.as_of, output, lang)
    return open_count
