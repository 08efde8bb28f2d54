"""Rendering of findings (check, audit) as table rows, JSON and CSV columns, in Vietnamese or English."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from engine import codes
from engine.dates import day_text as day

if TYPE_CHECKING:
    from engine.results import Dataset, Finding, Rulebook

HEADERS = {
    "vi": ["STT", "Quy tắc", "Trạng thái", "Yêu cầu", "Chức vụ (căn cứ)", "Hạn", "Loại quy định", "Căn cứ pháp lý"],
    "en": ["#", "Rule", "Status", "Requirement", "Post (basis)", "Deadline", "Strength", "Legal source"],
}
CSV_FIELDS = ["person", "rule", "version", "variant", "status", "requirement", "position", "basis", "deadline",
              "strength", "verified", "remedy", "source", "explanation"]


def requirement_text(book: Rulebook, code: str, lang: str) -> str:
    if code in book.programmes:
        return book.programme_label(code, lang)
    cond = book.conditions.get(code)
    return (cond.label_vi if lang == "vi" else cond.label_en) if cond else code


def post_text(dataset: Dataset, finding: Finding, lang: str) -> str:
    post = dataset.position_by_id.get(finding.position or "")
    title = post.title if post else (finding.position or "")
    return f"{title} ({codes.BASIS.label(finding.basis, lang)})"


def rows(dataset: Dataset, book: Rulebook, findings: list[Finding], lang: str) -> list[list[Any]]:
    out = []
    for i, f in enumerate(findings, 1):
        status = codes.STATUS.label(f.status, lang)
        if not f.verified:
            status += " *"
        out.append([i, f.rule + (f"/{f.variant}" if f.variant else ""), status,
                    requirement_text(book, f.requirement, lang), post_text(dataset, f, lang),
                    day(f.deadline, lang), codes.STRENGTH.label(f.strength, lang), f.source])
    return out


def notes(findings: list[Finding], lang: str) -> list[str]:
    lines = []
    for i, f in enumerate(findings, 1):
        line = f"{i}. {f.explanation}"
        if f.courses:
            first = f.courses[0]
            label = "Khóa học gần nhất" if lang == "vi" else "Next course"
            late = (" (kết thúc sau hạn)" if lang == "vi" else " (ends after the deadline)") if first["late"] else ""
            line += f" — {label}: {first['course']} ({first['start']} → {first['end']}){late}"
        lines.append(line)
        if f.trace is not None:
            from cli.render_trace import trace_lines

            lines.extend(trace_lines(f.trace, lang))
    if any(not f.verified for f in findings):
        lines.append("* chưa xác minh: quy tắc dựa trên nguồn chưa được kiểm chứng đầy đủ" if lang == "vi"
                     else "* unverified: the rule rests on a source not fully confirmed")
    return lines


def check_payload(person: str, as_of: dt.date, eligible: bool | None, findings: list[Finding]) -> dict[str, Any]:
    """The `check` JSON object (its shape is pinned by tests/test_check_cli.py)."""
    return {"person": person, "as_of": as_of.isoformat(), "eligible": eligible,
            "findings": [f.to_json() for f in findings]}


def csv_row(person: str, f: Finding) -> list[Any]:
    return [person, f.rule, f.version, f.variant or "", f.status, f.requirement, f.position or "", f.basis,
            f.deadline.isoformat() if f.deadline else "", f.strength, str(f.verified).lower(), f.remedy or "",
            f.source, f.explanation]
