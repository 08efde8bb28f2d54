"""`dtbd report phu-luc --years 2027-2029`: the two appendix tables of a provincial training plan (seed
004, Kế hoạch 143/KH-UBND of Đồng Nai): the training appendix (Stt | Chương trình bồi dưỡng | Đối tượng |
Tổng số | Trong đó Năm … | Ghi chú) and the foreign-language appendix (Stt | Đối tượng | Chỉ tiêu |
Thực trạng: Số lượng, Đạt (%) | Nhu cầu | Ghi chú)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import click

from cli.context import data_options
from cli.csv_form import vi_number
from cli.output import emit, resolve_format, table_text, to_json
from engine import codes
from engine.results import Appendix
from engine.workspace import EngineConfig, Workspace, open_dataset


def _years(_ctx: click.Context, _param: click.Parameter, value: str) -> list[int]:
    first, _, last = value.partition("-")
    try:
        start, end = int(first), int(last or first)
    except ValueError:
        raise click.BadParameter("YYYY-YYYY, e.g. 2027-2029") from None
    if not 1950 <= start <= end <= 2100 or end - start > 10:
        raise click.BadParameter("a period of at most 11 years, first year first, e.g. 2027-2029")
    return list(range(start, end + 1))


def group_text(appendix: Appendix, lang: str) -> str:
    names = ", ".join(codes.MANAGED_BY.label(m, lang) for m in appendix.managed_by)
    return (f"Cán bộ đương chức và quy hoạch các chức danh thuộc diện {names}" if lang == "vi"
            else f"Incumbents and planned cadres of posts managed by: {names}")


def training_table(ws: Workspace, appendix: Appendix, lang: str) -> tuple[list[str], list[list[Any]]]:
    vi = lang == "vi"
    headers = (["Stt", "Chương trình bồi dưỡng", "Đối tượng", "Tổng số",
                *(f"Trong đó|Năm {y}" for y in appendix.years), "Ghi chú"] if vi else
               ["#", "Programme", "Target group", "Total", *(f"Of which|{y}" for y in appendix.years), "Note"])
    group = group_text(appendix, lang)
    rows: list[list[Any]] = []
    for i, r in enumerate(appendix.training, 1):
        note = ((f"{r.unscheduled} người chưa có khóa học, tính vào năm đến hạn" if vi
                 else f"{r.unscheduled} without a course yet, counted in the year due") if r.unscheduled else "")
        rows.append([i, ws.book.programme_label(r.programme, lang), group, r.total,
                     *(r.by_year.get(y, 0) for y in appendix.years), note])
    if rows:
        rows.append(["", "Tổng cộng" if vi else "Total", "", sum(r.total for r in appendix.training),
                     *(sum(r.by_year.get(y, 0) for r in appendix.training) for y in appendix.years), ""])
    return headers, rows


def split(total: int, years: list[int]) -> str:
    """The demand spread over the years, the earlier years taking the remainder ("2027: 3, 2028: 3, 2029: 2")."""
    base, extra = divmod(total, len(years))
    return ", ".join(f"{y}: {base + (i < extra)}" for i, y in enumerate(years))


def language_table(appendix: Appendix, lang: str) -> tuple[list[str], list[list[Any]]]:
    vi = lang == "vi"
    headers = (["Stt", "Đối tượng", "Chỉ tiêu", "Thực trạng đạt bậc 4 trở lên|Số lượng",
                "Thực trạng đạt bậc 4 trở lên|Đạt (%)", "Nhu cầu học tập ngoại ngữ từ bậc 4 trở lên", "Ghi chú"]
               if vi else ["#", "Target group", "Target", "At level 4 or higher|Number",
                           "At level 4 or higher|Share (%)", "To train to level 4 or higher", "Note"])
    rows: list[list[Any]] = []
    for i, t in enumerate(appendix.languages, 1):
        notes = []
        if t.gap:
            notes.append(split(t.gap, appendix.years))
        if t.unknown:
            notes.append(f"{len(t.unknown)}/{len(t.members)} người chưa có dữ liệu trình độ ngoại ngữ" if vi
                         else f"{len(t.unknown)}/{len(t.members)} without a recorded language level")
        if not t.members:
            notes.append("không có ai thuộc đối tượng" if vi else "nobody in the group")
        rows.append([i, t.target.group_vi, f"{t.target.share * 100:g}%", len(t.meeting),
                     None if t.value is None else round(t.value * 100, 2), t.gap, "; ".join(notes)])
    return headers, rows


def _flat(headers: list[str]) -> list[str]:
    return [h.replace("|", " — ") for h in headers]


@click.group("report")
def command() -> None:
    """Báo cáo, biểu mẫu kèm kế hoạch / documents filed with a plan."""


@command.command("phu-luc")
@click.option("--years", "years", required=True, callback=_years, metavar="YYYY-YYYY",
              help="Giai đoạn, vd. 2027-2029 / the period.")
@click.option("--managed-by", "managed_by", multiple=True, type=click.Choice(list(codes.MANAGED_BY.values)),
              help="Đối tượng: chức danh thuộc diện … quản lý (mặc định btv-tinh-uy; lặp lại được) / the posts "
                   "managed by … (default btv-tinh-uy; repeatable).")
@data_options
def phu_luc(years: list[int], managed_by: tuple[str, ...], data_dir: Path, as_of: dt.date | None,
            rulesets_dir: Path | None, lang: str, fmt: str, json_flag: bool, output: Path | None) -> None:
    """Phụ lục bồi dưỡng và phụ lục học tập ngoại ngữ của kế hoạch giai đoạn / the plan's appendix tables."""
    fmt = resolve_format(fmt, json_flag)
    ws = open_dataset(data_dir, rulesets_dir, as_of, stream=False, config=EngineConfig("durable", lang))
    appendix = ws.appendix(years, managed_by or ("btv-tinh-uy",))
    vi = lang == "vi"
    period = f"{years[0]} - {years[-1]}"
    titles = ((f"Phụ lục bồi dưỡng cán bộ đương chức và quy hoạch chức danh giai đoạn {period}",
               f"Phụ lục học tập ngoại ngữ cho đội ngũ cán bộ đương chức và quy hoạch giai đoạn {period}") if vi else
              (f"Training appendix {period}", f"Foreign-language appendix {period}"))
    train, languages = training_table(ws, appendix, lang), language_table(appendix, lang)

    def table() -> str:
        return "\n".join([titles[0].upper(), "", table_text(_flat(train[0]), train[1]), "", titles[1].upper(), "",
                          table_text(_flat(languages[0]), languages[1])])

    def xlsx(out: Path | None) -> None:
        from cli.xlsx_out import form_for, write_sheet_xlsx

        write_sheet_xlsx(out, titles[0], ws.as_of, train[0], train[1], "Phụ lục bồi dưỡng" if vi else "Training",
                         [(titles[1], languages[0], languages[1])], lang=lang, form=form_for(ws))

    emit(fmt, output, json_payload=lambda: {
        "years": years, "managed_by": list(appendix.managed_by),
        "training": [{"programme": r.programme, "total": r.total, "by_year": {str(y): n for y, n in r.by_year.items()},
                      "unscheduled": r.unscheduled} for r in appendix.training],
        "languages": [{"target": t.target.id, "share": t.target.share, "meeting": len(t.meeting),
                       "members": len(t.members), "value": t.value, "gap": t.gap, "unknown": len(t.unknown)}
                      for t in appendix.languages]},
         csv_rows=lambda: _csv(train, languages, titles, lang), table=table, xlsx=xlsx)


def _csv(train: tuple[list[str], list[list[Any]]], languages: tuple[list[str], list[list[Any]]],
         titles: tuple[str, str], lang: str) -> tuple[list[str], list[list[Any]]]:
    """The training appendix (`--lang en`: only it, as before); under vi the language appendix after it."""
    if lang != "vi":
        return _flat(train[0]), train[1]
    body: list[list[Any]] = [[vi_number(v) if isinstance(v, float) else v for v in row] for row in train[1]]
    body.extend([[], [titles[1]], _flat(languages[0])])
    body.extend([vi_number(v) if isinstance(v, float) else v for v in row] for row in languages[1])
    return _flat(train[0]), body


__all__ = ["command", "to_json"]
