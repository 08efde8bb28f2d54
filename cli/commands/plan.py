"""`dtbd plan --year YYYY`: who must be sent to which course and by when, within capacities and quotas."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import click

from cli.context import data_options
from cli.csv_form import NAMED_UNIT, csv_form, sections_csv
from cli.output import emit, resolve_format
from cli.plan_numbers import COUNT_HEADERS, allocation_json, allocation_table, count_rows
from cli.render_planning import basis_text, day, iso, person_cells, run_planner, trich_ngang, write_xlsx
from engine.results import Assignment, PlanResult, Unassigned, awaiting_text
from engine.workspace import Workspace

ASSIGNMENT_HEADERS = {
    "vi": ["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Chức vụ", "Đơn vị", "Chương trình", "Khóa học",
           "Kết thúc", "Hạn", "Căn cứ"],
    "en": ["#", "Full name", "Born", "Gender", "Post", "Unit", "Programme", "Course", "Ends", "Deadline", "Basis"],
}
UNASSIGNED_HEADERS = {"vi": ["STT", "Họ và tên", "Chương trình", "Hạn", "Lý do"],
                      "en": ["#", "Full name", "Programme", "Deadline", "Why"]}
QUOTA_HEADERS = {"vi": ["Chương trình", "Hình thức", "Đơn vị", "Chỉ tiêu", "Đã xếp", "Còn thiếu"],
                 "en": ["Programme", "Mode", "Unit", "Quota", "Assigned", "Shortfall"]}
CSV_FIELDS = ["person", "full_name", "birth_date", "gender", "post", "unit", "programme", "course", "course_start",
              "course_end", "mode", "deadline", "late", "basis", "status", "rule", "rules", "source"]


def assignment_json(ws: Workspace, a: Assignment) -> dict[str, Any]:
    c = a.candidate
    return {"person": c.person, "full_name": ws.dataset.person_by_id[c.person].full_name,
            "programme": c.programme, "course": a.course.id, "course_start": iso(a.course.start),
            "course_end": iso(a.course.end), "mode": a.course.mode, "deadline": iso(c.deadline), "late": a.late,
            "basis": c.basis, "status": c.status, "rule": c.rule, "rules": list(c.rules), "position": c.position,
            "source": c.source, "warnings": list(a.warnings), "conditional": a.conditional,
            "awaiting_ratings": list(a.awaiting)}


def unassigned_json(ws: Workspace, u: Unassigned) -> dict[str, Any]:
    n = u.need
    return {"person": n.person, "full_name": ws.dataset.person_by_id[n.person].full_name,
            "programme": n.programme, "deadline": iso(n.deadline), "why": u.why, "kind": u.kind,
            "why_code": u.kind.replace("_", "-"),
            "reasons": u.reasons, "basis": n.basis, "status": n.status, "rule": n.rule, "rules": n.rules,
            "position": n.position}


def plan_payload(ws: Workspace, result: PlanResult) -> dict[str, Any]:
    return {
        "year": result.year, "as_of": result.as_of.isoformat(),
        "assignments": [assignment_json(ws, a) for a in result.assignments],
        "unassigned": [unassigned_json(ws, u) for u in result.unassigned],
        "by_programme": [{"programme": b.programme, "assigned": b.assigned, "quota": b.quota, "capacity": b.capacity,
                          "needs": b.needs, "shortfall": b.shortfall, "conditional": b.conditional,
                          "unmet": b.unmet} for b in result.by_programme],
        "by_unit": allocation_json(ws, result),
        "quotas": [{"year": q.year, "programme": q.programme, "mode": q.mode, "unit": q.unit, "target": q.target,
                    "assigned": q.assigned, "shortfall": q.shortfall} for q in result.quotas],
        "optimal": result.exact,
    }


def assignment_rows(ws: Workspace, result: PlanResult, lang: str, conditional: bool | None = None
                    ) -> list[list[Any]]:
    """Rows of the assignments (`conditional`: only those, or only the confirmed ones; None: all)."""
    book = ws.book
    rows = []
    listed = [a for a in result.assignments if conditional is None or a.conditional == conditional]
    for i, a in enumerate(listed, 1):
        c = a.candidate
        end = day(a.course.end, lang) + (" *" if a.late else "")
        basis = basis_text(ws, c, lang)
        if a.conditional:
            basis += " — " + awaiting_text(a.awaiting, lang)
        rows.append([i, *person_cells(ws, c.person, lang), book.programme_label(c.programme, lang), a.course.id,
                     end, day(c.deadline, lang), basis])
    return rows


def unassigned_rows(ws: Workspace, result: PlanResult, lang: str, needs_data: bool, cell: Any = day
                    ) -> list[list[Any]]:
    book = ws.book
    listed = [u for u in result.unassigned if (u.kind == "needs-data") == needs_data]
    return [[i, ws.dataset.person_by_id[u.need.person].full_name, book.programme_label(u.need.programme, lang),
             cell(u.need.deadline, lang), u.why] for i, u in enumerate(listed, 1)]


def csv_rows(ws: Workspace, result: PlanResult) -> list[list[Any]]:
    rows = []
    for a in result.assignments:
        c = a.candidate
        j = assignment_json(ws, a)
        cells = person_cells(ws, c.person, "en")
        rows.append([c.person, j["full_name"], cells[1], ws.dataset.person_by_id[c.person].gender, cells[3],
                     cells[4], c.programme, a.course.id, j["course_start"], j["course_end"], a.course.mode,
                     j["deadline"] or "", str(a.late).lower(), c.basis, c.status, c.rule, ";".join(c.rules), c.source])
    return rows


def plan_csv(ws: Workspace, result: PlanResult, lang: str) -> tuple[list[str], list[list[Any]]]:
    """The plan's CSV: the assignments (`--lang en`: only them, the machine form); under vi every section
    after them as in the workbook: the conditional ones, the data to complete, the not scheduled, the counts
    by programme, the allocation by unit (cli.csv_form.sections_csv)."""
    form = csv_form(CSV_FIELDS, lang, ws, NAMED_UNIT)
    if lang != "vi":
        return sections_csv(form, csv_rows(ws, result), [])
    sections = [("Trong đó: cử đi học có điều kiện", ASSIGNMENT_HEADERS[lang],
                 assignment_rows(ws, result, lang, conditional=True)),
                ("Cần bổ sung dữ liệu", UNASSIGNED_HEADERS[lang], unassigned_rows(ws, result, lang, needs_data=True)),
                ("Chưa xếp được", UNASSIGNED_HEADERS[lang], unassigned_rows(ws, result, lang, needs_data=False)),
                ("Tổng hợp theo chương trình", COUNT_HEADERS[lang], count_rows(ws, result, lang)),
                ("Phân bổ theo đơn vị", *allocation_table(ws, result, lang))]
    return sections_csv(form, csv_rows(ws, result), sections)


def plan_text(ws: Workspace, result: PlanResult, lang: str, summary_only: bool = False) -> str:
    from cli.plan_table import plan_text as text

    return text(ws, result, lang, summary_only)


def plan_xlsx(ws: Workspace, result: PlanResult, output: Path | None, lang: str) -> None:
    from cli.xlsx_out import TRICH_NGANG_HEADERS

    vi = lang == "vi"
    def listed(conditional: bool) -> list[list[Any]]:
        if not vi:
            return assignment_rows(ws, result, lang, conditional)
        chosen = [a for a in result.assignments if a.conditional == conditional]
        return [trich_ngang(ws, a.candidate, a.course.id, i, basis_text(ws, a.candidate, lang, titled=True)
                            + (" — khóa học kết thúc sau hạn" if a.late else "")
                            + (" — " + awaiting_text(a.awaiting, lang) if a.conditional else ""))
                for i, a in enumerate(chosen, 1)]

    headers = list(TRICH_NGANG_HEADERS) if vi else ASSIGNMENT_HEADERS[lang]
    rows = listed(False)
    unassigned = unassigned_rows(ws, result, lang, needs_data=False, cell=lambda d, _lang: d)
    lacking = unassigned_rows(ws, result, lang, needs_data=True, cell=lambda d, _lang: d)
    aheaders, arows = allocation_table(ws, result, lang)
    extra = [("Cử đi học có điều kiện" if vi else "Conditional", headers, listed(True)),
             ("Cần bổ sung dữ liệu" if vi else "Data to complete", UNASSIGNED_HEADERS[lang], lacking),
             ("Chưa xếp được" if vi else "Not scheduled", UNASSIGNED_HEADERS[lang], unassigned),
             ("Tổng hợp theo chương trình" if vi else "By programme", COUNT_HEADERS[lang],
              count_rows(ws, result, lang, blank=None)),
             ("Phân bổ theo đơn vị" if vi else "By unit", aheaders, arows)]
    title = f"Kế hoạch cử đi đào tạo, bồi dưỡng năm {result.year}" if vi else f"Training plan {result.year}"
    notes = [f"{ws.dataset.person_by_id[a.candidate.person].full_name} ({a.course.id}): {w}"
             for a in result.assignments for w in a.warnings]
    from cli.xlsx_charts import ChartSpec

    chart = ChartSpec("Nhu cầu, chỉ tiêu và số đã xếp theo chương trình" if vi else
                      "Demand, quota and assigned by programme", 1, (2, 3, 4), horizontal=True)
    write_xlsx(output, title, result.as_of, headers, rows, "Danh sách" if vi else "Assignments", extra, lang, notes,
               ws=ws, charts={4: chart})


@click.command("plan")
@click.option("--year", type=click.IntRange(1950, 2100), default=None,
              help="Năm kế hoạch: các khóa khai giảng trong năm (mặc định: từ tháng 7, năm sau của ngày đánh giá; "
                   "trước đó, năm của ngày đánh giá) / the plan's year: courses starting in it (default: from July, "
                   "the year after the evaluation date; before, its year).")
@click.option("--summary", "summary", is_flag=True,
              help="In phần tóm tắt ra màn hình; với --output, toàn bộ kế hoạch ghi vào tệp / print the summary; with "
                   "--output the whole plan goes to the file.")
@click.option("--backend", type=click.Choice(["durable", "python"]), default="durable", hidden=True)
@click.option("--jobs", type=click.IntRange(1, 64), default=None,
              help="Số tiến trình đánh giá song song (mặc định: số lõi CPU) / worker processes (default: the cores).")
@data_options
def command(year: int | None, summary: bool, backend: str, jobs: int | None, data_dir: Path, as_of: dt.date | None,
            rulesets_dir: Path | None, lang: str, fmt: str, json_flag: bool, output: Path | None) -> None:
    """Kế hoạch cử đi học trong năm / who is sent to which course, within capacities and quotas."""
    fmt = resolve_format(fmt, json_flag)
    if summary and fmt != "table":
        raise click.UsageError("--summary đi với --format table / --summary goes with --format table")
    ws, result = run_planner(data_dir, rulesets_dir, as_of, backend, lang, lambda ws: ws.plan(year), jobs)
    if summary:
        click.echo(plan_text(ws, result, lang, summary_only=True))
        if output is None:
            return
    emit(fmt, output, json_payload=lambda: plan_payload(ws, result),
         csv_rows=lambda: plan_csv(ws, result, lang), table=lambda: plan_text(ws, result, lang),
         xlsx=lambda out: plan_xlsx(ws, result, out, lang))


__all__ = ["command", "plan_payload"]
