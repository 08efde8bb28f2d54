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

from cli.context import data_options_for
from cli.output import emit_text, resolve_format, table_text, to_json
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
    },
}
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
              text["ok"], ""]
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
    return "\n".join(lines) + "\n"


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
@data_options_for("table", "json")
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
    if fmt not in ("table", "json"):
        raise click.UsageError(f"validate writes table or json, not {fmt}")
    if not data_dir.is_dir():
        message = f"không tìm thấy thư mục dữ liệu / dataset folder not found: {data_dir}"
        click.echo(f"Lỗi / Error: {message}", err=True)
        ctx.exit(1)
    checked = validate_dataset(data_dir, rulesets_dir, as_of)
    dataset, problems = checked.dataset, checked.problems
    if dataset is None or problems:
        text = to_json(problems_json(problems)) + "\n" if fmt == "json" else render_problems(problems, lang)
        emit_text(text, output)
        ctx.exit(1)
    if dataset.ignored:
        click.echo(("Ghi chú: không đọc các tệp không phải bảng: " if lang == "vi" else
                    "Note: files that are no table were not read: ") + ", ".join(map(escaped, dataset.ignored)),
                   err=True)
    data = summary(dataset, as_of)
    emit_text(to_json(data) + "\n" if fmt == "json" else render_summary(data, lang), output)


__all__ = ["command"]
