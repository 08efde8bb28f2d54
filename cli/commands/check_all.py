"""`dtbd check --all`: every person, streamed as JSON lines or CSV, or a summary table."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from cli.csv_form import CsvForm, csv_form
from cli.output import csv_start, csv_text, emit_text, stream_to, table_text
from cli.progress import progress as progress_line
from cli.progress import progress_enabled
from cli.render_findings import CSV_FIELDS, check_payload, csv_row
from cli.stamp import stamp, with_footer
from engine import codes
from engine.errors import UsageError
from engine.vocabulary import NEEDS_ACTION
from engine.workspace import EngineConfig, Workspace, open_dataset

if TYPE_CHECKING:
    from engine.results import Finding, Person, Provenance

XLSX_MAX_PEOPLE = 50_000  # a sheet holds about a million rows; larger populations go to CSV/JSON


def render_chunk(as_of: dt.date, checked: list[tuple[Person, list[Finding]]], *, fmt: str, lang: str,
                 encode: bool = False, form: CsvForm | None = None) -> Any:
    """A chunk of checked people as written (in the worker): JSON lines or CSV rows in `form` (cli.csv_form;
    as UTF-8 bytes with `encode`: the parent only copies them out), or rows of the workbook."""
    form = form if form is not None else CsvForm(tuple(CSV_FIELDS), lang)
    if fmt == "xlsx":
        return [[person.id, person.full_name, *xlsx_row(f, lang)] for person, findings in checked for f in findings]
    parts: list[str] = []
    for person, findings in checked:
        if fmt == "json":
            parts.append(json.dumps(check_payload(person.id, as_of, None, findings), ensure_ascii=False) + "\n")
        elif fmt == "csv":
            parts.append(csv_text(form.headers(), form.rows([csv_row(person.id, f) for f in findings]))
                         .split("\n", 1)[1])
    text = "".join(parts)
    return text.encode("utf-8") if encode else text


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


def check_all(data_dir: Path, rulesets_dir: Path | None, as_of: dt.date | None, fmt: str, output: Path | None,
              lang: str, jobs: int | None, backend: str, stream: bool | None = None, progress: bool = True,
              chunk_size: int | None = None) -> int:
    """`check --all` from the command line: the dataset loaded whole, or streamed when asked (`stream`) or,
    by default, for a CSV dataset of more than STREAM_ABOVE people; the number of open findings."""
    if fmt == "docx":
        raise click.UsageError("check --all writes json, csv, xlsx or a summary table; docx is for one person")
    if fmt == "xlsx":
        if stream:
            raise click.UsageError("check --all --stream writes json, csv or a summary table, not xlsx")
        stream = False
    extra = {} if chunk_size is None else {"chunk_size": chunk_size}
    try:
        ws = open_dataset(data_dir, rulesets_dir, as_of, stream=stream, config=EngineConfig(backend, lang), **extra)
    except UsageError as exc:
        raise click.UsageError(f"check --all {exc}") from None
    return run_all(ws, fmt, output, lang, jobs, progress)


def _summary(counts: Counter[tuple[str, str]], lang: str) -> tuple[list[str], list[list[Any]]]:
    head = ["Quy tắc" if lang == "vi" else "Rule", *(codes.STATUS.label(s, lang) for s in codes.STATUS.values)]
    rules = sorted({r for r, _s in counts})
    body: list[list[Any]] = [[r, *(counts.get((r, s), 0) for s in codes.STATUS.values)] for r in rules]
    return head, body


def provenance_line(found: Provenance) -> str:
    """The first JSON line of `check --all --json`: {"provenance": ...}; every other line is a person."""
    return json.dumps({"provenance": found.to_json()}, ensure_ascii=False) + "\n"


def _write_table(counts: Counter[tuple[str, str]], people: int, as_of: dt.date, output: Path | None,
                 lang: str, found: Provenance | None = None) -> None:
    head, body = _summary(counts, lang)
    title = (f"{people} người, ngày đánh giá {as_of:%d/%m/%Y}" if lang == "vi"
             else f"{people} people, as of {as_of.isoformat()}")
    text = with_footer(title + "\n\n" + table_text(head, body), found, lang)
    if output is None:
        click.echo(text)
    else:
        emit_text(text, output)


def run_all(ws: Workspace, fmt: str, output: Path | None, lang: str, jobs: int | None = None,
            progress: bool = True) -> int:
    """Check everyone of `ws` and write them in `fmt`; the number of open findings (NEEDS_ACTION).

    Streamed, byte for byte the output of the whole load; nothing is written (not even to stdout) unless
    the whole dataset is valid."""
    if fmt == "xlsx" and len(ws.dataset.people) > XLSX_MAX_PEOPLE:
        raise click.UsageError(f"check --all --format xlsx: at most {XLSX_MAX_PEOPLE:,} people in one workbook; "
                               "use --format csv or json for the whole population")
    counts: Counter[tuple[str, str]] = Counter()
    xlsx_rows: list[list[Any]] = []
    people = 0
    streamed = ws.streamed
    label = "Đang kiểm tra" if lang == "vi" else "Checking"
    found = stamp(ws, lang)
    target = output if fmt in ("json", "csv") else None
    with stream_to(target, spool=streamed and fmt != "table", binary=streamed) as out, \
            progress_line(0, label, progress and progress_enabled()) as bar:
        def total(n: int) -> None:
            bar.total = n

        form = csv_form(CSV_FIELDS, lang, ws) if fmt == "csv" else None
        if form is not None:
            header = csv_start(target) + csv_text(form.headers(), [])
            out.write(header.encode("utf-8") if streamed else header)
        elif fmt == "json":
            line = provenance_line(found)
            out.write(line.encode("utf-8") if streamed else line)
        render = partial(render_chunk, fmt=fmt, lang=lang, encode=streamed, form=form)
        for chunk in ws.check_all(render, jobs, on_total=total):
            if fmt == "xlsx":
                xlsx_rows.extend(chunk.output)
            else:
                out.write(chunk.output)
            counts.update(chunk.counts)
            people += chunk.people
            bar.advance(chunk.people)
    if fmt == "xlsx":
        from cli.render_findings import requirement_text
        from cli.xlsx_out import form_for, write_sheet_xlsx

        vi = lang == "vi"
        posts = ws.dataset.position_by_id
        for row in xlsx_rows:  # labels, not codes: the workers have no rule book
            row[4] = requirement_text(ws.book, row[4], lang)
            row[5] = posts[row[5]].title if row[5] in posts else row[5]
        head, body = _summary(counts, lang)
        write_sheet_xlsx(output, "Kết quả rà soát tiêu chuẩn đào tạo, bồi dưỡng toàn bộ" if vi else
                         "Training requirements of everyone", ws.as_of, XLSX_HEADERS[lang], xlsx_rows,
                         sheet="Kết quả rà soát" if vi else "Findings",
                         extra_sheets=[("Tổng hợp" if vi else "Summary", head, body)], lang=lang,
                         form=form_for(ws))
    if fmt == "table":
        _write_table(counts, people, ws.as_of, output, lang, found)
    return sum(n for (_rule, status), n in counts.items() if status in NEEDS_ACTION)


__all__ = ["XLSX_HEADERS", "check_all", "render_chunk", "run_all"]
