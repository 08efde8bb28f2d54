"""`dtbd audit --format docx`: the short report a board attaches to its tờ trình (issue 17, item 5), not
the workbook's every sheet: the form head, the title and period, the totals, the appointments by unit
(grouped under the sở or commune, worst violation rate first), by year, the standards breached most with
how many were remedied later and how many are still outstanding, the violations (a count and "xem tệp
Excel kèm theo" when the list is long), the signature block. The detail is the workbook's
(`--format xlsx`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from cli.audit_xlsx import rule_rows, unit_rows, year_rows
from cli.docx_out import add_table, add_text, finish, new_document
from cli.layout import decimal_row
from engine.dates import day_text
from engine.results import AuditReport
from engine.workspace import Workspace

# At most this many violations are listed by name; more are counted, the list is in the workbook.
LISTED_VIOLATIONS = 15
# The standards breached most: the first this many rules.
TOP_RULES = 10


def _decimal(table: tuple[list[str], list[list[Any]]], lang: str) -> tuple[list[str], list[list[Any]]]:
    """A table's rates with the Vietnamese decimal comma (the workbook's are numbers, formatted by Excel)."""
    if lang != "vi":
        return table
    return table[0], [decimal_row(r, lang) for r in table[1]]


def _percent(part: int, whole: int, lang: str) -> str:
    text = f"{(part / whole * 100) if whole else 0:.1f}%"
    return text.replace(".", ",") if lang == "vi" else text


def totals_text(report: AuditReport, lang: str) -> str:
    """"Tổng số 12 lần bổ nhiệm: 9 đúng quy định, 2 vi phạm (16,7%), 1 chưa đủ dữ liệu."""
    s = report.summary
    rate = _percent(s["violation"], s["total"], lang)
    if lang == "vi":
        return (f"Tổng số {s['total']} lần bổ nhiệm: {s['ok']} đúng quy định, {s['violation']} vi phạm "
                f"(tỷ lệ vi phạm {rate}), {s['unknown']} chưa đủ dữ liệu để kết luận.")
    return (f"{s['total']} appointments: {s['ok']} ok, {s['violation']} violations (violation rate {rate}), "
            f"{s['unknown']} undecided for lack of data.")


def violation_rows(ws: Workspace, report: AuditReport, lang: str) -> tuple[list[str], list[list[Any]]]:
    """The appointments that violated a precondition: who, which post, when, which standards."""
    vi = lang == "vi"
    headers = (["STT", "Họ và tên", "Chức vụ bổ nhiệm", "Ngày bổ nhiệm", "Tiêu chuẩn không đạt", "Bổ sung sau ngày"]
               if vi else ["#", "Full name", "Post", "Start", "Standards not met", "Met later on"])
    rows: list[list[Any]] = []
    for item in (i for i in report.appointments if i.status == "violation"):
        post = ws.dataset.position_by_id.get(item.appointment.position)
        later = [f.met_later for f in item.violations if f.met_later is not None]
        rows.append([len(rows) + 1, item.full_name, post.title if post else item.appointment.position,
                     item.appointment.start, "; ".join(dict.fromkeys(f.title for f in item.violations)),
                     min(later) if later else None])
    return headers, rows


def audit_docx_bytes(ws: Workspace, report: AuditReport, lang: str, subtitles: tuple[str, ...] = ()) -> bytes:
    """The summary document of `report` (callable without the CLI: the web offers it as a download)."""
    from cli.xlsx_out import form_for

    vi = lang == "vi"
    period = (f"Từ ngày {day_text(report.date_from, lang)} đến ngày {day_text(report.date_to, lang)}" if vi else
              f"From {day_text(report.date_from, lang)} to {day_text(report.date_to, lang)}")
    head = form_for(ws, period, *subtitles)
    doc = new_document(head, "Báo cáo tóm tắt kết quả kiểm tra công tác bổ nhiệm" if vi else
                       "Summary of the audit of appointments", ws.as_of, lang)
    add_text(doc, "")
    add_text(doc, "1. Tổng hợp chung" if vi else "1. Totals", bold=True)
    add_text(doc, totals_text(report, lang))
    add_text(doc, "2. Theo đơn vị" if vi else "2. By unit", bold=True)
    add_table(doc, *_decimal(unit_rows(ws, report, lang), lang))
    add_text(doc, "3. Theo năm bổ nhiệm" if vi else "3. By year of appointment", bold=True)
    add_table(doc, *_decimal(year_rows(report, lang), lang))
    headers, rules = rule_rows(ws, report, lang)
    add_text(doc, (f"4. Các tiêu chuẩn bị vi phạm nhiều nhất ({min(len(rules), TOP_RULES)}/{len(rules)})" if vi else
                   f"4. The standards breached most ({min(len(rules), TOP_RULES)}/{len(rules)})"), bold=True)
    if rules:
        add_table(doc, headers, rules[:TOP_RULES])
    else:
        add_text(doc, "Không có tiêu chuẩn nào bị vi phạm." if vi else "No standard was breached.")
    headers, violations = violation_rows(ws, report, lang)
    add_text(doc, "5. Các lần bổ nhiệm vi phạm" if vi else "5. The appointments in violation", bold=True)
    if not violations:
        add_text(doc, "Không có lần bổ nhiệm nào vi phạm." if vi else "No appointment violated a precondition.")
    elif len(violations) > LISTED_VIOLATIONS:
        add_text(doc, (f"Có {len(violations)} lần bổ nhiệm vi phạm (xem tệp Excel kèm theo, trang Chi tiết)." if vi
                       else f"{len(violations)} appointments in violation (see the attached workbook, sheet Detail)."))
    else:
        add_table(doc, headers, violations)
    return finish(doc, head, lang)


def write_audit_docx(ws: Workspace, report: AuditReport, output: Path | None, lang: str,
                     subtitles: tuple[str, ...] = ()) -> None:
    """`audit --format docx` to `output` (atomically)."""
    from cli.xlsx_out import write_xlsx_bytes

    write_xlsx_bytes(output, audit_docx_bytes(ws, report, lang, subtitles), "docx")


__all__ = ["LISTED_VIOLATIONS", "TOP_RULES", "audit_docx_bytes", "totals_text", "violation_rows",
           "write_audit_docx"]
