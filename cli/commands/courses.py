"""`dtbd courses [--from D] [--programme P] [--search TEXT]`: the courses of the dataset, by start date."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import click

from cli.commands.finding import emit_listing, search_option
from cli.context import data_options_for, date_option
from engine import codes
from engine.dates import day_text
from engine.results import Course
from engine.workspace import open_dataset

HEADERS = {"vi": ["Mã lớp", "Chương trình", "Khai giảng", "Kết thúc", "Hình thức", "Sức chứa", "Cơ sở đào tạo"],
           "en": ["Id", "Programme", "Starts", "Ends", "Mode", "Capacity", "Provider"]}


def course_json(c: Course) -> dict[str, Any]:
    return {"course": c.id, "programme": c.programme, "start": c.start.isoformat(), "end": c.end.isoformat(),
            "mode": c.mode, "capacity": c.capacity, "title": c.title, "provider": c.provider,
            "location": c.location}


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
    ws = open_dataset(data_dir, rulesets_dir, as_of)
    code = ws.resolve_programme(programme) if programme else None
    found = ws.find_courses(start_from, code, search)
    rows = [[c.id, ws.book.programme_label(c.programme, lang), day_text(c.start, lang), day_text(c.end, lang),
             codes.MODE.label(c.mode, lang), c.capacity, c.provider or ""] for c in found]
    emit_listing(fmt, json_flag, output, lang, "courses", [course_json(c) for c in found], HEADERS, rows, search,
                 ws.as_of, wrap=(1, 6))


__all__ = ["command"]
