"""`dtbd audit [--from D] [--to D] [--unit U] [--person P]`: were past appointments lawful on their day?"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import click

from cli.context import data_options, date_option
from cli.output import csv_text, emit_text, resolve_format, table_text, to_json
from cli.render_findings import day
from cli.workspace import Workspace, open_workspace
from engine import codes
from engine.audit import AuditedAppointment, AuditReport, Tally, audit
from engine.evaluation.evaluator import Evaluator
from engine.evaluation.findings import Finding

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
        a = item.appointment
        head = [a.person, item.full_name, a.position, item.unit, a.start.isoformat(), a.kind, item.status]
        cells: list[Finding | None] = list(item.findings) or [None]
        out.extend([*head, *_finding_cells(f)] for f in cells)
    return out


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
        shown = [f for f in item.findings if f.status in ("violation", "unknown")]
        if not shown:
            continue
        lines.append(f"{index}. {item.full_name} ({item.appointment.person}) — {item.appointment.position}, "
                     f"{day(item.appointment.start, lang)}:")
        for f in shown:
            lines.append(f"   - [{f.rule}] {f.explanation}")
            lines.append(f"     {'Căn cứ' if vi else 'Source'}: {f.source}")
    if not lines:
        return []
    head = "Vi phạm và trường hợp chưa đủ dữ liệu" if vi else "Violations and undecided cases"
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
@data_options
def command(date_from: dt.date | None, date_to: dt.date | None, unit: str | None, person: str | None,
            backend: str, fail_on_findings: bool, data_dir: Path, as_of: dt.date | None,
            rulesets_dir: Path | None, lang: str, fmt: str, json_flag: bool, output: Path | None) -> None:
    """Kiểm tra các lần bổ nhiệm đã qua theo quy định có hiệu lực tại ngày bổ nhiệm /
    audit past appointments against the rules in force on their own date."""
    fmt = resolve_format(fmt, json_flag)
    if date_from is not None and date_to is not None and date_from > date_to:
        raise click.UsageError(f"--from {date_from.isoformat()} is after --to {date_to.isoformat()}")
    if fmt == "xlsx" and output is None:
        raise click.UsageError("--format xlsx needs --output FILE")
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
        title = _title(ws, report, lang).replace("\n", " — ")
        write_sheet_xlsx(output, title, ws.as_of, XLSX_HEADERS if vi else XLSX_HEADERS_EN, flat_rows(report),
                         sheet="Kiểm tra bổ nhiệm" if vi else "Audit")
    else:
        emit_text(table_report(ws, report, lang), output)
    if fail_on_findings and report.has_violation:
        raise SystemExit(3)


__all__ = ["CSV_FIELDS", "command", "flat_rows", "table_report"]
