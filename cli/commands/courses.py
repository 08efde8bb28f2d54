"""`dtbd courses [--from D] [--programme P] [--search TEXT]`: the courses of the dataset, by start date."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import click

from cli.commands.finding import emit_listing, search_option
from cli.context import data_options_for, date_option
from cli.workspace import open_workspace
from engine import codes
from engine.model import Course
from engine.search import find_courses, fold, matches

HEADERS = {"vi": ["Mã lớp", "Chương trình", "Khai giảng", "Kết thúc", "Hình thức", "Sức chứa", "Cơ sở đào tạo"],
           "en": ["Id", "Programme", "Starts", "Ends", "Mode", "Capacity", "Provider"]}


def course_json(c: Course) -> dict[str, Any]:
    return {"course": c.id, "programme": c.programme, "start": c.start.isoformat(), "end": c.end.isoformat(),
            "mode": c.mode, "capacity": c.capacity, "title": c.title, "provider": c.provider,
            "location": c.location}


def programme_code(value: str, labels: dict[str, str]) -> str:
    """A programme code from its code or (part of) its Vietnamese name; usage error listing them otherwise."""
    if value in labels:
        return value
    found = [code for code, label in labels.items() if fold(label) == fold(value)] or [
        code for code, label in labels.items() if matches(value, label)]
    if len(found) == 1:
        return found[0]
    listed = "\n".join(f"  {code}  {labels[code]}" for code in (found or sorted(labels)))
    why = "khớp nhiều chương trình / matches several" if found else "không phải chương trình nào / is no programme"
    raise click.BadParameter(f"'{value}' {why}:\n{listed}", param_hint="--programme")


@click.command("courses")
@date_option("--from", "start_from", help="Chỉ các khóa khai giảng từ ngày này / only courses starting on or after "
                                          "this date.")
@click.option("--programme", metavar="P", default=None,
              help="Chỉ một chương trình: mã hoặc tên, không cần dấu / one programme only: code or name.")
@search_option("Tìm theo mã, tên lớp, cơ sở đào tạo, địa điểm / look up by id, title, provider or place.")
@data_options_for("table", "json", "csv")
def command(start_from: dt.date | None, programme: str | None, search: str, data_dir: Path, as_of: dt.date | None,
            rulesets_dir: Path | None, lang: str, fmt: str, json_flag: bool, output: Path | None) -> None:
    """Danh sách khóa học / the courses, by start date (capacity, mode, provider)."""
    ws = open_workspace(data_dir, rulesets_dir, as_of)
    labels = {code: ws.book.programme_label(code, "vi") for code in sorted(ws.book.programmes)}
    code = programme_code(programme, labels) if programme else None
    found = find_courses(ws.dataset, start_from, code, search)
    vi = lang == "vi"

    def day(value: dt.date) -> str:
        return value.strftime("%d/%m/%Y") if vi else value.isoformat()

    rows = [[c.id, ws.book.programme_label(c.programme, lang), day(c.start), day(c.end),
             codes.MODE.label(c.mode, lang), c.capacity, c.provider or ""] for c in found]
    emit_listing(fmt, json_flag, output, lang, "courses", [course_json(c) for c in found], HEADERS, rows, search,
                 ws.as_of, wrap=(1, 6))


__all__ = ["command"]
