"""`dtbd audit [--from D] [--to D] [--unit U] [--person P]`: were past appointments lawful on their day?"""

from __future__ import annotations

import datetime as dt
import difflib
import heapq
import json
import os
import pickle
import resource
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from operator import itemgetter
from pathlib import Path
from typing import IO, Any

import click

from cli.audit_table import table_report
from cli.audit_table import title as audit_title
from cli.commands.check_all import STREAM_ABOVE, stream_to, use_stream
from cli.context import data_options, date_option
from cli.output import csv_text, emit_text, resolve_format, to_json
from cli.progress import progress as progress_line
from cli.progress import progress_enabled
from cli.workspace import StreamWorkspace, open_workspace, stream_workspace
from engine.audit import (
    AUDITED_KINDS,
    AuditedAppointment,
    AuditReport,
    AuditTotals,
    audit,
    audit_appointments,
    report_sections,
    select,
    totals_of,
    unit_and_descendants,
)
from engine.batch import run_stream
from engine.errors import UnknownIdError
from engine.evaluation.evaluator import Evaluator
from engine.evaluation.findings import Finding

CSV_FIELDS = ["person", "full_name", "position", "unit", "start", "kind", "appointment_status", "rule", "version",
              "variant", "status", "requirement", "deadline", "met_later", "strength", "verified", "source",
              "explanation"]
XLSX_HEADERS_EN = ["Person", "Full name", "Post", "Unit", "Start", "Kind", "Result", "Rule", "Version", "Variant",
                   "Status", "Requirement", "Deadline", "Met later on", "Strength", "Verified", "Legal source",
                   "Explanation"]
XLSX_HEADERS = ["Mã người", "Họ và tên", "Mã chức vụ", "Đơn vị", "Ngày bổ nhiệm", "Hình thức", "Kết quả",
                "Quy tắc", "Phiên bản", "Biến thể", "Trạng thái", "Yêu cầu", "Hạn", "Bổ sung sau ngày",
                "Hiệu lực", "Đã xác minh", "Căn cứ pháp lý", "Giải thích"]


def _finding_cells(f: Finding | None) -> list[Any]:
    if f is None:
        return [""] * 11
    return [f.rule, f.version, f.variant or "", f.status, f.requirement,
            f.deadline.isoformat() if f.deadline else "", f.met_later.isoformat() if f.met_later else "",
            f.strength, str(f.verified).lower(), f.source, f.explanation]


def flat_rows(report: AuditReport) -> list[list[Any]]:
    """One row per finding; an appointment with no finding still gets one row (empty rule columns)."""
    out: list[list[Any]] = []
    for item in report.appointments:
        out.extend(item_rows(item))
    return out


def item_rows(item: AuditedAppointment) -> list[list[Any]]:
    """The CSV rows of one appointment (flat_rows)."""
    a = item.appointment
    head = [a.person, item.full_name, a.position, item.unit, a.start.isoformat(), a.kind, item.status]
    cells: list[Finding | None] = list(item.findings) or [None]
    return [[*head, *_finding_cells(f)] for f in cells]


@click.command("audit")
@date_option("--from", "date_from", help="Từ ngày bổ nhiệm (mặc định: lần bổ nhiệm sớm nhất) / first appointment "
                                         "date (default: the earliest appointment).")
@date_option("--to", "date_to", help="Đến ngày bổ nhiệm (mặc định: ngày đánh giá) / last appointment date "
                                     "(default: the evaluation date).")
@click.option("--unit", metavar="UNIT", help="Chỉ chức vụ của đơn vị này và các đơn vị trực thuộc / only posts of "
                                             "this unit and the units under it.")
@click.option("--person", metavar="PERSON", help="Chỉ các lần bổ nhiệm của người này / only this person's "
                                                 "appointments.")
@click.option("--only-gaps", is_flag=True, help="Ẩn các lần bổ nhiệm đúng quy định / hide the appointments found ok.")
@click.option("--backend", type=click.Choice(["durable", "python"]), default="durable", hidden=True)
@click.option("--fail-on-findings", is_flag=True, help="Thoát với mã 3 khi có vi phạm / exit 3 when an appointment "
                                                      "violated a precondition.")
@click.option("--stream/--no-stream", "stream", default=None,
              help="Đọc người theo từng phần trong các tiến trình con (JSON, CSV); mặc định: bộ dữ liệu CSV trên "
                   f"{STREAM_ABOVE:,} người / read the people in chunks in worker processes (JSON or CSV output); "
                   f"default: for a CSV dataset of more than {STREAM_ABOVE:,} people.")
@click.option("--jobs", type=int, default=None, help="Số tiến trình khi đọc từng phần (mặc định: số lõi CPU) / worker "
                                                    "processes when streaming (default: the number of cores).")
@data_options
def command(date_from: dt.date | None, date_to: dt.date | None, unit: str | None, person: str | None,
            only_gaps: bool, backend: str, fail_on_findings: bool, stream: bool | None, jobs: int | None,
            data_dir: Path,
            as_of: dt.date | None, rulesets_dir: Path | None, lang: str, fmt: str, json_flag: bool,
            output: Path | None) -> None:
    """Kiểm tra các lần bổ nhiệm đã qua theo quy định có hiệu lực tại ngày bổ nhiệm /
    audit past appointments against the rules in force on their own date."""
    fmt = resolve_format(fmt, json_flag)
    if date_from is not None and date_to is not None and date_from > date_to:
        raise click.UsageError(f"--from {date_from.isoformat()} is after --to {date_to.isoformat()}")
    if fmt == "xlsx" and output is None:
        raise click.UsageError("--format xlsx needs --output FILE")
    if stream and fmt not in ("json", "csv"):
        raise click.UsageError("audit --stream writes json or csv")
    if fmt in ("json", "csv") and use_stream(data_dir, fmt, stream, "audit"):
        from engine.batch import default_jobs

        sw = stream_workspace(data_dir, rulesets_dir, as_of)
        violation = audit_streamed(sw, date_from, date_to or sw.as_of, unit, person, fmt, output, lang,
                                   jobs or default_jobs(), backend)
        if fail_on_findings and violation:
            raise SystemExit(3)
        return
    ws = open_workspace(data_dir, rulesets_dir, as_of)
    ev = Evaluator(ws.book, ws.dataset, backend=backend, lang=lang)
    report = audit(ev, ws.dataset, date_from, date_to or ws.as_of, unit=unit, person=person)
    if fmt == "json":
        emit_text(to_json(report.to_json()), output)
    elif fmt == "csv":
        emit_text(csv_text(CSV_FIELDS, flat_rows(report)), output)
    elif fmt == "xlsx":
        # cli.xlsx_out is written in parallel; the ignore keeps mypy quiet until it lands, then is moot.
        from cli.xlsx_out import write_sheet_xlsx  # type: ignore[import-not-found, unused-ignore]

        assert output is not None
        vi = lang == "vi"
        title = audit_title(ws, report, lang).replace("\n", " — ")
        write_sheet_xlsx(output, title, ws.as_of, XLSX_HEADERS if vi else XLSX_HEADERS_EN, flat_rows(report),
                         sheet="Kiểm tra bổ nhiệm" if vi else "Audit")
    else:
        emit_text(table_report(ws, report, lang, only_gaps), output)
    if fail_on_findings and report.has_violation:
        raise SystemExit(3)


# -- a streamed dataset (engine.loading.stream) -------------------------------------------------------------
@dataclass
class AuditChunk:
    """One chunk's audit (from a worker): its appointments rendered, sorted, in a run file; its counts."""

    run: str | None
    count: int
    totals: AuditTotals
    earliest: dt.date | None  # earliest start of an audited appointment in the chunk (the default --from)
    people: int


def render_item(item: AuditedAppointment, fmt: str) -> str:
    """One appointment as the whole report writes it: its JSON object at the depth of "appointments" (the
    report is indented by 2), or its CSV rows."""
    if fmt == "json":
        return to_json(item.to_json()).replace("\n", "\n    ")
    return csv_text(CSV_FIELDS, item_rows(item)).split("\n", 1)[1]


def audit_chunk(ev: Evaluator, ids: Sequence[str], _as_of: dt.date, *, date_from: dt.date | None,
                date_to: dt.date, unit: str | None, person: str | None, fmt: str, folder: str) -> AuditChunk:
    """Audit the appointments of one chunk of people (in a worker), written sorted to a run file.

    Without --from, every audited appointment up to `date_to` is in the period: the default --from is the
    earliest of them all."""
    dataset = ev.dataset
    starts = [a.start for a in dataset.appointments if a.kind in AUDITED_KINDS]
    chosen = select(dataset, date_from or dt.date.min, date_to, unit, person, check_ids=False)
    items = audit_appointments(ev, dataset, chosen)
    run = None
    if items:
        handle, run = tempfile.mkstemp(suffix=".run", dir=folder)
        with os.fdopen(handle, "wb") as out:
            for item in items:
                a = item.appointment
                pickle.dump(((a.start, a.person, a.position), render_item(item, fmt).encode("utf-8")), out)
    return AuditChunk(run, len(items), totals_of(items), min(starts) if starts else None, len(ids))


FAN_IN = 4096  # run files open at once while merging, at most (and within the limit on open files)


def write_json(out: IO[bytes], entries: Iterable[tuple[str, Any, bool]]) -> None:
    """A JSON object written as to_json writes it (indented by 2), an entry at a time: (key, value, rows);
    with `rows`, the value is an iterator of the items of a list, each a JSON value or its text already
    indented at that depth (bytes), so that a list of any length is written without being held."""
    out.write(b"{")
    for index, (key, value, rows) in enumerate(entries):
        out.write(("," if index else "").encode() + b"\n  " + json.dumps(key, ensure_ascii=False).encode() + b": ")
        if not rows:
            out.write(to_json(value).replace("\n", "\n  ").encode("utf-8"))
            continue
        empty = True
        for item in value:
            out.write(b"[\n    " if empty else b",\n    ")
            empty = False
            out.write(item if isinstance(item, bytes) else to_json(item).replace("\n", "\n    ").encode("utf-8"))
        out.write(b"[]" if empty else b"\n  ]")
    out.write(b"\n}")


def _fan_in() -> int:
    """How many runs to merge at once: FAN_IN, within the process's limit on open files (raised if it can be)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = FAN_IN + 64
    if soft != resource.RLIM_INFINITY and soft < wanted:
        target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
            soft = target
        except (ValueError, OSError):
            pass
    return FAN_IN if soft == resource.RLIM_INFINITY else max(2, min(FAN_IN, soft - 64))


def _run_records(path: str) -> Iterator[tuple[Any, bytes]]:
    with open(path, "rb") as handle:
        while True:
            try:
                yield pickle.load(handle)
            except EOFError:
                return


def merged(runs: list[str], folder: str) -> Iterator[bytes]:
    """The appointments of every run, in (start, person, position) order: runs are sorted, and a person's
    appointments are all in one run (rows of one person are in one chunk), so ties keep their order."""
    key = itemgetter(0)
    runs = list(runs)
    fan_in = _fan_in()
    while len(runs) > fan_in:  # merge just enough runs into one for the rest to be merged at once
        group, runs = runs[:min(fan_in, len(runs) - fan_in + 1)], runs[min(fan_in, len(runs) - fan_in + 1):]
        handle, path = tempfile.mkstemp(suffix=".run", dir=folder)
        with os.fdopen(handle, "wb") as out:
            for record in heapq.merge(*map(_run_records, group), key=key):
                pickle.dump(record, out)
        for run in group:
            os.unlink(run)
        runs.append(path)
    for _key, text in heapq.merge(*map(_run_records, runs), key=key):
        yield text


def audit_streamed(sw: StreamWorkspace, date_from: dt.date | None, date_to: dt.date, unit: str | None,
                   person: str | None, fmt: str, output: Path | None, lang: str, jobs: int, backend: str,
                   progress: bool = True) -> bool:
    """`audit` over a streamed dataset, byte for byte the whole load's JSON or CSV; whether any appointment
    violated a precondition. Nothing is written unless the whole dataset is valid."""
    totals = AuditTotals()
    earliest: dt.date | None = None
    runs: list[str] = []
    count = 0
    label = "Đang kiểm tra" if lang == "vi" else "Auditing"
    with sw.stream() as source, tempfile.TemporaryDirectory(prefix="dtbd-audit-") as folder, \
            progress_line(source.person_count, label, progress and progress_enabled()) as bar:
        shared = source.shared.dataset
        unknown_unit = unit is not None and unit not in shared.unit_by_id
        unknown_person = person is not None and not source.has_person(person)
        fn = partial(audit_chunk, date_from=date_from, date_to=date_to, unit=unit, person=person, fmt=fmt,
                     folder=folder)
        for chunk in run_stream(sw.book, source, sw.as_of, fn, jobs=jobs, backend=backend, lang=lang,
                                evaluate=not (unknown_unit or unknown_person)):
            totals.update(chunk.totals)
            count += chunk.count
            if chunk.run is not None:
                runs.append(chunk.run)
            if chunk.earliest is not None and (earliest is None or chunk.earliest < earliest):
                earliest = chunk.earliest
            bar.advance(chunk.people)
        if unknown_unit:
            assert unit is not None
            unit_and_descendants(shared, unit)  # raises UnknownIdError, with suggestions
        if unknown_person:
            assert person is not None
            raise UnknownIdError("người / person", person,
                                 difflib.get_close_matches(person, source.person_ids(), n=3))
        day_from = date_from or earliest or date_to
        names = {u.id: u.name for u in shared.units}
        with stream_to(output, spool=True, binary=True) as out:
            if fmt == "csv":
                out.write(csv_text(CSV_FIELDS, []).encode("utf-8"))
                for text in merged(runs, folder):
                    out.write(text)
            else:
                write_json(out, [("from", day_from.isoformat(), False), ("to", date_to.isoformat(), False),
                                 ("appointments", merged(runs, folder), True),
                                 *report_sections(totals, unit, person, names)])
                if output is None:
                    out.write(b"\n")  # as click.echo ends stdout
    return totals.has_violation



__all__ = ["CSV_FIELDS", "audit_streamed", "command", "flat_rows", "item_rows", "table_report"]
