"""The planner's table outputs answer first: `plan`, `shortlist` and `readiness` as text.

Each opens with its summary block (counts, the most urgent item with its deadline), then its rows
most urgent first, then the notes: the rules behind the rows are numbered in a legend ("[1]
ND29-CAOCAP — title — citation") and rows cite them by number, so the ids and citations do not
widen the table. Every table fits the output width (cli.layout).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from typing import Any

from cli.layout import counts_line, fit_table, output_width, severity, summary_block, wrap_text
from engine import codes
from engine.planning import Planner, PlanResult
from engine.planning.admission import Candidate

FAR = dt.date.max
STATUS_VI = {"object": ("đối tượng", "target group")}


def day(value: dt.date | None, lang: str) -> str:
    if value is None:
        return ""
    return value.strftime("%d/%m/%Y") if lang == "vi" else value.isoformat()


def status_label(status: str, lang: str) -> str:
    if status in STATUS_VI:
        return STATUS_VI[status][0 if lang == "vi" else 1]
    label = codes.STATUS.label(status, lang)
    return "chờ bổ sung" if lang == "vi" and status == "pending" else label


def urgency(cand: Candidate) -> tuple[int, dt.date, str]:
    return severity(cand.status if cand.status != "object" else "exempt"), cand.deadline or FAR, cand.person


class RuleLegend:
    """Rules numbered by first use: rows cite "[n]", the notes give id, title and citation once."""

    def __init__(self, planner: Planner, lang: str) -> None:
        self.planner = planner
        self.lang = lang
        self.numbers: dict[str, int] = {}
        self.sources: dict[str, str] = {}

    def cite(self, rule: str, source: str) -> str:
        if rule not in self.numbers:
            self.numbers[rule] = len(self.numbers) + 1
            self.sources[rule] = source
        return f"[{self.numbers[rule]}]"

    def title(self, rule: str) -> str:
        versions = self.planner.ev.book.versions(rule.split("/", 1)[0])
        if not versions:
            return ""
        r = versions[-1].rule
        return r.title_vi if self.lang == "vi" else r.title

    def lines(self) -> list[str]:
        if not self.numbers:
            return []
        head = "Căn cứ (quy tắc)" if self.lang == "vi" else "Basis (rules)"
        return [head, *[f"[{n}] {rule} — {self.title(rule)} — {self.sources[rule]}"
                        for rule, n in self.numbers.items()]]


def basis_cell(planner: Planner, cand: Candidate, legend: RuleLegend, lang: str) -> str:
    post = planner.ev.dataset.position_by_id.get(cand.position or "")
    title = post.title if post else (cand.position or "")
    vi = lang == "vi"
    where = {"holds": title, "planned": f"quy hoạch {title}" if vi else f"planned {title}",
             "object": f"đối tượng, {title}" if vi else f"target group, {title}"}[cand.basis]
    return f"{legend.cite(cand.rule, cand.source)} {where}".strip()


def _name(planner: Planner, person: str) -> str:
    return planner.ev.dataset.person_by_id[person].full_name


PLAN_HEADERS = {
    "vi": ["STT", "Họ và tên", "Chương trình", "Khóa học", "Kết thúc", "Hạn", "Tình trạng", "Căn cứ (chức vụ)"],
    "en": ["#", "Full name", "Programme", "Course", "Ends", "Deadline", "Status", "Basis (post)"],
}
UNASSIGNED_HEADERS = {"vi": ["STT", "Họ và tên", "Chương trình", "Hạn", "Tình trạng", "Lý do"],
                      "en": ["#", "Full name", "Programme", "Deadline", "Status", "Why"]}
COUNT_HEADERS = {"vi": ["Chương trình", "Chỉ tiêu", "Đã xếp", "Sức chứa", "Còn thiếu"],
                 "en": ["Programme", "Quota", "Assigned", "Capacity", "Shortfall"]}
QUOTA_HEADERS = {"vi": ["Chương trình", "Hình thức", "Đơn vị", "Chỉ tiêu", "Đã xếp", "Còn thiếu"],
                 "en": ["Programme", "Mode", "Unit", "Quota", "Assigned", "Shortfall"]}


def plan_summary(planner: Planner, result: PlanResult, lang: str) -> list[str]:
    vi = lang == "vi"
    book = planner.ev.book
    counts = Counter(a.candidate.status for a in result.assignments)
    lines = [("Đã xếp theo tình trạng: " if vi else "Assigned by status: ")
             + counts_line(dict(counts), status_label, lang)]
    if result.unassigned:
        first = min(result.unassigned, key=lambda u: (severity(u.need.status), u.need.deadline or FAR, u.need.person))
        lines.append(("Việc gấp nhất: " if vi else "Most urgent: ")
                     + f"{_name(planner, first.need.person)} — {book.programme_label(first.need.programme, lang)}, "
                     + (f"{status_label(first.need.status, lang)}"
                        + (f", hạn {day(first.need.deadline, lang)}" if vi and first.need.deadline else "")
                        + (f", deadline {day(first.need.deadline, lang)}" if not vi and first.need.deadline else ""))
                     + (f": chưa xếp được ({first.why})" if vi else f": not scheduled ({first.why})"))
    short = [(b, b.shortfall) for b in result.by_programme if b.shortfall]
    if short:
        lines.append(("Chỉ tiêu còn thiếu: " if vi else "Quotas short: ")
                     + "; ".join(f"{book.programme_label(b.programme, lang)} {n}" for b, n in short))
    late = sum(1 for a in result.assignments if a.late)
    if late:
        lines.append(f"{late} lượt học kết thúc sau hạn" if vi else f"{late} assignments end after the deadline")
    if not result.exact:
        lines.append("Chưa chứng minh được phương án tối ưu (hết thời gian giải)." if vi
                     else "Not proven optimal (the solver's time ran out).")
    title = (f"{len(result.assignments)} lượt cử đi học, {len(result.unassigned)} nhu cầu chưa xếp được" if vi
             else f"{len(result.assignments)} assignments, {len(result.unassigned)} needs not scheduled")
    return summary_block(title, lines, lang)


def plan_head(result: PlanResult, lang: str) -> list[str]:
    vi = lang == "vi"
    return [f"KẾ HOẠCH CỬ ĐI ĐÀO TẠO, BỒI DƯỠNG NĂM {result.year}" if vi else f"TRAINING PLAN {result.year}",
            f"Ngày đánh giá: {day(result.as_of, lang)}" if vi else f"As of {day(result.as_of, lang)}", ""]


def plan_text(planner: Planner, result: PlanResult, lang: str, summary_only: bool = False,
              width: int | None = None) -> str:
    width = width or output_width()
    vi = lang == "vi"
    book = planner.ev.book
    none = "(không có)" if vi else "(none)"
    lines = [*plan_head(result, lang), *plan_summary(planner, result, lang)]
    if summary_only:
        return wrap_text("\n".join(lines).rstrip("\n"), width)
    legend = RuleLegend(planner, lang)
    assignments = sorted(result.assignments, key=lambda a: urgency(a.candidate))
    rows = [[i, _name(planner, a.candidate.person), book.programme_label(a.candidate.programme, lang), a.course.id,
             day(a.course.end, lang) + (" *" if a.late else ""), day(a.candidate.deadline, lang),
             status_label(a.candidate.status, lang), basis_cell(planner, a.candidate, legend, lang)]
            for i, a in enumerate(assignments, 1)]
    lines.append("Danh sách cử đi học" if vi else "Assignments")
    lines.append(fit_table(PLAN_HEADERS[lang], rows, width, (2, 7)) if rows else none)
    if result.unassigned:
        unassigned = sorted(result.unassigned, key=lambda u: (severity(u.need.status), u.need.deadline or FAR,
                                                              u.need.person))
        urows = [[i, _name(planner, u.need.person), book.programme_label(u.need.programme, lang),
                  day(u.need.deadline, lang), status_label(u.need.status, lang), u.why]
                 for i, u in enumerate(unassigned, 1)]
        lines += ["", "Nhu cầu chưa xếp được khóa học" if vi else "Needs not scheduled",
                  fit_table(UNASSIGNED_HEADERS[lang], urows, width, (1, 2, 5))]
    crows = [[book.programme_label(b.programme, lang), "" if b.quota is None else b.quota, b.assigned, b.capacity,
              "" if b.shortfall is None else b.shortfall] for b in result.by_programme]
    lines += ["", "Tổng hợp theo chương trình" if vi else "By programme",
              fit_table(COUNT_HEADERS[lang], crows, width, (0,)) if crows else none]
    detailed = [q for q in result.quotas if q.mode or q.unit]
    if detailed:
        units = planner.ev.dataset.unit_by_id
        qrows = [[book.programme_label(q.programme, lang), codes.MODE.label(q.mode, lang) if q.mode else "",
                  units[q.unit].name if q.unit in units else (q.unit or ""), q.target, q.assigned, q.shortfall]
                 for q in detailed]
        lines += ["", "Chỉ tiêu theo hình thức, đơn vị" if vi else "Quotas by mode and unit",
                  fit_table(QUOTA_HEADERS[lang], qrows, width, (0, 2))]
    lines += ["", "Ghi chú" if vi else "Notes", *legend.lines()]
    if any(a.late for a in result.assignments):
        lines.append("* khóa học kết thúc sau hạn" if vi else "* the course ends after the deadline")
    warnings = [f"- {_name(planner, a.candidate.person)} ({a.course.id}): {w}"
                for a in assignments for w in a.warnings]
    if warnings:
        lines += ["Lưu ý (chưa đủ dữ liệu để kết luận điều kiện dự học):" if vi
                  else "Notes (admission undecided for lack of data):", *warnings]
    return wrap_text("\n".join(lines), width)


def listing(headers: Sequence[str], rows: Sequence[Sequence[Any]], lang: str, width: int,
            wrap: Sequence[int]) -> str:
    return fit_table(headers, rows, width, wrap) if rows else ("(không có)" if lang == "vi" else "(none)")


__all__ = ["RuleLegend", "basis_cell", "day", "listing", "plan_summary", "plan_text", "status_label", "urgency"]
