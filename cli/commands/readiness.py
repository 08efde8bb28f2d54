"""`dtbd readiness [--position POS]`: from when each person in an active succession plan (quy hoạch)
meets the training requirements of the planned post, given the plan of the coming years."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import click

from cli.completion import complete
from cli.context import data_options
from cli.csv_form import Column, localised
from cli.output import emit, resolve_format
from cli.plan_table import items_text, status_text
from cli.render_planning import day, iso, run_planner, write_xlsx
from engine.results import Readiness
from engine.workspace import Workspace

HEADERS = {
    "vi": ["STT", "Họ và tên", "Chức danh quy hoạch", "Phê duyệt", "Nhiệm kỳ", "Tình trạng", "Khóa học còn cần"],
    "en": ["#", "Full name", "Planned post", "Approved", "Term", "Readiness", "Courses still needed"],
}
CSV_FIELDS = ["person", "full_name", "position", "approved", "term", "status", "ready_from", "programme", "course",
              "course_end", "deadline", "late"]


def readiness_payload(ws: Workspace, rows: list[Readiness], position: str | None) -> dict[str, Any]:
    people = ws.dataset.person_by_id
    posts = ws.dataset.position_by_id
    return {"as_of": ws.as_of.isoformat(), "position": position, "people": [
        {"person": r.person, "full_name": people[r.person].full_name, "position": r.position,
         "position_title": posts[r.position].title, "approved": iso(r.plan.approved) if r.plan else None,
         "term": r.plan.term if r.plan else None, "status": r.status, "ready_from": iso(r.ready_from),
         "text": status_text(r, ws.config.lang), "missing": r.missing,
         "needs": [{"programme": i.need.programme, "deadline": iso(i.need.deadline), "rules": i.need.rules,
                    "course": i.course.id if i.course else None,
                    "course_end": iso(i.course.end) if i.course else None, "late": i.late} for i in r.items]}
        for r in rows]}


def table_rows(ws: Workspace, rows: list[Readiness], lang: str, dates: bool = False) -> list[list[Any]]:
    """Rows of the table; with `dates`, approval dates stay dates (Excel cells)."""
    people = ws.dataset.person_by_id
    posts = ws.dataset.position_by_id

    def approved(r: Readiness) -> Any:
        if r.plan is None:
            return None if dates else ""
        return r.plan.approved if dates else day(r.plan.approved, lang)

    return [[i, people[r.person].full_name, posts[r.position].title, approved(r),
             (r.plan.term or "") if r.plan else "", status_text(r, lang), items_text(ws, r, lang)]
            for i, r in enumerate(rows, 1)]


def csv_rows(ws: Workspace, rows: list[Readiness]) -> list[list[Any]]:
    people = ws.dataset.person_by_id
    out: list[list[Any]] = []
    for r in rows:
        head = [r.person, people[r.person].full_name, r.position, iso(r.plan.approved) if r.plan else "",
                (r.plan.term or "") if r.plan else "", r.status, iso(r.ready_from) or ""]
        if not r.items:
            out.append([*head, "", "", "", "", ""])
        for i in r.items:
            out.append([*head, i.need.programme, i.course.id if i.course else "",
                        iso(i.course.end) if i.course else "", iso(i.need.deadline) or "", str(i.late).lower()])
    return out


@click.command("readiness")
@click.option("--position", metavar="POS", default=None, shell_complete=complete("position"),
              help="Chỉ một chức danh quy hoạch: mã hoặc tên, nếu duy nhất / one planned post only: id, or title where "
                   "unique.")
@click.option("--backend", type=click.Choice(["durable", "python"]), default="durable", hidden=True)
@data_options
def command(position: str | None, backend: str, data_dir: Path, as_of: dt.date | None, rulesets_dir: Path | None,
            lang: str, fmt: str, json_flag: bool, output: Path | None) -> None:
    """Mức sẵn sàng của cán bộ trong quy hoạch / when planned cadres meet the training requirements."""
    fmt = resolve_format(fmt, json_flag)
    def job(ws: Workspace) -> list[Readiness]:
        return ws.readiness(ws.resolve_position(position) if position is not None else None)

    ws, rows = run_planner(data_dir, rulesets_dir, as_of, backend, lang, job)
    vi = lang == "vi"

    def xlsx(out: Path | None) -> None:
        title = "Mức sẵn sàng của cán bộ trong quy hoạch" if vi else "Readiness of planned cadres"
        headers, body = HEADERS[lang], table_rows(ws, rows, lang, dates=True)
        if vi:  # the trích ngang of each person, then the readiness
            from cli.xlsx_out import PERSON_HEADERS, person_columns

            headers = [headers[0], *PERSON_HEADERS, *headers[2:]]
            body = [[line[0], *person_columns(ws.dataset, ws.book, r.person, ws.as_of), *line[2:]]
                    for r, line in zip(rows, body, strict=True)]
        write_xlsx(out, title, ws.as_of, headers, body, "Danh sách" if vi else "Readiness", lang=lang, ws=ws)

    def table() -> str:
        from cli.plan_table import readiness_text

        return readiness_text(ws, rows, lang)

    emit(fmt, output, json_payload=lambda: readiness_payload(ws, rows, position),
         csv_rows=lambda: localised(CSV_FIELDS, csv_rows(ws, rows), lang, ws,
                                             {"status": Column("Tình trạng", "words:readiness")}),
         table=table, xlsx=xlsx)


__all__ = ["command", "readiness_payload"]
