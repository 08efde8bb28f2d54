"""`dtbd validate`: load and check the dataset and the rule packs; print every problem, not just the first.

Exit 0 with a one-screen summary of the dataset when nothing is wrong, else exit 1 with one line per
problem (`FILE:LINE field: message (value)`).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

import engine.intake.facade as intake
from cli.context import data_options_for
from cli.csv_form import Column, localised
from cli.output import emit_csv, emit_text, resolve_format, table_text, to_json
from engine import codes
from engine.errors import escaped
from engine.results import Dataset, Problem
from engine.workspace import validate_dataset

_LABELS = {
    "vi": {
        "dataset": "Bộ dữ liệu",
        "province": "Tỉnh",
        "as_of": "Ngày đánh giá",
        "rulesets": "Gói quy tắc",
        "ok": "Hợp lệ: không có lỗi.",
        "problems": "{n} lỗi:",
        "warnings": "{n} cảnh báo:",
        "by_category": "Cán bộ, công chức, viên chức theo đối tượng",
        "by_tier": "Chức vụ lãnh đạo, quản lý theo cấp",
        "counts": "Số bản ghi",
        "category": "Đối tượng",
        "tier": "Cấp",
        "table": "Bảng",
        "number": "Số lượng",
        "total": "Tổng",
        "units": "đơn vị",
        "positions": "chức vụ",
        "people": "người",
        "appointments": "quá trình giữ chức vụ",
        "current": "đang giữ chức vụ",
        "plans": "quy hoạch",
        "credentials": "văn bằng, chứng chỉ",
        "ratings": "đánh giá, xếp loại",
        "disciplines": "kỷ luật",
        "courses": "lớp đào tạo, bồi dưỡng",
        "quotas": "chỉ tiêu",
        "gaps": "Dữ liệu còn thiếu, theo đơn vị (quy tắc cần đến sẽ báo 'chưa đủ dữ liệu'):\n"
                "số người đang công tác thiếu đánh giá năm trước; số người giữ chức vụ hoặc trong quy hoạch\n"
                "thiếu ngày vào Đảng, ngạch, trình độ.",
        "no_gaps": "Dữ liệu đủ cho các quy tắc: không thiếu đánh giá, ngày vào Đảng, ngạch, trình độ.",
        "unit": "Đơn vị",
        "more": "… và {n} người nữa (--format csv: danh sách đầy đủ)",
    },
    "en": {
        "dataset": "Dataset",
        "province": "Province",
        "as_of": "As of",
        "rulesets": "Rule packs",
        "ok": "Valid: no problems.",
        "problems": "{n} problem(s):",
        "warnings": "{n} warning(s):",
        "by_category": "People by category",
        "by_tier": "Leadership posts by tier",
        "counts": "Records",
        "category": "Category",
        "tier": "Tier",
        "table": "Table",
        "number": "Count",
        "total": "Total",
        "units": "units",
        "positions": "posts",
        "people": "people",
        "appointments": "appointments",
        "current": "posts currently held",
        "plans": "succession plans",
        "credentials": "credentials",
        "ratings": "ratings",
        "disciplines": "disciplines",
        "courses": "courses",
        "quotas": "quotas",
        "gaps": "Missing data, by unit (rules that need it will answer 'unknown'):\n"
                "people in service with no rating for last year; people holding or planned for a post\n"
                "with no party date, grade or education.",
        "no_gaps": "Data complete for the rules: no missing rating, party date, grade or education.",
        "unit": "Unit",
        "more": "… and {n} more (--format csv: the full list)",
    },
}
_SHOWN_IDS = 10
_COUNTED = ("units", "positions", "people", "appointments", "current", "plans", "credentials", "ratings",
            "disciplines", "courses", "quotas")


def summary(dataset: Dataset, as_of: dt.date | None) -> dict[str, Any]:
    day = dataset.as_of(as_of)
    counts = {name: len(getattr(dataset, name)) for name in _COUNTED if name != "current"}
    counts["current"] = sum(
        1 for a in dataset.appointments if a.start <= day and (a.end is None or a.end >= day)
    )
    categories = Counter(p.category for p in dataset.people)
    tiers = Counter(p.tier for p in dataset.positions)
    return {
        "ok": True,
        "dataset": dataset.manifest.name,
        "province": dataset.manifest.province,
        "as_of": day.isoformat(),
        "rulesets": list(dataset.manifest.rulesets),
        "people_by_category": {c: categories[c] for c in codes.CATEGORY.values if categories[c]},
        "positions_by_tier": {t: tiers[t] for t in codes.TIER.values if tiers[t]},
        "counts": {name: counts[name] for name in _COUNTED},
        "warnings": [{"file": w.file, "line": w.line, "field": w.field, "message": w.message,
                      "value": None if w.value is None else str(w.value)} for w in dataset.warnings],
        "delimiters": intake.delimiters(dataset.root),
        "rating_year": day.year - 1,
        "completeness": [
            {"unit": u.unit, "name": u.name, "counts": u.counts, "people": u.people}
            for u in intake.by_unit(dataset, intake.gaps(dataset, as_of))
        ],
    }


def render_summary(data: dict[str, Any], lang: str) -> str:
    text = _LABELS[lang]
    lines = [f"{text['dataset']}: {data['dataset']}"]
    if data["province"]:
        lines.append(f"{text['province']}: {data['province']}")
    as_of = str(data["as_of"])
    if lang == "vi":  # dd/mm/yyyy in Vietnamese; the JSON keeps the ISO date
        as_of = f"{as_of[8:10]}/{as_of[5:7]}/{as_of[:4]}"
    lines += [f"{text['as_of']}: {as_of}", f"{text['rulesets']}: {', '.join(data['rulesets'])}",
              text["ok"]]
    note = intake.note(data["delimiters"], lang)
    lines += [note, ""] if note else [""]
    for title, key, code_list, column in (
        ("by_category", "people_by_category", codes.CATEGORY, "category"),
        ("by_tier", "positions_by_tier", codes.TIER, "tier"),
    ):
        rows = [[code_list.label(code, lang), str(n)] for code, n in data[key].items()]
        rows.append([text["total"], str(sum(data[key].values()))])
        lines += [f"{text[title]}:", table_text([text[column], text["number"]], rows), ""]
    rows = [[text[name], str(n)] for name, n in data["counts"].items()]
    lines += [f"{text['counts']}:", table_text([text["table"], text["number"]], rows)]
    if data["warnings"]:
        lines += ["", text["warnings"].format(n=len(data["warnings"]))]
        lines += [str(Problem(w["file"], w["line"], w["field"], w["message"], w["value"])) for w in data["warnings"]]
    lines.append("")
    lines += render_gaps(data["completeness"], data["rating_year"], lang)
    return "\n".join(lines) + "\n"


def render_gaps(units: Sequence[dict[str, Any]], year: int, lang: str) -> list[str]:
    """The completeness section: counts per unit and item, then the ids of each unit's people."""
    text = _LABELS[lang]
    if not units:
        return [text["no_gaps"]]
    present = {item for u in units for item in u["counts"]}
    items = [item for item, *_ in intake.ITEMS if item not in intake.OPTIONAL_ITEMS or item in present]
    heads = [intake.heading(item, lang, year) for item in items]
    rows = [[f"{u['name']} ({u['unit']})", *(str(u["counts"].get(item, "")) for item in items)] for u in units]
    rows.append([text["total"], *(str(sum(u["counts"].get(item, 0) for u in units)) for item in items)])
    lines = [text["gaps"], table_text([text["unit"], *heads], rows), ""]
    for u in units:
        for item, ids in u["people"].items():
            shown_ids = ", ".join(ids[:_SHOWN_IDS])
            more = " " + text["more"].format(n=len(ids) - _SHOWN_IDS) if len(ids) > _SHOWN_IDS else ""
            lines.append(f"- {u['unit']}, {intake.label(item, lang, year)}: {shown_ids}{more}")
    return lines


GAP_FIELDS = ["unit", "unit_name", "person", "full_name", "missing", "missing_label", "field", "year"]


def gaps_csv(dataset: Dataset, as_of: dt.date | None, lang: str) -> tuple[list[str], list[list[Any]]]:
    """The to-do list: one line per missing item of a person (under vi without the item's code, named in
    the next column)."""
    units = {u.id: u.name for u in dataset.units}
    rows = [[g.unit, units.get(g.unit, ""), g.person, dataset.person_by_id[g.person].full_name, g.item,
             intake.label(g.item, lang, g.year), g.field, g.year or ""]
            for g in intake.gaps(dataset, as_of)]
    return localised(GAP_FIELDS, rows, lang, overrides={"missing": Column("", "drop"),
                                                        "unit": Column("Mã đơn vị")})


def problems_csv(problems: Sequence[Problem], lang: str) -> tuple[list[str], list[list[Any]]]:
    return localised(["file", "line", "field", "message", "value"],
                     [[p.file, p.line or "", p.field or "", p.message, "" if p.value is None else str(p.value)]
                      for p in problems], lang, overrides={"value": Column("Giá trị")})


def render_problems(problems: Sequence[Problem], lang: str) -> str:
    head = _LABELS[lang]["problems"].format(n=len(problems))
    return "\n".join([head, *(str(p) for p in problems)]) + "\n"


def problems_json(problems: Sequence[Problem]) -> dict[str, Any]:
    return {"ok": False, "problems": [
        {"file": p.file, "line": p.line, "field": p.field, "code": p.code, "message": p.message,
         "value": None if p.value is None else str(p.value)}
        for p in problems
    ]}


@click.command("validate")
@data_options_for("table", "json", "csv")
@click.pass_context
def command(
    ctx: click.Context,
    data_dir: Path,
    as_of: dt.date | None,
    rulesets_dir: Path | None,
    lang: str,
    fmt: str,
    json_flag: bool,
    output: Path | None,
) -> None:
    """Kiểm tra bộ dữ liệu và các gói quy tắc / check the dataset and the rule packs; list every problem."""
    fmt = resolve_format(fmt, json_flag)
    if fmt not in ("table", "json", "csv"):
        raise click.UsageError(f"validate writes table, json or csv (the to-do list of missing data), not {fmt}")
    if not data_dir.is_dir():
        message = f"không tìm thấy thư mục dữ liệu / dataset folder not found: {data_dir}"
        click.echo(f"Lỗi / Error: {message}", err=True)
        ctx.exit(1)
    checked = validate_dataset(data_dir, rulesets_dir, as_of)
    dataset, problems = checked.dataset, checked.problems
    if dataset is None or problems:
        if fmt == "csv":
            emit_csv(output, *problems_csv(problems, lang))
        else:
            emit_text(to_json(problems_json(problems)) + "\n" if fmt == "json" else render_problems(problems, lang),
                      output)
        ctx.exit(1)
    if dataset.ignored:
        click.echo(("Ghi chú: không đọc các tệp không phải bảng: " if lang == "vi" else
                    "Note: files that are no table were not read: ") + ", ".join(map(escaped, dataset.ignored)),
                   err=True)
    if fmt == "csv":
        emit_csv(output, *gaps_csv(dataset, as_of, lang))
        return
    data = summary(dataset, as_of)
    emit_text(to_json(data) + "\n" if fmt == "json" else render_summary(data, lang), output)


__all__ = ["command"]
