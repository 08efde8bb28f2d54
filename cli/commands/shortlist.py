"""`dtbd shortlist --course COURSE_ID`: ranked nominees for one course, reserves, and the excluded with why."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import click

from cli.completion import complete
from cli.context import data_options
from cli.csv_form import NAMED_UNIT, localised
from cli.output import emit, resolve_format
from cli.render_planning import basis_text, day, iso, person_cells, run_planner, trich_ngang, write_xlsx
from engine.results import Nominee, Shortlist
from engine.workspace import Workspace

HEADERS = {
    "vi": ["Thứ tự", "Họ và tên", "Ngày sinh", "Giới tính", "Chức vụ", "Đơn vị", "Hạn", "Căn cứ"],
    "en": ["Rank", "Full name", "Born", "Gender", "Post", "Unit", "Deadline", "Reasons"],
}
EXCLUDED_HEADERS = {"vi": ["STT", "Họ và tên", "Lý do không đủ điều kiện"], "en": ["#", "Full name", "Why excluded"]}
NEEDS_DATA_HEADERS = {"vi": ["STT", "Họ và tên", "Trường dữ liệu cần bổ sung", "Quy tắc", "Căn cứ"],
                      "en": ["#", "Full name", "Field to fill", "Rule", "Reason"]}
TITLES = {
    "vi": {"conditional": "Đề cử có điều kiện (chờ kết quả xếp loại)", "needs_data": "Cần bổ sung dữ liệu"},
    "en": {"conditional": "Conditional nominees (awaiting a rating)", "needs_data": "Data to complete"},
}
CSV_FIELDS = ["list", "rank", "person", "full_name", "birth_date", "gender", "post", "unit", "programme", "deadline",
              "late", "basis", "status", "rule", "reasons"]


def nominee_json(ws: Workspace, n: Nominee, full: bool = True) -> dict[str, Any]:
    c = n.candidate
    out: dict[str, Any] = {"rank": n.rank, "person": c.person,
                           "full_name": ws.dataset.person_by_id[c.person].full_name}
    if full:
        out.update({"deadline": iso(c.deadline), "reasons": n.reasons, "rule": c.rule, "rules": list(c.rules),
                    "basis": c.basis, "status": c.status, "late": n.late, "position": c.position,
                    "warnings": n.warnings})
    else:
        out.update({"deadline": iso(c.deadline), "basis": c.basis, "rule": c.rule})
    return out


def shortlist_payload(ws: Workspace, sl: Shortlist) -> dict[str, Any]:
    c = sl.course
    return {
        "course": c.id, "programme": c.programme, "capacity": c.capacity, "start": iso(c.start), "end": iso(c.end),
        "mode": c.mode, "as_of": ws.as_of.isoformat(),
        "nominees": [nominee_json(ws, n) for n in sl.nominees],
        "reserves": [nominee_json(ws, n, full=False) for n in sl.reserves],
        "excluded": [{"person": e.candidate.person,
                      "full_name": ws.dataset.person_by_id[e.candidate.person].full_name,
                      "why": e.why, "basis": e.candidate.basis, "rule": e.candidate.rule} for e in sl.excluded],
        "conditional": [nominee_json(ws, n) for n in sl.conditional],
        "needs_data": [{"person": n.candidate.person,
                        "full_name": ws.dataset.person_by_id[n.candidate.person].full_name,
                        "basis": n.candidate.basis, "candidate_rule": n.candidate.rule,
                        "missing": [{"rule": rule, "field": fields, "why": text} for rule, fields, text in n.items]}
                       for n in sl.needs_data],
    }


def needs_data_rows(ws: Workspace, sl: Shortlist) -> list[list[Any]]:
    return [[i, ws.dataset.person_by_id[n.candidate.person].full_name, "; ".join(f for _r, f, _t in n.items),
             ", ".join(dict.fromkeys(r for r, _f, _t in n.items)), "; ".join(t for _r, _f, t in n.items)]
            for i, n in enumerate(sl.needs_data, 1)]


def rows(ws: Workspace, listed: list[Nominee], lang: str) -> list[list[Any]]:
    out = []
    for n in listed:
        reasons = "; ".join(n.reasons + n.warnings)
        out.append([n.rank, *person_cells(ws, n.candidate.person, lang), day(n.candidate.deadline, lang), reasons])
    return out


def shortlist_text(ws: Workspace, sl: Shortlist, lang: str) -> str:
    from cli.plan_table import shortlist_text as text

    needs = (TITLES[lang]["needs_data"], NEEDS_DATA_HEADERS[lang], needs_data_rows(ws, sl)) if sl.needs_data else None
    return text(ws, sl, lang, conditional_title=TITLES[lang]["conditional"], needs_data=needs)


def csv_rows(ws: Workspace, sl: Shortlist) -> list[list[Any]]:
    out: list[list[Any]] = []
    people = ws.dataset.person_by_id
    for name, listed in (("nominee", sl.nominees), ("reserve", sl.reserves), ("conditional", sl.conditional)):
        for n in listed:
            c = n.candidate
            cells = person_cells(ws, c.person, "en")
            out.append([name, n.rank, c.person, cells[0], cells[1], people[c.person].gender, cells[3], cells[4],
                        c.programme, iso(c.deadline) or "", str(n.late).lower(), c.basis, c.status, c.rule,
                        "; ".join(n.reasons + n.warnings)])
    for e in sl.excluded:
        c = e.candidate
        cells = person_cells(ws, c.person, "en")
        out.append(["excluded", "", c.person, cells[0], cells[1], people[c.person].gender, cells[3], cells[4],
                    c.programme, iso(c.deadline) or "", "", c.basis, c.status, c.rule, "; ".join(e.why)])
    for nd in sl.needs_data:
        c = nd.candidate
        cells = person_cells(ws, c.person, "en")
        out.append(["needs_data", "", c.person, cells[0], cells[1], people[c.person].gender, cells[3], cells[4],
                    c.programme, iso(c.deadline) or "", "", c.basis, c.status, c.rule,
                    "; ".join(text for _r, _f, text in nd.items)])
    return out


@click.command("shortlist")
@click.option("--course", "course_id", required=True, metavar="COURSE_ID", shell_complete=complete("course"),
              help="Mã khóa học (dtbd courses liệt kê) / course id (dtbd courses lists them).")
@click.option("--reserves", type=click.IntRange(0, 10_000), default=None, metavar="N",
              help="Số người dự bị tối đa (mặc định: một phần năm sức chứa) / at most N reserves (default: a fifth of "
                   "the capacity).")
@click.option("--include-past", is_flag=True,
              help="Cho phép khóa đã khai giảng hoặc đã kết thúc trước ngày đánh giá / allow a course that started or "
                   "ended by the evaluation date.")
@click.option("--backend", type=click.Choice(["durable", "python"]), default="durable", hidden=True)
@data_options
def command(course_id: str, reserves: int | None, include_past: bool, backend: str, data_dir: Path,
            as_of: dt.date | None, rulesets_dir: Path | None, lang: str, fmt: str, json_flag: bool,
            output: Path | None) -> None:
    """Danh sách đề cử một khóa học / ranked nominees for one course, reserves, the excluded and why."""
    fmt = resolve_format(fmt, json_flag)
    ws, sl = run_planner(data_dir, rulesets_dir, as_of, backend, lang,
                         lambda ws: ws.shortlist(course_id, reserves, include_past))
    emit(fmt, output, json_payload=lambda: shortlist_payload(ws, sl),
         csv_rows=lambda: localised(CSV_FIELDS, csv_rows(ws, sl), lang, ws, NAMED_UNIT),
         table=lambda: shortlist_text(ws, sl, lang),
         xlsx=lambda out: shortlist_xlsx(ws, sl, out, lang))


def shortlist_xlsx(ws: Workspace, sl: Shortlist, output: Path | None, lang: str) -> None:
    from cli.xlsx_out import TRICH_NGANG_HEADERS

    vi = lang == "vi"
    if vi:
        headers = ["Thứ tự", *TRICH_NGANG_HEADERS[1:]]

        def lines(listed: list[Nominee]) -> list[list[Any]]:
            # Căn cứ: the rule by its title and citation (as the plan's); the course is the title's, by its id
            return [trich_ngang(ws, n.candidate, sl.course.id, n.rank,
                                "; ".join([basis_text(ws, n.candidate, lang, titled=True), *n.warnings]),
                                course_named=False)
                    for n in listed]
    else:
        headers = HEADERS[lang]

        def lines(listed: list[Nominee]) -> list[list[Any]]:
            return rows(ws, listed, lang)
    excluded = [[i, ws.dataset.person_by_id[e.candidate.person].full_name, "; ".join(e.why)]
                for i, e in enumerate(sl.excluded, 1)]
    extra = [("Dự bị" if vi else "Reserves", headers, lines(sl.reserves)),
             (TITLES[lang]["conditional"], headers, lines(sl.conditional)),
             (TITLES[lang]["needs_data"], NEEDS_DATA_HEADERS[lang], needs_data_rows(ws, sl)),
             ("Không đủ điều kiện" if vi else "Excluded", EXCLUDED_HEADERS[lang], excluded)]
    title = (f"Danh sách đề cử khóa {sl.course.id} — {ws.book.programme_label(sl.course.programme, lang)}"
             if vi else f"Shortlist for course {sl.course.id}")
    write_xlsx(output, title, ws.as_of, headers, lines(sl.nominees), "Đề cử" if vi else "Nominees", extra, lang,
               ws=ws)


__all__ = ["command", "shortlist_payload"]
