"""`dtbd audit --format xlsx`: the audit as a board files it (issue 17, item 3). Sheets: by unit (grouped
under the sở or commune, worst violation rate first), by year, unit × year, by rule (breached most first,
remedied later vs outstanding), then the detail: one row per appointment, its failed rules joined. Labels,
not codes; dates are date cells; rates are percentages."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from engine import codes
from engine.results import AuditedAppointment, AuditReport, Tally
from engine.workspace import Workspace

RESULT = {"vi": {"ok": "Đúng quy định", "violation": "Vi phạm", "unknown": "Chưa đủ dữ liệu"},
          "en": {"ok": "OK", "violation": "Violation", "unknown": "Undecided"}}
TALLY = {"vi": ["Tổng số", "Đúng quy định", "Vi phạm", "Chưa đủ dữ liệu", "Tỷ lệ vi phạm (%)"],
         "en": ["Total", "OK", "Violation", "Undecided", "Violation rate (%)"]}


def _tally(t: Tally) -> list[Any]:
    return [t.total, t.ok, t.violation, t.unknown, round(t.rate * 100, 1)]


def unit_rows(ws: Workspace, report: AuditReport, lang: str) -> tuple[list[str], list[list[Any]]]:
    """A group line (the sở or commune, its totals), then its units indented, worst first."""
    vi = lang == "vi"
    headers = ["STT", "Đơn vị" if vi else "Unit", *TALLY[lang]]
    rows: list[list[Any]] = []
    for index, group in enumerate(ws.audit_summary(report).groups, 1):
        rows.append([index, group.name, *_tally(group.tally)])
        for unit, name, tally in group.units:
            if not (len(group.units) == 1 and unit == group.unit):
                rows.append(["", f"    {name}", *_tally(tally)])
    return headers, rows


def rule_rows(ws: Workspace, report: AuditReport, lang: str) -> tuple[list[str], list[list[Any]]]:
    vi = lang == "vi"
    headers = (["STT", "Tiêu chuẩn (quy tắc)", "Căn cứ pháp lý", "Số lần vi phạm", "Đã bổ sung sau", "Còn tồn tại",
                "Chưa đủ dữ liệu"] if vi else
               ["#", "Standard (rule)", "Legal source", "Violations", "Remedied later", "Outstanding", "Undecided"])
    rows = [[i, r.title, r.source, r.violation, r.remedied, r.outstanding, r.unknown]
            for i, r in enumerate(ws.audit_summary(report).rules, 1)]
    return headers, rows


def year_rows(report: AuditReport, lang: str) -> tuple[list[str], list[list[Any]]]:
    return ["Năm" if lang == "vi" else "Year", *TALLY[lang]], [[y, *_tally(t)] for y, t in report.by_year()]


def unit_year_rows(report: AuditReport, lang: str) -> tuple[list[str], list[list[Any]]]:
    """Units down, years across: the violations of the unit that year over its appointments ("2/5")."""
    years = [y for y, _ in report.by_year()]
    cells = dict(report.by_unit_year())
    headers = ["Đơn vị" if lang == "vi" else "Unit", *(str(y) for y in years)]
    rows = [[report.unit_names.get(u, u),
             *(f"{cells[(u, y)].violation}/{cells[(u, y)].total}" if (u, y) in cells else "" for y in years)]
            for u, _ in report.by_unit()]
    return headers, rows


def detail_rows(ws: Workspace, report: AuditReport, lang: str) -> tuple[list[str], list[list[Any]]]:
    vi = lang == "vi"
    headers = (["STT", "Họ và tên", "Chức vụ bổ nhiệm", "Đơn vị", "Ngày bổ nhiệm", "Hình thức", "Kết quả",
                "Tiêu chuẩn không đạt", "Bổ sung sau ngày", "Căn cứ pháp lý"] if vi else
               ["#", "Full name", "Post", "Unit", "Start", "Kind", "Result", "Standards not met", "Met later on",
                "Legal source"])

    def row(index: int, item: AuditedAppointment) -> list[Any]:
        a = item.appointment
        post = ws.dataset.position_by_id.get(a.position)
        failed = [f for f in item.findings if f.status in ("violation", "unknown")]
        undecided = " (chưa đủ dữ liệu)" if vi else " (undecided)"
        later = [f.met_later for f in failed if f.met_later is not None]
        return [index, item.full_name, post.title if post else a.position, report.unit_names.get(item.unit, item.unit),
                a.start, codes.APPOINTMENT_KIND.label(a.kind, lang), RESULT[lang][item.status],
                "; ".join(f.title + ("" if f.status == "violation" else undecided) for f in failed),
                min(later) if later else None, "; ".join(dict.fromkeys(f.source for f in failed))]

    return headers, [row(i, item) for i, item in enumerate(report.appointments, 1)]


def write_audit_xlsx(ws: Workspace, report: AuditReport, output: Path | None, title: str, lang: str,
                     as_of: dt.date, trace: tuple[str, list[str], list[list[Any]]] | None = None) -> None:
    """The audit workbook; `trace` (audit --explain): the decision traces as a last sheet."""
    from cli.xlsx_charts import ChartSpec
    from cli.xlsx_out import form_for, write_sheet_xlsx

    vi = lang == "vi"
    headers, rows = unit_rows(ws, report, lang)
    extra = [("Theo năm" if vi else "By year", *year_rows(report, lang)),
             ("Đơn vị theo năm" if vi else "Unit by year", *unit_year_rows(report, lang)),
             ("Theo tiêu chuẩn" if vi else "By rule", *rule_rows(ws, report, lang)),
             ("Chi tiết" if vi else "Detail", *detail_rows(ws, report, lang)),
             *([trace] if trace is not None else [])]
    s = report.summary
    notes = [(f"Tổng số {s['total']} lần bổ nhiệm: {s['ok']} đúng quy định, {s['violation']} vi phạm, "
              f"{s['unknown']} chưa đủ dữ liệu." if vi else
              f"{s['total']} appointments: {s['ok']} ok, {s['violation']} violations, {s['unknown']} undecided.")]
    write_sheet_xlsx(output, title, as_of, headers, rows, sheet="Theo đơn vị" if vi else "By unit",
                     extra_sheets=[(n, list(h), r) for n, h, r in extra], lang=lang, notes=notes, form=form_for(ws),
                     charts={0: ChartSpec("Tỷ lệ vi phạm theo đơn vị (%)" if vi else "Violation rate by unit (%)", 2,
                                          (7,), horizontal=True)})


__all__ = ["detail_rows", "rule_rows", "unit_rows", "unit_year_rows", "write_audit_xlsx", "year_rows"]
