"""`dtbd plan --year YYYY`: who must be sent to which course and by when, within capacities and quotas."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from cli.context import data_options
from cli.output import csv_text, emit_text, resolve_format, to_json
from cli.progress import progress, progress_enabled
from cli.workspace import Workspace, open_workspace
from engine import codes
from engine.evaluation.evaluator import Evaluator
from engine.planning import Assignment, Planner, PlanResult, Unassigned
from engine.planning.admission import Candidate

ASSIGNMENT_HEADERS = {
    "vi": ["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Chức vụ", "Đơn vị", "Chương trình", "Khóa học",
           "Kết thúc", "Hạn", "Căn cứ"],
    "en": ["#", "Full name", "Born", "Gender", "Post", "Unit", "Programme", "Course", "Ends", "Deadline", "Basis"],
}
UNASSIGNED_HEADERS = {"vi": ["STT", "Họ và tên", "Chương trình", "Hạn", "Lý do"],
                      "en": ["#", "Full name", "Programme", "Deadline", "Why"]}
COUNT_HEADERS = {"vi": ["Chương trình", "Chỉ tiêu", "Đã xếp", "Sức chứa", "Còn thiếu"],
                 "en": ["Programme", "Quota", "Assigned", "Capacity", "Shortfall"]}
QUOTA_HEADERS = {"vi": ["Chương trình", "Hình thức", "Đơn vị", "Chỉ tiêu", "Đã xếp", "Còn thiếu"],
                 "en": ["Programme", "Mode", "Unit", "Quota", "Assigned", "Shortfall"]}
CSV_FIELDS = ["person", "full_name", "birth_date", "gender", "post", "unit", "programme", "course", "course_start",
              "course_end", "mode", "deadline", "late", "basis", "status", "rule", "rules", "source"]


def iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def day(value: dt.date | None, lang: str) -> str:
    if value is None:
        return ""
    return value.strftime("%d/%m/%Y") if lang == "vi" else value.isoformat()


def held_posts(planner: Planner, person_id: str) -> str:
    positions = planner.ev.dataset.position_by_id
    return "; ".join(positions[p].title for p in planner.graph.posts_of(person_id, "holds"))


def person_cells(planner: Planner, person_id: str, lang: str) -> list[Any]:
    """Trích ngang: name, birth date, gender, post held, unit."""
    ds = planner.ev.dataset
    person = ds.person_by_id[person_id]
    unit = ds.unit_by_id.get(person.unit)
    return [person.full_name, day(person.birth_date, lang), codes.GENDER.label(person.gender, lang),
            held_posts(planner, person_id), unit.name if unit else person.unit]


def basis_text(planner: Planner, cand: Candidate, lang: str) -> str:
    """Căn cứ: the rule that puts the person there, its citation, and the post it is for."""
    post = planner.ev.dataset.position_by_id.get(cand.position or "")
    title = post.title if post else (cand.position or "")
    vi = lang == "vi"
    where = {"holds": "", "planned": f"quy hoạch {title}; " if vi else f"planned {title}; ",
             "object": f"đối tượng, {title}; " if vi else f"target group, {title}; "}[cand.basis]
    return f"{cand.rule} ({where}{cand.source})"


def assignment_json(planner: Planner, a: Assignment) -> dict[str, Any]:
    c = a.candidate
    return {"person": c.person, "full_name": planner.ev.dataset.person_by_id[c.person].full_name,
            "programme": c.programme, "course": a.course.id, "course_start": iso(a.course.start),
            "course_end": iso(a.course.end), "mode": a.course.mode, "deadline": iso(c.deadline), "late": a.late,
            "basis": c.basis, "status": c.status, "rule": c.rule, "rules": list(c.rules), "position": c.position,
            "source": c.source, "warnings": list(a.warnings)}


def unassigned_json(planner: Planner, u: Unassigned) -> dict[str, Any]:
    n = u.need
    return {"person": n.person, "full_name": planner.ev.dataset.person_by_id[n.person].full_name,
            "programme": n.programme, "deadline": iso(n.deadline), "why": u.why, "kind": u.kind,
            "reasons": u.reasons, "basis": n.basis, "status": n.status, "rule": n.rule, "rules": n.rules,
            "position": n.position}


def plan_payload(planner: Planner, result: PlanResult) -> dict[str, Any]:
    return {
        "year": result.year, "as_of": result.as_of.isoformat(),
        "assignments": [assignment_json(planner, a) for a in result.assignments],
        "unassigned": [unassigned_json(planner, u) for u in result.unassigned],
        "by_programme": [{"programme": b.programme, "assigned": b.assigned, "quota": b.quota, "capacity": b.capacity,
                          "needs": b.needs, "shortfall": b.shortfall} for b in result.by_programme],
        "quotas": [{"year": q.year, "programme": q.programme, "mode": q.mode, "unit": q.unit, "target": q.target,
                    "assigned": q.assigned, "shortfall": q.shortfall} for q in result.quotas],
        "optimal": result.exact,
    }


def assignment_rows(planner: Planner, result: PlanResult, lang: str) -> list[list[Any]]:
    book = planner.ev.book
    rows = []
    for i, a in enumerate(result.assignments, 1):
        c = a.candidate
        end = day(a.course.end, lang) + (" *" if a.late else "")
        rows.append([i, *person_cells(planner, c.person, lang), book.programme_label(c.programme, lang), a.course.id,
                     end, day(c.deadline, lang), basis_text(planner, c, lang)])
    return rows


def csv_rows(planner: Planner, result: PlanResult) -> list[list[Any]]:
    rows = []
    for a in result.assignments:
        c = a.candidate
        j = assignment_json(planner, a)
        cells = person_cells(planner, c.person, "en")
        rows.append([c.person, j["full_name"], cells[1], planner.ev.dataset.person_by_id[c.person].gender, cells[3],
                     cells[4], c.programme, a.course.id, j["course_start"], j["course_end"], a.course.mode,
                     j["deadline"] or "", str(a.late).lower(), c.basis, c.status, c.rule, ";".join(c.rules), c.source])
    return rows


def plan_text(planner: Planner, result: PlanResult, lang: str, summary_only: bool = False) -> str:
    from cli.plan_table import plan_text as text

    return text(planner, result, lang, summary_only)


def write_xlsx(output: Path | None, title: str, as_of: dt.date, headers: list[str], rows: list[list[Any]],
               sheet: str, extra_sheets: list[tuple[str, list[str], list[list[Any]]]] | None = None,
               lang: str = "vi", notes: list[str] | None = None) -> None:
    from cli.xlsx_out import write_sheet_xlsx

    write_sheet_xlsx(output, title, as_of, headers, rows, sheet, extra_sheets, lang=lang, notes=notes or [])


def trich_ngang(planner: Planner, cand: Candidate, course_id: str | None, index: int, basis: str) -> list[Any]:
    """One trích ngang line (cli.xlsx_out.TRICH_NGANG_HEADERS, Vietnamese)."""
    from cli.xlsx_out import trich_ngang_row

    return trich_ngang_row(planner.ev.dataset, planner.ev.book, cand.person, cand.programme, course_id,
                           cand.deadline, basis, index, as_of=planner.as_of)


def plan_xlsx(planner: Planner, result: PlanResult, output: Path | None, lang: str) -> None:
    from cli.xlsx_out import TRICH_NGANG_HEADERS

    vi = lang == "vi"
    book = planner.ev.book
    if vi:
        headers, rows = list(TRICH_NGANG_HEADERS), [
            trich_ngang(planner, a.candidate, a.course.id, i, basis_text(planner, a.candidate, lang)
                        + (" — khóa học kết thúc sau hạn" if a.late else ""))
            for i, a in enumerate(result.assignments, 1)]
    else:
        headers, rows = ASSIGNMENT_HEADERS[lang], assignment_rows(planner, result, lang)
    unassigned: list[list[Any]] = [[i, planner.ev.dataset.person_by_id[u.need.person].full_name,
                   book.programme_label(u.need.programme, lang), u.need.deadline, u.why]
                  for i, u in enumerate(result.unassigned, 1)]
    counts: list[list[Any]] = [[book.programme_label(b.programme, lang), b.quota, b.assigned, b.capacity, b.shortfall]
              for b in result.by_programme]
    extra = [("Chưa xếp được" if vi else "Not scheduled", UNASSIGNED_HEADERS[lang], unassigned),
             ("Tổng hợp theo chương trình" if vi else "By programme", COUNT_HEADERS[lang], counts)]
    title = f"Kế hoạch cử đi đào tạo, bồi dưỡng năm {result.year}" if vi else f"Training plan {result.year}"
    notes = [f"{planner.ev.dataset.person_by_id[a.candidate.person].full_name} ({a.course.id}): {w}"
             for a in result.assignments for w in a.warnings]
    write_xlsx(output, title, result.as_of, headers, rows, "Danh sách" if vi else "Assignments", extra, lang, notes)


def make_planner(ws: Workspace, backend: str, lang: str, on_person: Callable[[], None] | None = None,
                 jobs: int | None = None) -> Planner:
    from engine.batch import default_jobs

    return Planner(Evaluator(ws.book, ws.dataset, backend=backend, lang=lang), ws.as_of, lang, on_person=on_person,
                   jobs=jobs or default_jobs(), backend=backend)


T = TypeVar("T")


def run_planner(data_dir: Path, rulesets_dir: Path | None, as_of: dt.date | None, backend: str, lang: str,
                job: Callable[[Planner, Workspace], T], jobs: int | None = None) -> tuple[Planner, T]:
    """Open the workspace, evaluate everyone (progress on stderr) and run `job` on the planner."""
    ws = open_workspace(data_dir, rulesets_dir, as_of)
    label = "Đang đánh giá" if lang == "vi" else "Evaluating"
    with progress(len(ws.dataset.people), label, progress_enabled()) as bar:
        planner = make_planner(ws, backend, lang, bar.advance, jobs)
        return planner, job(planner, ws)


def default_year(as_of: dt.date) -> int:
    """Boards draw up next year's plan from July (seed 002: units submit it every July)."""
    return as_of.year + 1 if as_of.month >= 7 else as_of.year


@click.command("plan")
@click.option("--year", type=click.IntRange(1950, 2100), default=None,
              help="Năm kế hoạch: các khóa khai giảng trong năm (mặc định: từ tháng 7, năm sau của ngày đánh giá; "
                   "trước đó, năm của ngày đánh giá) / the plan's year: courses starting in it (default: from July, "
                   "the year after the evaluation date; before, its year).")
@click.option("--summary", "summary", is_flag=True,
              help="In phần tóm tắt ra màn hình; với --output, toàn bộ kế hoạch ghi vào tệp / print the summary; with "
                   "--output the whole plan goes to the file.")
@click.option("--backend", type=click.Choice(["durable", "python"]), default="durable", hidden=True)
@click.option("--jobs", type=click.IntRange(1, 256), default=None,
              help="Số tiến trình đánh giá song song (mặc định: số lõi CPU) / worker processes (default: the cores).")
@data_options
def command(year: int | None, summary: bool, backend: str, jobs: int | None, data_dir: Path, as_of: dt.date | None,
            rulesets_dir: Path | None, lang: str, fmt: str, json_flag: bool, output: Path | None) -> None:
    """Kế hoạch cử đi học trong năm / who is sent to which course, within capacities and quotas."""
    fmt = resolve_format(fmt, json_flag)
    if summary and fmt != "table":
        raise click.UsageError("--summary đi với --format table / --summary goes with --format table")
    planner, result = run_planner(data_dir, rulesets_dir, as_of, backend, lang,
                                  lambda p, ws: p.plan(year or default_year(ws.as_of)), jobs)
    if fmt == "json":
        emit_text(to_json(plan_payload(planner, result)), output)
    elif fmt == "csv":
        emit_text(csv_text(CSV_FIELDS, csv_rows(planner, result)), output)
    elif fmt == "xlsx":
        plan_xlsx(planner, result, output, lang)
    else:
        if summary:
            click.echo(plan_text(planner, result, lang, summary_only=True))
        if output is not None or not summary:
            emit_text(plan_text(planner, result, lang), output)


__all__ = ["command", "day", "iso", "make_planner", "person_cells", "plan_payload", "run_planner", "trich_ngang",
           "write_xlsx"]
