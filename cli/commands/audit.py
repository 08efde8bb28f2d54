"""`dtbd audit [--from D] [--to D] [--unit U] [--person P]`: were past appointments lawful on their day?"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from functools import partial
from pathlib import Path
from typing import IO, Any

import click

from cli.context import data_options, date_option
from cli.output import csv_text, emit, resolve_format, stream_to, table_text, to_json
from cli.progress import progress as progress_line
from cli.progress import progress_enabled
from cli.stamp import current, stamp
from engine import codes
from engine.dates import day_text as day
from engine.errors import FindingsFound, UsageError
from engine.results import AuditedAppointment, AuditReport, Finding, Tally
from engine.workspace import STREAM_ABOVE, EngineConfig, StreamedAudit, Workspace, open_dataset

RESULT = {
    "vi": {"ok": "đúng quy định", "violation": "vi phạm", "unknown": "chưa đủ dữ liệu"},
    "en": {"ok": "ok", "violation": "violation", "unknown": "undecided"},
}
HEADERS = {
    "vi": ["STT", "Họ và tên", "Chức vụ", "Ngày bổ nhiệm", "Hình thức", "Kết quả", "Vi phạm"],
    "en": ["#", "Full name", "Post", "Start", "Kind", "Result", "Violations"],
}
TALLY_HEADERS = {
    "vi": ["Tổng số", "Đúng quy định", "Vi phạm", "Chưa đủ dữ liệu", "Tỷ lệ vi phạm"],
    "en": ["Total", "OK", "Violation", "Undecided", "Violation rate"],
}
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


def _rate(tally: Tally, lang: str) -> str:
    text = f"{tally.rate * 100:.1f}%"
    return text.replace(".", ",") if lang == "vi" else text  # Vietnamese decimal comma


def _tally_cells(tally: Tally, lang: str) -> list[Any]:
    return [tally.total, tally.ok, tally.violation, tally.unknown, _rate(tally, lang)]


def _title(ws: Workspace, report: AuditReport, lang: str) -> str:
    vi = lang == "vi"
    text = (f"Kiểm tra công tác bổ nhiệm từ {day(report.date_from, lang)} đến {day(report.date_to, lang)}" if vi
            else f"Audit of appointments from {day(report.date_from, lang)} to {day(report.date_to, lang)}")
    if report.unit:
        name = ws.dataset.unit_by_id[report.unit].name
        text += f"\n{'Đơn vị' if vi else 'Unit'}: {name} ({report.unit})"
        text += " và các đơn vị trực thuộc" if vi else " and the units under it"
    if report.person:
        text += f"\n{'Người' if vi else 'Person'}: {ws.dataset.person_by_id[report.person].full_name} ({report.person})"
    return text


def _appointment_row(ws: Workspace, index: int, item: AuditedAppointment, lang: str) -> list[Any]:
    a = item.appointment
    post = ws.dataset.position_by_id.get(a.position)
    ids = sorted({f.rule + (f"/{f.variant}" if f.variant else "") for f in item.violations})
    return [index, item.full_name, post.title if post else a.position, day(a.start, lang),
            codes.APPOINTMENT_KIND.label(a.kind, lang), RESULT[lang][item.status], ", ".join(ids)]


def _explained(report: AuditReport, lang: str) -> list[str]:
    vi = lang == "vi"
    lines: list[str] = []
    for index, item in enumerate(report.appointments, 1):
        # with --explain every finding is shown with its trace, the met ones too (why was it lawful?)
        shown = [f for f in item.findings if f.status in ("violation", "unknown") or f.trace is not None]
        if not shown:
            continue
        lines.append(f"{index}. {item.full_name} ({item.appointment.person}) — {item.appointment.position}, "
                     f"{day(item.appointment.start, lang)}:")
        for f in shown:
            lines.append(f"   - [{f.rule}] {f.explanation}")
            lines.append(f"     {'Căn cứ' if vi else 'Source'}: {f.source}")
            if f.trace is not None:
                from cli.render_trace import trace_lines

                lines.extend(trace_lines(f.trace, lang, depth=3))
    if not lines:
        return []
    head = "Vi phạm và trường hợp chưa đủ dữ liệu" if vi else "Violations and undecided cases"
    if any(f.trace is not None for a in report.appointments for f in a.findings):
        head = "Giải thích từng kết luận" if vi else "Why each finding"
    unverified = any(not f.verified for a in report.appointments for f in a.findings
                     if f.status in ("violation", "unknown"))
    tail = []
    if unverified:
        tail = ["(chưa xác minh): quy tắc dựa trên nguồn chưa được kiểm chứng đầy đủ" if vi
                else "(unverified): the rule rests on a source not fully confirmed"]
    return [head, "", *lines, *tail]


def _summaries(report: AuditReport, lang: str) -> list[str]:
    vi = lang == "vi"
    heads = TALLY_HEADERS[lang]
    units = [[u, report.unit_names.get(u, u), *_tally_cells(t, lang)] for u, t in report.by_unit()]
    years = [[y, *_tally_cells(t, lang)] for y, t in report.by_year()]
    s = report.summary
    total = Tally(s["total"], s["ok"], s["violation"], s["unknown"])
    return [
        "Tổng hợp theo đơn vị" if vi else "Summary by unit", "",
        table_text(["Mã" if vi else "Id", "Đơn vị" if vi else "Unit", *heads], units), "",
        "Tổng hợp theo năm" if vi else "Summary by year", "",
        table_text(["Năm" if vi else "Year", *heads], years), "",
        ("Tổng cộng" if vi else "Overall") + ": " + ", ".join(
            f"{h} {v}" for h, v in zip(heads, _tally_cells(total, lang), strict=True)),
    ]


def table_report(ws: Workspace, report: AuditReport, lang: str) -> str:
    parts = [_title(ws, report, lang), ""]
    if not report.appointments:
        parts.append("Không có lần bổ nhiệm nào trong kỳ." if lang == "vi"
                     else "No appointment in the period.")
        return "\n".join(parts)
    body = [_appointment_row(ws, i, item, lang) for i, item in enumerate(report.appointments, 1)]
    parts += [table_text(HEADERS[lang], body), ""]
    explained = _explained(report, lang)
    if explained:
        parts += [*explained, ""]
    parts += _summaries(report, lang)
    return "\n".join(parts)


@click.command("audit")
@date_option("--from", "date_from", help="First appointment date (default: the earliest appointment).")
@date_option("--to", "date_to", help="Last appointment date (default: the evaluation date).")
@click.option("--unit", metavar="UNIT", help="Only posts of this unit and the units under it.")
@click.option("--person", metavar="PERSON", help="Only this person's appointments.")
@click.option("--backend", type=click.Choice(["durable", "python"]), default="durable", hidden=True)
@click.option("--fail-on-findings", is_flag=True, help="Exit 3 when an appointment violated a precondition.")
@click.option("--stream/--no-stream", "stream", default=None,
              help="Read the people in chunks in worker processes (JSON or CSV output); default: for a CSV "
                   f"dataset of more than {STREAM_ABOVE:,} people.")
@click.option("--jobs", type=click.IntRange(1, 64), default=None,
              help="Worker processes when streaming (default: the number of cores).")
@click.option("--explain", is_flag=True, help="Giải thích từng kết luận / the decision trace of every finding.")
@data_options
def command(date_from: dt.date | None, date_to: dt.date | None, unit: str | None, person: str | None,
            backend: str, fail_on_findings: bool, stream: bool | None, jobs: int | None, explain: bool,
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
    report = ws.audit(date_from, date_to, unit=unit, person=person)

    def xlsx(out: Path | None) -> None:
        from cli.xlsx_out import write_sheet_xlsx

        assert out is not None
        vi = lang == "vi"
        title = _title(ws, report, lang).replace("\n", " — ")
        from cli.render_trace import trace_sheet

        headers, rows, sheet = XLSX_HEADERS if vi else XLSX_HEADERS_EN, flat_rows(report), "Kiểm tra bổ nhiệm" if vi \
            else "Audit"
        if explain:  # the traces on a second sheet
            write_sheet_xlsx(out, title, ws.as_of, headers, rows, sheet=sheet, extra_sheets=[
                trace_sheet((f for a in report.appointments for f in a.findings), lang)])
        else:
            write_sheet_xlsx(out, title, ws.as_of, headers, rows, sheet=sheet)

    emit(fmt, output, json_payload=report.to_json, csv_rows=lambda: (CSV_FIELDS, flat_rows(report)),
         table=lambda: table_report(ws, report, lang), xlsx=xlsx)
    if fail_on_findings and report.has_violation:
        raise FindingsFound(1)


# -- a streamed dataset (engine.loading.stream) -------------------------------------------------------------
def render_item(item: AuditedAppointment, fmt: str) -> bytes:
    """One appointment as the whole report writes it (in a worker, as UTF-8): its JSON object at the depth
    of "appointments" (the report is indented by 2), or its CSV rows."""
    if fmt == "json":
        return to_json(item.to_json()).replace("\n", "\n    ").encode("utf-8")
    return csv_text(CSV_FIELDS, item_rows(item)).split("\n", 1)[1].encode("utf-8")


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

        with ws.audit_stream(partial(render_item, fmt=fmt), date_from, date_to, unit, person, jobs,
                             progress=bar.advance, on_total=total) as streamed, \
                stream_to(output, spool=True, binary=True) as out:
            write_streamed(out, streamed, fmt, output is None)
        return streamed.totals.has_violation


def provenance_entry() -> list[tuple[str, Any, bool]]:
    found = current()
    return [("provenance", found.to_json(), False)] if found is not None else []


def write_streamed(out: IO[bytes], streamed: StreamedAudit, fmt: str, to_stdout: bool) -> None:
    """The streamed audit as the whole load's report writes it."""
    if fmt == "csv":
        out.write(csv_text(CSV_FIELDS, []).encode("utf-8"))
        for text in streamed.items:
            out.write(text)
        return
    write_json(out, [("from", streamed.date_from.isoformat(), False), ("to", streamed.date_to.isoformat(), False),
                     ("appointments", streamed.items, True),
                     *streamed.sections(), *provenance_entry()])
    if to_stdout:
        out.write(b"\n")  # as click.echo ends stdout


__all__ = ["CSV_FIELDS", "audit_streamed", "command", "flat_rows", "item_rows", "table_report"]
