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
from cli.plan_numbers import COUNT_HEADERS, allocation_lines, count_rows
from engine import codes
from engine.dates import day_text as day
from engine.results import Candidate, PlanResult, Readiness, Shortlist
from engine.workspace import Workspace

FAR = dt.date.max
SHORTFALLS = 3  # programmes named in the plan's summary, largest shortfall first
STATUS_VI = {"object": ("đối tượng", "target group")}


def status_label(status: str, lang: str) -> str:
    if status in STATUS_VI:
        return STATUS_VI[status][0 if lang == "vi" else 1]
    label = codes.STATUS.label(status, lang)
    return "chờ bổ sung" if lang == "vi" and status == "pending" else label


def urgency(cand: Candidate) -> tuple[int, dt.date, str]:
    return severity(cand.status if cand.status != "object" else "exempt"), cand.deadline or FAR, cand.person


class RuleLegend:
    """Rules numbered by first use: rows cite "[n]", the notes give id, title and citation once."""

    def __init__(self, ws: Workspace, lang: str) -> None:
        self.ws = ws
        self.lang = lang
        self.numbers: dict[str, int] = {}
        self.sources: dict[str, str] = {}

    def cite(self, rule: str, source: str) -> str:
        if rule not in self.numbers:
            self.numbers[rule] = len(self.numbers) + 1
            self.sources[rule] = source
        return f"[{self.numbers[rule]}]"

    def title(self, rule: str) -> str:
        versions = self.ws.book.versions(rule.split("/", 1)[0])
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


def basis_cell(ws: Workspace, cand: Candidate, legend: RuleLegend, lang: str, held_shown: bool = False) -> str:
    """'[n] post' — the rule's number in the legend and the post it is for (none for a post held when the
    table shows the posts held already)."""
    post = ws.dataset.position_by_id.get(cand.position or "")
    title = post.title if post else (cand.position or "")
    vi = lang == "vi"
    where = {"holds": "" if held_shown else title, "planned": f"quy hoạch {title}" if vi else f"planned {title}",
             "object": f"đối tượng, {title}" if vi else f"target group, {title}"}[cand.basis]
    return f"{legend.cite(cand.rule, cand.source)} {where}".strip()


def _name(ws: Workspace, person: str) -> str:
    return ws.dataset.person_by_id[person].full_name


PLAN_HEADERS = {
    "vi": ["STT", "Họ và tên", "Chương trình", "Khóa học", "Kết thúc", "Hạn", "Tình trạng", "Căn cứ (chức vụ)"],
    "en": ["#", "Full name", "Programme", "Course", "Ends", "Deadline", "Status", "Basis (post)"],
}
UNASSIGNED_HEADERS = {"vi": ["STT", "Họ và tên", "Chương trình", "Hạn", "Tình trạng", "Lý do"],
                      "en": ["#", "Full name", "Programme", "Deadline", "Status", "Why"]}
COUNT_SHORT = {"vi": ["Chương trình", "Nhu cầu", "Chỉ tiêu", "Đã xếp", "Có điều kiện", "Sức chứa", "Thiếu (a)",
                      "Thiếu (b)"],
               "en": ["Programme", "Demand", "Quota", "Assigned", "Conditional", "Capacity", "Unmet (a)",
                      "Short (b)"]}
QUOTA_HEADERS = {"vi": ["Chương trình", "Hình thức", "Đơn vị", "Chỉ tiêu", "Đã xếp", "Còn thiếu"],
                 "en": ["Programme", "Mode", "Unit", "Quota", "Assigned", "Shortfall"]}


def plan_summary(ws: Workspace, result: PlanResult, lang: str) -> list[str]:
    vi = lang == "vi"
    book = ws.book
    counts = Counter(a.candidate.status for a in result.assignments if not a.conditional)
    lines = [("Đã xếp theo tình trạng: " if vi else "Assigned by status: ")
             + counts_line(dict(counts), status_label, lang)]
    waiting = sum(1 for a in result.assignments if a.conditional)
    if waiting:
        lines[0] += (f"; {waiting} cử có điều kiện (chờ kết quả xếp loại)" if vi
                     else f"; {waiting} conditional (awaiting a rating)")
    if result.unassigned:
        first = min(result.unassigned, key=lambda u: (severity(u.need.status), u.need.deadline or FAR, u.need.person))
        lines.append(("Việc gấp nhất: " if vi else "Most urgent: ")
                     + f"{_name(ws, first.need.person)} — {book.programme_label(first.need.programme, lang)}, "
                     + (f"{status_label(first.need.status, lang)}"
                        + (f", hạn {day(first.need.deadline, lang)}" if vi and first.need.deadline else "")
                        + (f", deadline {day(first.need.deadline, lang)}" if not vi and first.need.deadline else ""))
                     + (f": chưa xếp được ({first.why})" if vi else f": not scheduled ({first.why})"))
    short = sorted(((b, b.shortfall) for b in result.by_programme if b.shortfall), key=lambda x: -x[1])
    if short:
        listed = "; ".join(f"{book.programme_label(b.programme, lang)} {n}" for b, n in short[:SHORTFALLS])
        more = len(short) - SHORTFALLS
        if more > 0:
            listed += (f"; và {more} chương trình khác (bảng Tổng hợp theo chương trình)" if vi
                       else f"; and {more} more programmes (table By programme)")
        lines.append((f"Chỉ tiêu còn thiếu {sum(n for _b, n in short)} người: " if vi
                      else f"Quotas short by {sum(n for _b, n in short)}: ") + listed)
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


def plan_text(ws: Workspace, result: PlanResult, lang: str, summary_only: bool = False,
              width: int | None = None) -> str:
    width = width or output_width()
    vi = lang == "vi"
    book = ws.book
    none = "(không có)" if vi else "(none)"
    lines = [*plan_head(result, lang), *plan_summary(ws, result, lang)]
    if summary_only:
        return wrap_text("\n".join(lines).rstrip("\n"), width)
    legend = RuleLegend(ws, lang)
    assignments = sorted(result.assignments, key=lambda a: (a.conditional, urgency(a.candidate)))

    def rows(listed: Sequence[Any]) -> list[list[Any]]:
        return [[i, _name(ws, a.candidate.person), book.programme_label(a.candidate.programme, lang), a.course.id,
                 day(a.course.end, lang) + (" *" if a.late else ""), day(a.candidate.deadline, lang),
                 status_label(a.candidate.status, lang), basis_cell(ws, a.candidate, legend, lang)]
                for i, a in enumerate(listed, 1)]

    confirmed = rows([a for a in assignments if not a.conditional])
    lines.append("Danh sách cử đi học" if vi else "Assignments")
    lines.append(fit_table(PLAN_HEADERS[lang], confirmed, width, (2, 7)) if confirmed else none)
    waiting = rows([a for a in assignments if a.conditional])
    if waiting:
        lines += ["", "Cử đi học có điều kiện (chờ kết quả xếp loại)" if vi
                  else "Conditional assignments (awaiting a rating)", fit_table(PLAN_HEADERS[lang], waiting, width,
                                                                                (2, 7))]
    if result.unassigned:
        unassigned = sorted(result.unassigned, key=lambda u: (severity(u.need.status), u.need.deadline or FAR,
                                                              u.need.person))
        urows = [[i, _name(ws, u.need.person), book.programme_label(u.need.programme, lang),
                  day(u.need.deadline, lang), status_label(u.need.status, lang), u.why]
                 for i, u in enumerate(unassigned, 1)]
        lines += ["", "Nhu cầu chưa xếp được khóa học" if vi else "Needs not scheduled",
                  fit_table(UNASSIGNED_HEADERS[lang], urows, width, (1, 2, 5))]
    crows = count_rows(ws, result, lang)
    lines += ["", "Tổng hợp theo chương trình" if vi else "By programme",
              fit_table(COUNT_SHORT[lang], crows, width, (0,)) if crows else none]
    if crows:  # the long headers of the workbook (cli.plan_numbers), as a legend: the table keeps its width
        lines.append("; ".join(f"{short}: {long}" for short, long in zip(COUNT_SHORT[lang], COUNT_HEADERS[lang],
                                                                         strict=True) if short != long))
    aheaders, arows = allocation_lines(ws, result, lang)
    if arows:
        lines += ["", "Phân bổ theo đơn vị" if vi else "By unit", fit_table(aheaders, arows, width, (1,))]
    detailed = [q for q in result.quotas if q.mode or q.unit]
    if detailed:
        units = ws.dataset.unit_by_id
        qrows = [[book.programme_label(q.programme, lang), codes.MODE.label(q.mode, lang) if q.mode else "",
                  units[q.unit].name if q.unit in units else (q.unit or ""), q.target, q.assigned, q.shortfall]
                 for q in detailed]
        lines += ["", "Chỉ tiêu theo hình thức, đơn vị" if vi else "Quotas by mode and unit",
                  fit_table(QUOTA_HEADERS[lang], qrows, width, (0, 2))]
    lines += ["", "Ghi chú" if vi else "Notes", *legend.lines()]
    if any(a.late for a in result.assignments):
        lines.append("* khóa học kết thúc sau hạn" if vi else "* the course ends after the deadline")
    warnings = [f"- {_name(ws, a.candidate.person)} ({a.course.id}): {w}"
                for a in assignments for w in a.warnings]
    if warnings:
        lines += ["Lưu ý (chưa đủ dữ liệu để kết luận điều kiện dự học):" if vi
                  else "Notes (admission undecided for lack of data):", *warnings]
    return wrap_text("\n".join(lines), width)


def listing(headers: Sequence[str], rows: Sequence[Sequence[Any]], lang: str, width: int,
            wrap: Sequence[int]) -> str:
    return fit_table(headers, rows, width, wrap) if rows else ("(không có)" if lang == "vi" else "(none)")


__all__ = ["RuleLegend", "basis_cell", "day", "listing", "plan_summary", "plan_text", "status_label", "urgency"]


# -- shortlist ----------------------------------------------------------------------------------------
RANKING = {
    "vi": "Thứ tự xếp hạng: (1) người mà một khóa khác cùng chương trình trong năm giúp kịp hạn xếp sau; "
          "(2) quá hạn, đến hạn, chờ bổ sung, rồi thuộc đối tượng; (3) hạn sớm hơn trước; (4) sắp được bổ nhiệm "
          "theo quy hoạch trước; (5) bằng nhau thì ưu tiên nữ, người dân tộc thiểu số; (6) mã cán bộ.",
    "en": "Ranking order: (1) people another course of the programme this year would bring in on time come "
          "later; (2) overdue, due, pending, then target group; (3) earlier deadline first; (4) sooner planned "
          "appointment first; (5) at ties women and ethnic minorities first; (6) person id.",
}
SHORTLIST_HEADERS = {
    "vi": ["Thứ tự", "Họ và tên", "Ngày sinh", "Chức vụ", "Đơn vị", "Hạn", "Tình trạng", "Căn cứ"],
    "en": ["Rank", "Full name", "Born", "Post", "Unit", "Deadline", "Status", "Basis"],
}
EXCLUDED_HEADERS = {"vi": ["STT", "Họ và tên", "Lý do không đủ điều kiện"], "en": ["#", "Full name", "Why excluded"]}


def shortlist_text(ws: Workspace, sl: Shortlist, lang: str, width: int | None = None,
                   conditional_title: str = "Đề cử có điều kiện",
                   needs_data: tuple[str, Sequence[str], Sequence[Sequence[Any]]] | None = None) -> str:
    """The shortlist answer first; `conditional_title` heads the conditional nominees, `needs_data` is the
    (title, headers, rows) of those whose data must be completed (shown before the excluded)."""
    from cli.render_planning import person_cells

    width = width or output_width()
    vi = lang == "vi"
    c = sl.course
    label = ws.book.programme_label(c.programme, lang)
    head = [f"DANH SÁCH ĐỀ CỬ KHÓA {c.id} — {label}" if vi else f"SHORTLIST FOR COURSE {c.id} — {label}",
            (f"{day(c.start, lang)} – {day(c.end, lang)}, {codes.MODE.label(c.mode, lang)}, "
             + (f"sức chứa {c.capacity}; ngày đánh giá {day(ws.as_of, lang)}" if vi
                else f"capacity {c.capacity}; as of {day(ws.as_of, lang)}")), ""]
    counts = Counter(n.candidate.status for n in sl.nominees)
    lines = [("Đề cử theo tình trạng: " if vi else "Nominees by status: ")
             + counts_line(dict(counts), status_label, lang)]
    if sl.nominees:
        first = min(sl.nominees, key=lambda n: urgency(n.candidate))
        deadline = day(first.candidate.deadline, lang)
        lines.append(("Gấp nhất: " if vi else "Most urgent: ") + f"{_name(ws, first.candidate.person)} — "
                     + status_label(first.candidate.status, lang)
                     + ((f", hạn {deadline}" if vi else f", deadline {deadline}") if deadline else ""))
    late = sum(1 for n in sl.nominees if n.late)
    if late:
        lines.append(f"{late} người đề cử sẽ học xong sau hạn" if vi else f"{late} nominees finish after the deadline")
    lines.append(RANKING[lang])
    title = (f"{len(sl.nominees)}/{c.capacity} đề cử, {len(sl.reserves)} dự bị, {len(sl.excluded)} không đủ điều kiện"
             if vi else f"{len(sl.nominees)}/{c.capacity} nominees, {len(sl.reserves)} reserves, "
                        f"{len(sl.excluded)} excluded")
    if sl.conditional or sl.needs_data:
        lines.insert(1, (f"{len(sl.conditional)} đề cử có điều kiện (chờ kết quả xếp loại), {len(sl.needs_data)} "
                         "cần bổ sung dữ liệu" if vi else f"{len(sl.conditional)} conditional nominees (awaiting a "
                         f"rating), {len(sl.needs_data)} with data to complete"))
    legend = RuleLegend(ws, lang)

    def rows(listed: Sequence[Any]) -> list[list[Any]]:
        out = []
        for n in listed:
            cells = person_cells(ws, n.candidate.person, lang)
            out.append([n.rank, cells[0], cells[1], cells[3], cells[4],
                        day(n.candidate.deadline, lang) + (" *" if n.late else ""),
                        status_label(n.candidate.status, lang),
                        basis_cell(ws, n.candidate, legend, lang, held_shown=True)])
        return out

    wrap = (1, 3, 4, 7)
    body = ["Đề cử" if vi else "Nominees", listing(SHORTLIST_HEADERS[lang], rows(sl.nominees), lang, width, wrap),
            "", "Dự bị" if vi else "Reserves", listing(SHORTLIST_HEADERS[lang], rows(sl.reserves), lang, width, wrap)]
    if sl.conditional:
        body += ["", conditional_title, listing(SHORTLIST_HEADERS[lang], rows(sl.conditional), lang, width, wrap)]
    if needs_data is not None:
        body += ["", needs_data[0], listing(needs_data[1], needs_data[2], lang, width, (1, 2, 4))]
    body += ["", "Không đủ điều kiện dự học" if vi else "Excluded",
            listing(EXCLUDED_HEADERS[lang], [[i, _name(ws, e.candidate.person), "; ".join(e.why)]
                                             for i, e in enumerate(sl.excluded, 1)], lang, width, (1, 2))]
    notes = ["", "Ghi chú" if vi else "Notes", *legend.lines()]
    if late:
        notes.append("* khóa học kết thúc sau hạn" if vi else "* the course ends after the deadline")
    warnings = [f"- {_name(ws, n.candidate.person)}: {w}" for n in [*sl.nominees, *sl.reserves]
                for w in n.warnings]
    if warnings:
        notes += ["Lưu ý (chưa đủ dữ liệu để kết luận điều kiện dự học):" if vi
                  else "Notes (admission undecided for lack of data):", *warnings]
    return wrap_text("\n".join([*head, *summary_block(title, lines, lang), *body, *notes]), width)


__all__ += ["RANKING", "shortlist_text"]


# -- readiness ----------------------------------------------------------------------------------------
READINESS_ORDER = {"unscheduled": 0, "ready_from": 1, "ready": 2}
READINESS_HEADERS = {
    "vi": ["STT", "Họ và tên", "Chức danh quy hoạch", "Phê duyệt", "Nhiệm kỳ", "Tình trạng", "Khóa học còn cần"],
    "en": ["#", "Full name", "Planned post", "Approved", "Term", "Readiness", "Courses still needed"],
}


def status_text(r: Readiness, lang: str) -> str:
    vi = lang == "vi"
    if r.status == "ready":
        return "sẵn sàng ngay" if vi else "ready now"
    if r.status == "ready_from":
        return f"sẵn sàng từ {day(r.ready_from, lang)}" if vi else f"ready from {day(r.ready_from, lang)}"
    return "chưa xếp được khóa" if vi else "no course scheduled"


def items_text(ws: Workspace, r: Readiness, lang: str) -> str:
    parts = []
    for item in r.items:
        label = ws.book.programme_label(item.need.programme, lang)
        if item.course is None:
            parts.append(f"{label}: {'chưa xếp được' if lang == 'vi' else 'not scheduled'}")
        else:
            parts.append(f"{label}: {item.course.id} ({day(item.course.end, lang)})")
    return "; ".join(parts)


def current_term(terms: Sequence[str], as_of: dt.date) -> str | None:
    """The quy hoạch term in force on `as_of`: of the terms 'YYYY-YYYY' that contain its year, the latest
    begun (2025-2030 rather than 2020-2025 in 2025: a term's last year is the next one's first)."""
    spans = sorted({(int(t[:4]), int(t[5:])) for t in terms if len(t) == 9 and t[4] == "-"})
    inside = [s for s in spans if s[0] <= as_of.year <= s[1]]
    return f"{inside[-1][0]}-{inside[-1][1]}" if inside else None


def merged_readiness(ws: Workspace, rows: Sequence[Readiness], lang: str) -> list[tuple[Readiness, list[Readiness]]]:
    """Rows of one person for posts of the same title with the same readiness (several deputy seats, a plan
    approved twice) become one: (first row, all rows). Most urgent first: not schedulable, ready later,
    ready now; then by name."""
    posts = ws.dataset.position_by_id
    groups: dict[tuple[str, str, str, str], list[Readiness]] = {}
    for r in rows:
        key = (r.person, posts[r.position].title, status_text(r, lang), items_text(ws, r, lang))
        groups.setdefault(key, []).append(r)
    return sorted(((g[0], g) for g in groups.values()),
                  key=lambda item: (READINESS_ORDER.get(item[0].status, 3), item[0].ready_from or FAR,
                                    _name(ws, item[0].person), item[0].person))


def readiness_text(ws: Workspace, rows: Sequence[Readiness], lang: str, width: int | None = None) -> str:
    width = width or output_width()
    vi = lang == "vi"
    posts = ws.dataset.position_by_id
    term = current_term([r.plan.term for r in rows if r.plan and r.plan.term], ws.as_of)
    merged = merged_readiness(ws, rows, lang)
    words = {"vi": {"ready": "sẵn sàng ngay", "ready_from": "sẵn sàng theo kế hoạch",
                    "unscheduled": "chưa xếp được khóa"},
             "en": {"ready": "ready now", "ready_from": "ready as planned", "unscheduled": "no course scheduled"}}
    counts = Counter(first.status for first, _group in merged)
    line = counts_line(dict(counts), lambda s, lg: words[lg][s], lang) if merged else ""
    people = len({first.person for first, _group in merged})
    lines = [line] if line else []
    if term:
        lines.append(f"Nhiệm kỳ quy hoạch hiện tại: {term} (đánh dấu ●)" if vi
                     else f"Current succession-plan term: {term} (marked ●)")
    urgent = next((first for first, _g in merged if first.status == "unscheduled"), None)
    if urgent is not None:
        lines.append(("Gấp nhất: " if vi else "Most urgent: ") + f"{_name(ws, urgent.person)} — "
                     + f"{posts[urgent.position].title}: {items_text(ws, urgent, lang)}")
    table: list[list[Any]] = []
    for i, (first, group) in enumerate(merged, 1):
        approved = "; ".join(sorted({day(r.plan.approved, lang) for r in group if r.plan},
                                    key=lambda d: d[6:] + d[3:5] + d[:2] if vi else d))
        terms = sorted({r.plan.term for r in group if r.plan and r.plan.term})
        term_cell = "; ".join(t + (" ●" if t == term else "") for t in terms)
        table.append([i, _name(ws, first.person), posts[first.position].title, approved, term_cell,
                      status_text(first, lang), items_text(ws, first, lang)])
    title = (f"MỨC SẴN SÀNG CỦA CÁN BỘ TRONG QUY HOẠCH — ngày đánh giá {day(ws.as_of, lang)}" if vi
             else f"READINESS OF PLANNED CADRES — as of {day(ws.as_of, lang)}")
    head = (f"{people} người, {len(merged)} chức danh quy hoạch" if vi
            else f"{people} people, {len(merged)} planned posts")
    if not merged:
        return f"{title}\n\n" + ("(không có ai trong quy hoạch)" if vi else "(nobody planned)")
    body = fit_table(READINESS_HEADERS[lang], table, width, (1, 2, 3, 6))
    merged_rows = len(rows) - len(merged)
    tail = [("Tổng cộng: " if vi else "Total: ") + f"{head}; {line}"]
    if merged_rows:
        tail.append(f"{merged_rows} dòng quy hoạch trùng (cùng người, cùng chức danh) đã gộp" if vi
                    else f"{merged_rows} duplicate plan rows (same person, same post title) merged")
    return wrap_text("\n".join([title, "", *summary_block(head, lines, lang), body, "", *tail]), width)


__all__ += ["current_term", "items_text", "merged_readiness", "readiness_text", "status_text"]
