"""The `audit` table answer first: the summary block (counts by verdict, the latest violation), the
appointments by severity (violation, unknown, ok; the latest first), the numbered notes, then the
tallies by unit and by year. Rule ids are in the notes; the table names what was missing."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from cli.layout import counts_line, fit_table, output_width, severity, summary_block, wrap_text
from cli.render_findings import requirement_text
from engine import codes
from engine.dates import day_text as day
from engine.results import AuditedAppointment, AuditReport, Tally
from engine.workspace import Workspace

RESULT = {
    "vi": {"ok": "đúng quy định", "violation": "vi phạm", "unknown": "chưa đủ dữ liệu"},
    "en": {"ok": "ok", "violation": "violation", "unknown": "undecided"},
}
HEADERS = {
    "vi": ["STT", "Họ và tên", "Chức vụ", "Ngày bổ nhiệm", "Hình thức", "Kết quả", "Chưa đáp ứng"],
    "en": ["#", "Full name", "Post", "Start", "Kind", "Result", "Not met"],
}
TALLY_HEADERS = {
    "vi": ["Tổng số", "Đúng quy định", "Vi phạm", "Chưa đủ dữ liệu", "Tỷ lệ vi phạm"],
    "en": ["Total", "OK", "Violation", "Undecided", "Violation rate"],
}


def ordered(items: Sequence[AuditedAppointment], only_gaps: bool = False) -> list[AuditedAppointment]:
    """Violations, then undecided, then ok; the latest appointment first within each."""
    kept = [i for i in items if not only_gaps or i.status != "ok"]
    return sorted(kept, key=lambda i: (severity(i.status), -i.appointment.start.toordinal(), i.appointment.person))


def _rate(tally: Tally, lang: str) -> str:
    text = f"{tally.rate * 100:.1f}%"
    return text.replace(".", ",") if lang == "vi" else text  # Vietnamese decimal comma


def _tally_cells(tally: Tally, lang: str) -> list[Any]:
    return [tally.total, tally.ok, tally.violation, tally.unknown, _rate(tally, lang)]


def title(ws: Workspace, report: AuditReport, lang: str) -> str:
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


def _not_met(ws: Workspace, item: AuditedAppointment, lang: str) -> str:
    """What was missing (violations, else what could not be decided), by requirement label."""
    shown = item.violations or [f for f in item.findings if f.status == "unknown"]
    labels: list[str] = []
    for f in shown:
        label = requirement_text(ws.book, f.requirement, lang)
        if label not in labels:
            labels.append(label)
    return "; ".join(labels)


def _appointment_row(ws: Workspace, index: int, item: AuditedAppointment, lang: str) -> list[Any]:
    a = item.appointment
    post = ws.dataset.position_by_id.get(a.position)
    return [index, item.full_name, post.title if post else a.position, day(a.start, lang),
            codes.APPOINTMENT_KIND.label(a.kind, lang), RESULT[lang][item.status], _not_met(ws, item, lang)]


def _explained(ws: Workspace, items: Sequence[AuditedAppointment], lang: str) -> list[str]:
    vi = lang == "vi"

    def post_title(item: AuditedAppointment) -> str:
        post = ws.dataset.position_by_id.get(item.appointment.position)
        return post.title if post else item.appointment.position

    lines: list[str] = []
    for index, item in enumerate(items, 1):
        # with --explain every finding is shown with its trace, the met ones too (why was it lawful?)
        shown = [f for f in item.findings if f.status in ("violation", "unknown") or f.trace is not None]
        if not shown:
            continue
        lines.append(f"{index}. {item.full_name} ({item.appointment.person}) — {post_title(item)} "
                     f"({item.appointment.position}), {day(item.appointment.start, lang)}:")
        for f in shown:
            lines.append(f"   - [{f.rule}] {f.explanation}")
            lines.append(f"     {'Căn cứ' if vi else 'Source'}: {f.source}")
            if f.trace is not None:
                from cli.render_trace import trace_lines

                lines.extend(trace_lines(f.trace, lang, depth=3))
    if not lines:
        return []
    head = "Ghi chú: vi phạm và trường hợp chưa đủ dữ liệu" if vi else "Notes: violations and undecided cases"
    if any(f.trace is not None for a in items for f in a.findings):
        head = "Ghi chú: giải thích từng kết luận" if vi else "Notes: why each finding"
    unverified = any(not f.verified for a in items for f in a.findings
                     if f.status in ("violation", "unknown"))
    tail = []
    if unverified:
        tail = ["(chưa xác minh): quy tắc dựa trên nguồn chưa được kiểm chứng đầy đủ" if vi
                else "(unverified): the rule rests on a source not fully confirmed"]
    return [head, "", *lines, *tail]


def _summaries(report: AuditReport, lang: str, width: int) -> list[str]:
    vi = lang == "vi"
    heads = TALLY_HEADERS[lang]
    units = [[u, report.unit_names.get(u, u), *_tally_cells(t, lang)] for u, t in report.by_unit()]
    years = [[y, *_tally_cells(t, lang)] for y, t in report.by_year()]
    s = report.summary
    total = Tally(s["total"], s["ok"], s["violation"], s["unknown"])
    return [
        "Tổng hợp theo đơn vị" if vi else "Summary by unit", "",
        fit_table(["Mã" if vi else "Id", "Đơn vị" if vi else "Unit", *heads], units, width, (1,)), "",
        "Tổng hợp theo năm" if vi else "Summary by year", "",
        fit_table(["Năm" if vi else "Year", *heads], years, width), "",
        ("Tổng cộng" if vi else "Overall") + ": " + ", ".join(
            f"{h} {v}" for h, v in zip(heads, _tally_cells(total, lang), strict=True)),
    ]


def summary(ws: Workspace, report: AuditReport, lang: str) -> list[str]:
    vi = lang == "vi"
    s = report.summary
    counts = {k: s[k] for k in ("ok", "violation", "unknown")}
    rate = _rate(Tally(s["total"], s["ok"], s["violation"], s["unknown"]), lang)
    lines = [counts_line(counts, lambda status, lg: RESULT[lg][status], lang)
             + (f" (tỷ lệ vi phạm {rate})" if vi else f" (violation rate {rate})")]
    first = next(iter(ordered(report.appointments, only_gaps=True)), None)
    if first is not None:
        post = ws.dataset.position_by_id.get(first.appointment.position)
        what = _not_met(ws, first, lang)
        lines.append(("Gần nhất: " if vi else "Latest: ") + f"{RESULT[lang][first.status]} — {first.full_name}, "
                     f"{post.title if post else first.appointment.position}, {day(first.appointment.start, lang)}"
                     + (f": {what}" if what else ""))
    title = f"{s['total']} lần bổ nhiệm" if vi else f"{s['total']} appointments"
    return summary_block(title, lines, lang)


def table_report(ws: Workspace, report: AuditReport, lang: str, only_gaps: bool = False,
                 width: int | None = None) -> str:
    width = width or output_width()
    parts = [title(ws, report, lang), ""]
    if not report.appointments:
        parts.append("Không có lần bổ nhiệm nào trong kỳ." if lang == "vi"
                     else "No appointment in the period.")
        return "\n".join(parts)
    parts += summary(ws, report, lang)
    items = ordered(report.appointments, only_gaps)
    body = [_appointment_row(ws, i, item, lang) for i, item in enumerate(items, 1)]
    if body:
        parts += [fit_table(HEADERS[lang], body, width, (1, 2, 6)), ""]
    explained = _explained(ws, items, lang)
    if explained:
        parts += [*explained, ""]
    parts += _summaries(report, lang, width)
    return wrap_text("\n".join(parts), width)


__all__ = ["HEADERS", "RESULT", "ordered", "summary", "table_report"]
