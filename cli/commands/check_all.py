"""`dtbd check --all`: every person, streamed as JSON lines or CSV, or a summary table."""

from __future__ import annotations

import datetime as dt
import json
import os
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
from cli.workspace import Workspace
from engine import codes
from engine.batch import run_chunks
from engine.evaluation.evaluator import Evaluator
from engine.evaluation.findings import Finding

XLSX_MAX_PEOPLE = 50_000  # a sheet holds about a million rows; larger populations go to CSV/JSON
OPEN = {"due", "overdue", "pending", "missing", "violation"}


@contextmanager
def stream_to(output: Path | None) -> Iterator[IO[str]]:
    """Yield a text stream: stdout, or a temp file renamed onto `output` only when complete."""
    if output is None:
        yield sys.stdout
        return
    output.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{output.name}.", dir=output.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            yield handle
        os.replace(tmp, output)
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
    open_count = sum(n for (_rule, status), n in counts.items() if status in OPEN)
    head = ["Quy tắc" if lang == "vi" else "Rule", *(codes.STATUS.label(s, lang) for s in codes.STATUS.values)]
    rules = sorted({r for r, _s in counts})
    body: list[list[Any]] = [[r, *(counts.get((r, s), 0) for s in codes.STATUS.values)] for r in rules]
    if fmt == "xlsx":
        from cli.xlsx_out import write_sheet_xlsx

        vi = lang == "vi"
        write_sheet_xlsx(output, "Kết quả rà soát tiêu chuẩn đào tạo, bồi dưỡng toàn bộ" if vi else
                         "Training requirements of everyone", ws.as_of, XLSX_HEADERS[lang], xlsx_rows,
                         sheet="Kết quả rà soát" if vi else "Findings",
                         extra_sheets=[("Tổng hợp" if vi else "Summary", head, body)], lang=lang)
    if fmt == "table":
        title = (f"{len(ws.dataset.people)} người, ngày đánh giá {ws.as_of:%d/%m/%Y}" if lang == "vi"
                 else f"{len(ws.dataset.people)} people, as of {ws.as_of.isoformat()}")
        text = title + "\n\n" + table_text(head, body)
        if output is None:
            click.echo(text)
        else:
            from cli.output import write_atomic

            write_atomic(output, text.encode("utf-8"))
    return open_count
