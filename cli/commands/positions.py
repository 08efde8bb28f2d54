"""`dtbd positions --search TEXT`: posts by title or unit (diacritics and case ignored), with their holders."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import click

from cli.commands.finding import emit_listing, search_option
from cli.context import data_options_for
from engine import codes
from engine.results import PositionHit
from engine.workspace import open_dataset

HEADERS = {"vi": ["Mã", "Tên chức vụ", "Đơn vị", "Cấp lãnh đạo, quản lý", "Người đang giữ"],
           "en": ["Id", "Title", "Unit", "Tier", "Held by"]}


def position_json(hit: PositionHit) -> dict[str, Any]:
    p = hit.position
    return {"position": p.id, "title": p.title, "unit": p.unit, "unit_name": hit.unit_name, "tier": p.tier,
            "role": p.role, "holders": [{"person": x.id, "full_name": x.full_name} for x in hit.holders]}


def position_row(hit: PositionHit, lang: str) -> list[Any]:
    p = hit.position
    tier = f"{codes.TIER.label(p.tier, lang)}, {codes.ROLE.label(p.role, lang)}"
    return [p.id, p.title, hit.unit_name, tier, "; ".join(f"{x.full_name} ({x.id})" for x in hit.holders)]


@click.command("positions")
@search_option("Tên chức vụ hoặc đơn vị cần tìm, không cần dấu (bỏ trống: tất cả) / title or unit to look for, "
               "diacritics and case ignored (empty: every post).")
@data_options_for("table", "json", "csv")
def command(search: str, data_dir: Path, as_of: dt.date | None, rulesets_dir: Path | None, lang: str, fmt: str,
            json_flag: bool, output: Path | None) -> None:
    """Tìm chức vụ theo tên hoặc đơn vị / find posts by title or unit, with who holds them."""
    ws = open_dataset(data_dir, rulesets_dir, as_of)
    hits = ws.find_positions(search)
    emit_listing(fmt, json_flag, output, lang, "positions", [position_json(h) for h in hits], HEADERS,
                 [position_row(h, lang) for h in hits], search, ws.as_of, wrap=(1, 2, 4))


__all__ = ["command"]
