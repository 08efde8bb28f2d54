"""A person's findings, answer first: the summary block, the rows by severity, then numbered notes.

The table shows each rule by its title; the rule id (with its variant), the legal source and the
strength open the note of the same number, with the explanation and the next course. Rows come by
severity (cli.layout.SEVERITY: overdue, due, missing, unknown, pending, exempt, met), earliest
deadline first within a status; `only_gaps` leaves out met and exempt.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from typing import Any

from cli.layout import GAP_STATUSES, counts_line, fit_table, output_width, severity, summary_block, wrap_text
from cli.render_findings import post_text, requirement_text
from engine import codes
from engine.dates import day_text as day
from engine.results import Dataset, Finding, Rulebook

HEADERS = {
    "vi": ["STT", "Trạng thái", "Yêu cầu", "Chức vụ (căn cứ)", "Hạn", "Quy tắc"],
    "en": ["#", "Status", "Requirement", "Post (basis)", "Deadline", "Rule"],
}
WRAP = (2, 3, 5)
# Table cells name the status briefly; the summary and the notes say the rest.
SHORT_STATUS = {"vi": {"pending": "chờ bổ sung"}, "en": {"pending": "pending"}}
FAR = dt.date.max


def ordered(findings: Sequence[Finding], only_gaps: bool = False) -> list[Finding]:
    """By severity, then deadline (none last), then rule; without met and exempt when `only_gaps`."""
    kept = [f for f in findings if not only_gaps or f.status in GAP_STATUSES]
    return sorted(kept, key=lambda f: (severity(f.status), f.deadline or FAR, f.rule, f.variant or ""))


def most_urgent(findings: Sequence[Finding]) -> Finding | None:
    gaps = [f for f in ordered(findings) if f.status in GAP_STATUSES]
    return gaps[0] if gaps else None


def urgent_text(dataset: Dataset, book: Rulebook, f: Finding, lang: str) -> str:
    """'bồi dưỡng QLNN …: quá hạn từ 01/05/2025 (Giám đốc Sở Nội vụ, đang giữ chức vụ)'."""
    vi = lang == "vi"
    req = requirement_text(book, f.requirement, lang)
    status = codes.STATUS.label(f.status, lang)
    when = ""
    if f.deadline is not None:
        if f.status == "overdue":
            when = f" từ {day(f.deadline, lang)}" if vi else f" since {day(f.deadline, lang)}"
        else:
            when = f", hạn {day(f.deadline, lang)}" if vi else f", deadline {day(f.deadline, lang)}"
    return f"{req}: {status}{when} — {post_text(dataset, f, lang)}"


def summary(dataset: Dataset, book: Rulebook, findings: Sequence[Finding], lang: str,
            verdict: str | None = None, way: str | None = None) -> list[str]:
    """`verdict` (with --for-position) and `way`, the way to eligibility, open the block."""
    vi = lang == "vi"
    counts = Counter(f.status for f in findings)
    opening = [line for line in (verdict, way) if line]
    lines = [*opening, counts_line(dict(counts), codes.STATUS.label, lang)]
    urgent = most_urgent(findings)
    if urgent is not None:
        lines.append(("Việc gấp nhất: " if vi else "Most urgent: ") + urgent_text(dataset, book, urgent, lang))
    else:
        lines.append("Không còn yêu cầu nào chưa đáp ứng." if vi else "Nothing left unmet.")
    unverified = sum(1 for f in findings if not f.verified)
    if unverified:  # on the counts line: the first screen of `make demo` is 40 lines
        first = len(opening)
        lines[first] += (f" — {unverified} theo quy tắc chưa xác minh (*)" if vi
                         else f" — {unverified} on unverified rules (*)")
    title = f"{len(findings)} yêu cầu" if vi else f"{len(findings)} requirements"
    return summary_block(title, lines, lang)


def table_rows(dataset: Dataset, book: Rulebook, findings: Sequence[Finding], lang: str) -> list[list[Any]]:
    out = []
    for i, f in enumerate(findings, 1):
        status = SHORT_STATUS[lang].get(f.status) or codes.STATUS.label(f.status, lang)
        out.append([i, status + ("" if f.verified else " *"), requirement_text(book, f.requirement, lang),
                    post_text(dataset, f, lang), day(f.deadline, lang), f.title])
    return out


def note_lines(findings: Sequence[Finding], lang: str) -> list[str]:
    """'1. RULE/variant (citation; strength): explanation — next course (dd/mm/yyyy → dd/mm/yyyy)'; the
    unverified mark. The rule's title is in the table, so it is not repeated."""
    vi = lang == "vi"
    lines = []
    for i, f in enumerate(findings, 1):
        text = f.explanation.replace(f" — {f.title}", "", 1) if f.title else f.explanation
        line = (f"{i}. {f.rule}{'/' + f.variant if f.variant else ''} ({f.source}; "
                f"{codes.STRENGTH.label(f.strength, lang)}): {text}")
        if f.courses:
            first = f.courses[0]
            label = "Khóa học gần nhất" if vi else "Next course"
            late = (" (kết thúc sau hạn)" if vi else " (ends after the deadline)") if first["late"] else ""
            line += (f" — {label}: {first['course']} ({_iso_day(first['start'], lang)} → "
                     f"{_iso_day(first['end'], lang)}){late}")
        lines.append(line)
        if f.trace is not None:  # --explain: the decision trace, an indented tree under the finding's note
            from cli.render_trace import trace_lines

            lines.extend(trace_lines(f.trace, lang))
    if any(not f.verified for f in findings):
        lines.append("* chưa xác minh: quy tắc dựa trên nguồn chưa được kiểm chứng đầy đủ" if vi
                     else "* unverified: the rule rests on a source not fully confirmed")
    return lines


def _iso_day(value: Any, lang: str) -> str:
    if isinstance(value, dt.date):
        return day(value, lang)
    text = str(value)
    if lang == "vi" and len(text) == 10 and text[4] == "-":
        return f"{text[8:10]}/{text[5:7]}/{text[0:4]}"
    return text


def findings_text(dataset: Dataset, book: Rulebook, head: str, findings: Sequence[Finding], lang: str,
                  only_gaps: bool = False, verdict: str | None = None, width: int | None = None,
                  brief: bool = False, way: str | None = None) -> str:
    """The whole table output of `check`: head, summary block, table by severity, notes (not when `brief`)."""
    width = width or output_width()
    vi = lang == "vi"
    shown = ordered(findings, only_gaps)
    parts = [head, "", *summary(dataset, book, findings, lang, verdict, way)]
    if shown:
        parts.append(fit_table(HEADERS[lang], table_rows(dataset, book, shown, lang), width, WRAP))
        if brief:
            parts += ["(--brief: căn cứ pháp lý và khóa học gần nhất ở bản đầy đủ)" if vi
                      else "(--brief: legal sources and next courses are in the full output)"]
        else:
            parts += ["", "Ghi chú" if vi else "Notes", *note_lines(shown, lang)]
    elif findings:
        parts.append("Không còn yêu cầu nào chưa đáp ứng (--only-gaps ẩn các dòng đạt, miễn)." if vi
                     else "Nothing unmet (--only-gaps hides met and exempt rows).")
    else:
        parts.append("Không có yêu cầu nào áp dụng." if vi else "No requirement applies.")
    return wrap_text("\n".join(parts), width)


__all__ = ["HEADERS", "findings_text", "most_urgent", "ordered", "summary"]
