"""`dtbd audit [--from D] [--to D] [--unit U] [--person P]`: were past appointments lawful on their day?"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from functools import partial
from pathlib import Path
from typing import IO, Any

import click

from cli.audit_table import table_report
from cli.audit_table import title as audit_title
from cli.context import data_options, date_option
from cli.csv_form import CsvForm, csv_form, localised
from cli.output import csv_start, csv_text, emit, resolve_format, stream_to, to_json
from cli.progress import phase, progress_enabled
from cli.progress import progress as progress_line
from cli.stamp import current, stamp
from engine.errors import FindingsFound, UsageError
from engine.results import AuditedAppointment, AuditReport, Finding
from engine.workspace import STREAM_ABOVE, EngineConfig, StreamedAudit, Workspace, open_dataset

CSV_FIELDS = ["person", "full_name", "position", "unit", "start", "kind", "appointment_status", "rule", "version",
              "variant", "status", "requirement", "deadline", "met_later", "strength", "verified", "source",
              "explanation"]


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
@click.option("--jobs", type=click.IntRange(1, 64), default=None,
              help="Số tiến trình khi đọc từng phần (mặc định: số lõi CPU) / worker processes when streaming "
                   "(default: the number of cores).")
@click.option("--explain", is_flag=True, help="Giải thích từng kết luận / the decision trace of every finding.")
@data_options
def command(date_from: dt.date | None, date_to: dt.date | None, unit: str | None, person: str | None,
            only_gaps: bool, backend: str, fail_on_findings: bool, stream: bool | None, jobs: int | None,
            explain: bool,
            data_dir: Path,
            as_of: dt.date | None, rulesets_dir: Path | None, lang: str, fmt: str, json_flag: bool,
            output: Path | None) -> None:
    """Kiểm tra các lần bổ nhiệm đã qua theo quy định có hiệu lực tại ngày bổ nhiệm /
    audit past appointments against the rules in force on their own date."""
    fmt = resolve_format(fmt, json_flag)
    if date_from is not None and date_to is not None and date_from > date_to:
        raise click.UsageError(f"--from {date_from.isoformat()} is after --to {date_to.isoformat()}")
    if fmt in ("xlsx", "docx") and output is None:
        raise click.UsageError(f"--format {fmt} needs --output FILE")
    if stream and fmt not in ("json", "csv"):
        raise click.UsageError("audit --stream writes json or csv")
    if explain and stream:
        raise click.UsageError("--explain is for the whole load (e.g. audit --person P --explain), not --stream")
    try:
        ws = open_dataset(data_dir, rulesets_dir, as_of,
                          stream=stream if fmt in ("json", "csv") and not explain else False,
                          config=EngineConfig(backend, lang, explain))
    except UsageError as exc:
        raise click.UsageError(f"audit {exc}") from None
    stamp(ws, lang)  # the provenance of the output (cli.output.emit; the streamed JSON's last entry)
    if ws.streamed:
        violation = audit_streamed(ws, date_from, date_to, unit, person, fmt, output, lang, jobs)
        if fail_on_findings and violation:
            raise FindingsFound(1)
        return
    with phase("Đang kiểm tra các lần bổ nhiệm" if lang == "vi" else "Auditing"):
        report = ws.audit(date_from, date_to, unit=unit, person=person)

    def xlsx(out: Path | None) -> None:
        from cli.audit_xlsx import write_audit_xlsx
        from cli.docx_out import docx_requested

        assert out is not None
        if docx_requested():  # `--format docx`: the short report a board attaches (cli.audit_docx)
            from cli.audit_docx import write_audit_docx

            write_audit_docx(ws, report, out, lang, tuple(audit_title(ws, report, lang).split("\n")[1:]))
            return
        from cli.render_trace import trace_sheet

        trace = trace_sheet((f for a in report.appointments for f in a.findings), lang) if explain else None
        write_audit_xlsx(ws, report, out, audit_title(ws, report, lang).replace("\n", " — "), lang, ws.as_of, trace)

    emit(fmt, output, json_payload=report.to_json, csv_rows=lambda: localised(CSV_FIELDS, flat_rows(report), lang, ws),
         table=lambda: table_report(ws, report, lang, only_gaps), xlsx=xlsx)
    if fail_on_findings and report.has_violation:
        raise FindingsFound(1)


# -- a streamed dataset (engine.loading.stream) -------------------------------------------------------------
def render_item(item: AuditedAppointment, fmt: str, form: CsvForm | None = None) -> bytes:
    """One appointment as the whole report writes it (in a worker, as UTF-8): its JSON object at the depth
    of "appointments" (the report is indented by 2), or its CSV rows in `form` (cli.csv_form)."""
    if fmt == "json":
        return to_json(item.to_json()).replace("\n", "\n    ").encode("utf-8")
    form = form if form is not None else CsvForm(tuple(CSV_FIELDS))
    return csv_text(form.headers(), form.rows(item_rows(item))).split("\n", 1)[1].encode("utf-8")


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


def audit_streamed(ws: Workspace, date_from: dt.date | None, date_to: dt.date | None, unit: str | None,
                   person: str | None, fmt: str, output: Path | None, lang: str, jobs: int | None = None,
                   progress: bool = True) -> bool:
    """`audit` over a streamed dataset, byte for byte the whole load's JSON or CSV; whether any appointment
    violated a precondition. Nothing is written unless the whole dataset is valid."""
    label = "Đang kiểm tra" if lang == "vi" else "Auditing"
    with progress_line(0, label, progress and progress_enabled()) as bar:
        def total(n: int) -> None:
            bar.total = n

        form = csv_form(CSV_FIELDS, lang, ws)
        with ws.audit_stream(partial(render_item, fmt=fmt, form=form), date_from, date_to, unit, person, jobs,
                             progress=bar.advance, on_total=total) as streamed, \
                stream_to(output, spool=True, binary=True) as out:
            write_streamed(out, streamed, fmt, output is None, csv_start(output), form.headers())
        return streamed.totals.has_violation


def provenance_entry() -> list[tuple[str, Any, bool]]:
    found = current()
    return [("provenance", found.to_json(), False)] if found is not None else []


def write_streamed(out: IO[bytes], streamed: StreamedAudit, fmt: str, to_stdout: bool, start: str = "",
                   headers: list[str] | None = None) -> None:
    """The streamed audit as the whole load's report writes it (`start`: the CSV's BOM, for a file;
    `headers`: its header row, default the keys)."""
    if fmt == "csv":
        out.write((start + csv_text(CSV_FIELDS if headers is None else headers, [])).encode("utf-8"))
        for text in streamed.items:
            out.write(text)
        return
    write_json(out, [("from", streamed.date_from.isoformat(), False), ("to", streamed.date_to.isoformat(), False),
                     ("appointments", streamed.items, True),
                     *streamed.sections(), *provenance_entry()])
    if to_stdout:
        out.write(b"\n")  # as click.echo ends stdout


__all__ = ["CSV_FIELDS", "audit_streamed", "command", "flat_rows", "item_rows", "table_report"]
