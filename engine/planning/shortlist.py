"""The shortlist of one course: ranked nominees up to its capacity, reserves, and the excluded with why.

Candidates are the people who need the course's programme and, for political theory, its objects
(đối tượng). Admission is decided on the course itself (engine.planning.admission). The ranking is
the planner's cost (engine.planning.assign.CostModel): lateness that another course of the same
programme in the same year would avoid, then overdue before due before pending before objects,
earliest deadline, soonest planned appointment, women and ethnic minorities at ties; then person id.
The shortlist looks at this course alone: quotas across courses are the plan's business.
"""

from __future__ import annotations

import datetime as dt

from engine.dates import day_text
from engine.errors import DtbdError, UnknownIdError
from engine.model import Course
from engine.planning.admission import Candidate, candidates
from engine.planning.assign import CostModel
from engine.planning.planner import Planner
from engine.planning.results import Excluded, NeedsData, Nominee, Shortlist, awaiting_text
from engine.suggest import closest


def find_course(planner: Planner, course_id: str) -> Course:
    """The course `course_id` (UnknownIdError with suggestions when there is none)."""
    courses = planner.ev.dataset.course_by_id
    if course_id not in courses:
        raise UnknownIdError("khóa học / course", course_id, closest(course_id, courses, n=3))
    return courses[course_id]


def reasons_of(planner: Planner, cand: Candidate, course: Course) -> list[str]:
    """Why the candidate is on the list: each rule with its deadline and citation."""
    vi = planner.lang == "vi"
    if cand.need is not None:
        out = []
        for src in cand.need.sources:  # short: rule, post, deadline, citation (the full text is in `check`)
            post = planner.ev.dataset.position_by_id.get(src.position or "")
            where = post.title if post else ""
            if src.basis == "planned":
                where = (f"quy hoạch {where}" if vi else f"planned: {where}") if where else where
            deadline = day_text(src.deadline, planner.lang) if src.deadline else ""
            when = (f"hạn {deadline}" if vi else f"deadline {deadline}") if deadline else (
                "chưa có thời hạn" if vi else "no deadline")
            mark = "" if src.verified else (" (chưa xác minh)" if vi else " (unverified)")
            place = f"{where}, " if where else ""
            text = f"{src.rule}{mark}: {place}{when} ({src.source})"
            if text not in out:
                out.append(text)
    else:
        label = planner.ev.book.programme_label(cand.programme, planner.lang)
        post = planner.ev.dataset.position_by_id.get(cand.position or "")
        where = post.title if post else (cand.position or "")
        out = [f"thuộc đối tượng đào tạo {label} ({where}) — {cand.rule} ({cand.source})" if vi
               else f"in the target group of {label} ({where}) — {cand.rule} ({cand.source})"]
    if cand.deadline is not None and course.end > cand.deadline:
        out.append(f"khóa học kết thúc sau hạn {day_text(cand.deadline, planner.lang)}" if vi
                   else f"the course ends after the deadline {day_text(cand.deadline, planner.lang)}")
    return out


class PastCourseError(DtbdError):
    """A shortlist asked for a course that has started (or ended) by the evaluation date."""

    def __init__(self, course: Course, as_of: dt.date) -> None:
        ended = course.end < as_of
        vi_when = "đã kết thúc" if ended else "đã khai giảng"
        en_when = "has ended" if ended else "has started"
        super().__init__(
            f"khóa {course.id} {vi_when} ({course.start:%d/%m/%Y} – {course.end:%d/%m/%Y}) trước ngày đánh giá "
            f"{as_of:%d/%m/%Y}: không lập danh sách đề cử cho khóa đã học (như dtbd plan bỏ qua khóa này) / "
            f"course {course.id} {en_when} by the evaluation date {as_of.isoformat()}: no shortlist for it "
            f"(dtbd plan skips it too). Chọn khóa sau ngày đánh giá (dtbd courses --from "
            f"{as_of.isoformat()}), đổi --as-of, hoặc thêm --include-past / pick a later course, change --as-of, "
            f"or add --include-past.")
        self.course = course


def default_reserves(capacity: int) -> int:
    """Reserves listed when not told: a fifth of the capacity, at least one (issue 16)."""
    return max(1, capacity // 5) if capacity else 0


def shortlist(planner: Planner, course_id: str, reserves: int | None = None, include_past: bool = False) -> Shortlist:
    """The ranked nominees of one course up to its capacity, then at most `reserves` reserves (default: a
    fifth of the capacity), and the excluded.

    A course that starts on or before the as-of date is refused (PastCourseError) unless `include_past`.
    """
    course = find_course(planner, course_id)
    if course.start <= planner.as_of and not include_past:
        raise PastCourseError(course, planner.as_of)
    siblings = planner.graph.courses_of(course.programme, year=course.start.year, after=planner.as_of)
    if course not in siblings:
        siblings.append(course)
    admitted: list[tuple[Candidate, list[str]]] = []
    waiting: list[tuple[Candidate, list[str]]] = []
    excluded: list[Excluded] = []
    needs_data: list[NeedsData] = []
    for cand in candidates(planner.survey, [course.programme]):
        verdict = planner.admission.for_candidate(cand, [course])[course.id]
        if not verdict.admitted:
            excluded.append(Excluded(cand, list(verdict.reasons)))
        elif verdict.needs_data:
            needs_data.append(NeedsData(cand, list(verdict.needs_data)))
        elif verdict.conditional:
            waiting.append((cand, [awaiting_text(verdict.conditional, planner.lang)]))
        else:
            admitted.append((cand, list(verdict.warnings)))
    model = CostModel([planner.priority(c) for c, _w in admitted + waiting], [s.end for s in siblings],
                      len(admitted) + len(waiting))

    def cost(cand: Candidate) -> int:
        late = cand.deadline is not None and course.end > cand.deadline
        avoidable = late and any(
            s.end <= cand.deadline and planner.admission.for_candidate(cand, [s])[s.id].admitted
            for s in siblings if cand.deadline is not None)
        return model.cost(planner.priority(cand), avoidable, course.end)

    ranked = sorted(admitted, key=lambda item: (cost(item[0]), item[0].person))
    listed = [Nominee(i, c, c.deadline is not None and course.end > c.deadline, reasons_of(planner, c, course), w)
              for i, (c, w) in enumerate(ranked, 1)]
    nominees = listed[:course.capacity]
    later = sorted(waiting, key=lambda item: (cost(item[0]), item[0].person))
    conditional = [Nominee(i, c, c.deadline is not None and course.end > c.deadline, reasons_of(planner, c, course),
                           w) for i, (c, w) in enumerate(later, len(nominees) + 1)]
    excluded.sort(key=lambda e: e.candidate.person)
    needs_data.sort(key=lambda n: n.candidate.person)
    cap = default_reserves(course.capacity) if reserves is None else max(reserves, 0)
    return Shortlist(course, nominees, listed[course.capacity:course.capacity + cap], excluded, conditional,
                     needs_data)


__all__ = ["Excluded", "NeedsData", "Nominee", "PastCourseError", "Shortlist", "awaiting_text", "default_reserves",
           "find_course", "shortlist"]
