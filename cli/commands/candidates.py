"""`dtbd candidates --position POS --on D`: who in the succession plan could be appointed, and from when
(engine.candidates)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from cli.context import data_options, date_option
from cli.csv_form import localised
from cli.layout import fit_table
from cli.output import emit, resolve_format
from cli.stamp import stamp
from engine.dates import day_text
from engine.workspace import EngineConfig, Workspace, open_dataset

if TYPE_CHECKING:
    from engine.results import Successor

HEADERS = {
    "vi": ["STT", "Họ và tên", "Mã", "Quy hoạch", "Kết quả", "Đủ điều kiện từ", "Còn thiếu", "Khóa cần học"],
    "en": ["#", "Full name", "Id", "Planned for", "Result", "Eligible from", "Still lacks", "Courses to take"],
}
VERDICT = {"vi": {True: "đủ điều kiện", False: "chưa đủ điều kiện", None: "chưa đủ dữ liệu"},
           "en": {True: "eligible", False: "not eligible", None: "undecided"}}
CSV_FIELDS = ["rank", "person", "full_name", "planned_for", "eligible", "eligible_from", "missing", "courses"]


def _lacks(ws: Workspace, s: Successor, lang: str) -> str:
    names = []
    for f in s.missing:
        if f.requirement in ws.book.programmes:
            names.append(ws.book.programme_label(f.requirement, lang))
        else:
            cond = ws.book.conditions.get(f.requirement)
            names.append((cond.label_vi if lang == "vi" else cond.label_en) if cond else f.requirement)
    return "; ".join(names)


def _json(ws: Workspace, position: str, on: dt.date, found: list[Successor]) -> dict[str, Any]:
    return {"position": position, "on": on.isoformat(), "candidates": [
        {"rank": i, "person": s.person.id, "full_name": s.person.full_name, "planned_for": s.plan.position,
         "eligible": s.eligible, "eligible_from": s.eligible_from.isoformat() if s.eligible_from else None,
         "missing": [{"rule": f.rule, "requirement": f.requirement, "status": f.status} for f in s.missing],
         "way": s.way.to_json() if s.way is not None else None} for i, s in enumerate(found, 1)]}


@click.command("candidates")
@click.option("--position", "position", required=True, metavar="POS", help="Chức vụ dự kiến / the post to fill.")
@date_option("--on", "on", help="Ngày dự kiến bổ nhiệm / the day of the appointment (default: the evaluation date).")
@click.option("--backend", type=click.Choice(["durable", "python"]), default="durable", hidden=True)
@data_options
def command(position: str, on: dt.date | None, backend: str, data_dir: Path, as_of: dt.date | None,
            rulesets_dir: Path | None, lang: str, fmt: str, json_flag: bool, output: Path | None) -> None:
    """Cán bộ trong quy hoạch và ngày đủ điều kiện / everyone planned for a post, ranked, with what they lack."""
    fmt = resolve_format(fmt, json_flag)
    ws = open_dataset(data_dir, rulesets_dir, as_of, stream=False, config=EngineConfig(backend, lang))
    stamp(ws, lang)
    day = on or ws.as_of
    found = ws.candidates(position, day)

    def rows(dates: bool) -> list[list[Any]]:
        out = []
        for i, s in enumerate(found, 1):
            when = s.eligible_from if dates else day_text(s.eligible_from, lang)
            courses = ", ".join(c.id for c in s.way.courses) if s.way is not None else ""
            out.append([i, s.person.full_name, s.person.id, s.plan.position, VERDICT[lang][s.eligible],
                        when if s.eligible is not True else (day if dates else day_text(day, lang)),
                        _lacks(ws, s, lang), courses])
        return out

    def table() -> str:
        post = ws.dataset.position_by_id[position]
        title = (f"Cán bộ trong quy hoạch {post.title} ({position}) — dự kiến bổ nhiệm {day_text(day, lang)}"
                 if lang == "vi" else f"Planned for {post.title} ({position}) — appointment on {day_text(day, lang)}")
        body = rows(False)
        # names, what they lack and the courses wrap; the ids, dates and verdicts stay whole (cli.layout)
        return f"{title}\n\n" + (fit_table(HEADERS[lang], body, wrap=(1, 6, 7)) if body else
                                 ("(không có ai trong quy hoạch)" if lang == "vi" else "(nobody planned)"))

    def xlsx(out: Path | None) -> None:
        from cli.xlsx_out import write_sheet_xlsx

        write_sheet_xlsx(out, f"{'Cán bộ trong quy hoạch' if lang == 'vi' else 'Candidates'} {position}", day,
                         HEADERS[lang], rows(True), sheet="Danh sách" if lang == "vi" else "Candidates", lang=lang)

    def csv_rows() -> tuple[list[str], list[list[Any]]]:
        data = _json(ws, position, day, found)["candidates"]
        return localised(CSV_FIELDS, [[c["rank"], c["person"], c["full_name"], c["planned_for"], c["eligible"],
                             c["eligible_from"] or "", ";".join(m["rule"] for m in c["missing"]),
                             ";".join(x["course"] for x in (c["way"] or {}).get("courses", []))] for c in data],
                         lang, ws)

    emit(fmt, output, json_payload=lambda: _json(ws, position, day, found), csv_rows=csv_rows, table=table, xlsx=xlsx)


__all__ = ["command"]
