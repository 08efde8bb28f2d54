"""`dtbd people --search TEXT`: people by name (diacritics and case ignored), with unit and posts held."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import click

from cli.commands.finding import emit_listing, search_option
from cli.context import data_options_for
from engine import codes
from engine.dates import day_text
from engine.results import PersonHit
from engine.workspace import open_dataset

HEADERS = {"vi": ["Mã", "Họ và tên", "Ngày sinh", "Đối tượng", "Đơn vị", "Chức vụ đang giữ"],
           "en": ["Id", "Full name", "Born", "Category", "Unit", "Posts held"]}


def person_json(hit: PersonHit) -> dict[str, Any]:
    p = hit.person
    return {"person": p.id, "full_name": p.full_name, "birth_date": p.birth_date.isoformat(), "category": p.category,
            "unit": p.unit, "unit_name": hit.unit_name,
            "positions": [{"position": x.id, "title": x.title} for x in hit.posts]}


def person_row(hit: PersonHit, lang: str) -> list[Any]:
    p = hit.person
    born = day_text(p.birth_date, lang)
    return [p.id, p.full_name, born, codes.CATEGORY.label(p.category, lang), hit.unit_name,
            "; ".join(x.title for x in hit.posts)]


@click.command("people")
@search_option("Tên cần tìm, không cần dấu, không phân biệt hoa thường (bỏ trống: tất cả) / name to look for, "
               "diacritics and case ignored (empty: everyone).")
@data_options_for("table", "json", "csv")
def command(search: str, data_dir: Path, as_of: dt.date | None, rulesets_dir: Path | None, lang: str, fmt: str,
            json_flag: bool, output: Path | None) -> None:
    """Tìm người theo tên / find people by name, with their unit and the posts they hold."""
    ws = open_dataset(data_dir, rulesets_dir, as_of)
    hits = ws.find_people(search)
    emit_listing(fmt, json_flag, output, lang, "people", [person_json(h) for h in hits], HEADERS,
                 [person_row(h, lang) for h in hits], search, ws.as_of, wrap=(4, 5))


__all__ = ["command"]
