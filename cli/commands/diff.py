"""`dtbd diff [check|audit|plan]`: the same population under two rule sets, dates or data snapshots (engine.diff).

Side A is given by the common options (--data, --rulesets, --as-of); side B by --data-b, --rulesets-b,
--packs-b and --as-of-b, each defaulting to A's. The table puts the summary first; JSON lines start with the
provenance of both sides, then one change a line, then the summary.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import click

from cli.context import data_options, date_option
from cli.csv_form import localised
from cli.output import emit_csv, emit_text, resolve_format, table_text
from cli.stamp import footer, stamp
from engine import codes
from engine.dates import day_text as day
from engine.diff import (
    ABSENT,
    Change,
    Summary,
    diff_audit,
    diff_check,
    diff_plan,
    diff_shortlist,
    open_side_b,
    people_of,
)
from engine.results import Provenance
from engine.workspace import EngineConfig, Workspace, open_dataset

CSV_FIELDS = ["person", "full_name", "unit", "position", "basis", "start", "rule", "from", "to", "deadline_from",
              "deadline", "version_from", "version", "appointment_from", "appointment_to", "programme",
              "course_from", "course"]
WORDS = {
    "vi": {ABSENT: "không có", "planned": "trong kế hoạch", "nominee": "được đề cử", "reserve": "dự bị",
           "excluded": "bị loại", "ok": "đúng quy định", "violation": "vi phạm",
           "title": "So sánh", "a": "A", "b": "B", "transition": "Chuyển trạng thái", "rule": "Quy tắc",
           "unit": "Đơn vị", "count": "Số thay đổi", "none": "Không có thay đổi.", "changes": "Các thay đổi",
           "person": "Người", "post": "Chức vụ / chương trình", "from": "Trước (A)", "to": "Sau (B)",
           "deadline": "Hạn mới", "day": "Ngày bổ nhiệm", "compared": "đã so sánh", "people": "người thay đổi",
           "n": "thay đổi", "flips": "Lần bổ nhiệm đổi kết quả"},
    "en": {ABSENT: "absent", "planned": "in the plan", "nominee": "nominee", "reserve": "reserve",
           "excluded": "excluded", "ok": "ok", "violation": "violation",
           "title": "Comparison", "a": "A", "b": "B", "transition": "Transition", "rule": "Rule",
           "unit": "Unit", "count": "Changes", "none": "No change.", "changes": "Changes",
           "person": "Person", "post": "Post / programme", "from": "Before (A)", "to": "After (B)",
           "deadline": "New deadline", "day": "Appointed", "compared": "compared", "people": "people changed",
           "n": "changes", "flips": "Appointments whose result flips"},
}


def _status(value: str, lang: str) -> str:
    if value in WORDS[lang]:
        return WORDS[lang][value]
    return codes.STATUS.label(value, lang) if value in codes.STATUS.values else value


def _describe(found: Provenance, lang: str) -> str:
    return footer(found, lang).removeprefix("— ")


def _name(ws_a: Workspace, ws_b: Workspace, person: str) -> str:
    found = ws_b.dataset.person_by_id.get(person) or ws_a.dataset.person_by_id.get(person)
    return found.full_name if found else ""


def _target(change: Change) -> str:
    return change.position or change.programme or ""


def _rows(changes: list[Change], ws_a: Workspace, ws_b: Workspace, lang: str, dates: bool = False) -> list[list[Any]]:
    """The changes as table rows; `dates`: the days stay dates (the workbook's date cells)."""
    out = []
    for c in changes:
        before, after = _status(c.before, lang), _status(c.after, lang)
        if c.course_before or c.course_after:
            before += f" ({c.course_before})" if c.course_before else ""
            after += f" ({c.course_after})" if c.course_after else ""
        out.append([f"{_name(ws_a, ws_b, c.person)} ({c.person})", c.unit, _target(c),
                    c.start if dates else day(c.start, lang), c.rule, before, after,
                    c.deadline_after if dates else day(c.deadline_after, lang)])
    return out


def _summary_tables(summary: Summary, lang: str) -> list[tuple[str, list[str], list[list[Any]]]]:
    w = WORDS[lang]

    def named(key: str) -> str:
        before, _, after = key.partition(" → ")
        return f"{_status(before, lang)} → {_status(after, lang)}"

    flips = [(w["flips"], [w["transition"], w["count"]], [[named(k), n] for k, n in summary.by_flip.most_common()])]
    return [*(flips if summary.flips else []),
            (w["transition"], [w["transition"], w["count"]], [[named(k), n] for k, n in
                                                             summary.by_transition.most_common()]),
            (w["rule"], [w["rule"], w["count"]], [[k, n] for k, n in sorted(summary.by_rule.items())]),
            (w["unit"], [w["unit"], w["count"]], [[k, n] for k, n in sorted(summary.by_unit.items())])]


def _headers(lang: str) -> list[str]:
    w = WORDS[lang]
    return [w["person"], w["unit"], w["post"], w["day"], w["rule"], w["from"], w["to"], w["deadline"]]


def _table(what: str, changes: list[Change], summary: Summary, ws_a: Workspace, ws_b: Workspace,
           found: tuple[Provenance, Provenance], lang: str) -> str:
    w = WORDS[lang]
    lines = [f"{w['title']} ({what}) — {summary.compared} {w['compared']}, {len(changes)} {w['n']}, "
             f"{len(summary.people)} {w['people']}",
             f"A: {_describe(found[0], lang)}", f"B: {_describe(found[1], lang)}", ""]
    if not changes:
        return "\n".join([*lines, w["none"]])
    for title, head, body in _summary_tables(summary, lang):
        lines += [title, "", table_text(head, body), ""]
    lines += [w["changes"], "", table_text(_headers(lang), _rows(changes, ws_a, ws_b, lang))]
    return "\n".join(lines)


def _compute(what: str, ws_a: Workspace, ws_b: Workspace, date_from: dt.date | None, date_to: dt.date | None,
             year: int | None, jobs: int | None, course: str | None) -> tuple[list[Change], Summary]:
    summary = Summary()
    if what == "check":
        changes = [c for chunk in diff_check(ws_a, ws_b, jobs) for c in chunk]
        summary.compared = len(people_of(ws_a, ws_b))
    elif what == "audit":
        changes, summary.compared = diff_audit(ws_a, ws_b, date_from, date_to)
    elif what == "shortlist":
        if course is None:
            raise click.UsageError("diff shortlist needs --course COURSE_ID")
        changes, summary.compared = diff_shortlist(ws_a, ws_b, course)
    else:
        changes, summary.compared = diff_plan(ws_a, ws_b, year, jobs)
    for change in changes:
        summary.add(change)
    return changes, summary


def _csv_rows(changes: Iterable[Change], ws_a: Workspace, ws_b: Workspace) -> list[list[Any]]:
    out = []
    for c in changes:
        data = c.to_json()
        data["full_name"] = _name(ws_a, ws_b, c.person)
        out.append(["" if data.get(k) is None else data[k] for k in CSV_FIELDS])
    return out


@click.command("diff")
@click.argument("what", type=click.Choice(["check", "audit", "plan", "shortlist"]), default="check")
@click.option("--data-b", "data_b", type=click.Path(path_type=Path), default=None,
              help="Bộ dữ liệu của B (mặc định: của A) / B's dataset (default: A's).")
@click.option("--rulesets-b", "rulesets_b", type=click.Path(path_type=Path), default=None,
              help="Thư mục gói quy tắc của B (mặc định: của A) / B's rule packs folder (default: A's).")
@click.option("--packs-b", "packs_b", metavar="P1,P2", default=None,
              help="Các gói quy tắc của B, vd. national,local/thanh-hoa (mặc định: các gói bộ dữ liệu B nêu) / B's "
                   "rule packs, e.g. national,local/thanh-hoa (default: those B's dataset names).")
@date_option("--as-of-b", "as_of_b", help="Ngày đánh giá của B (mặc định: của A) / B's evaluation date "
                                            "(default: A's).")
@date_option("--from", "date_from", help="audit: từ ngày bổ nhiệm / audit: first appointment date.")
@date_option("--to", "date_to", help="audit: đến ngày bổ nhiệm (mặc định: ngày đánh giá của B) / audit: "
                                     "last appointment date (default: B's evaluation date).")
@click.option("--year", type=click.IntRange(1950, 2100), default=None,
              help="plan: năm kế hoạch / plan: the plan's year.")
@click.option("--course", "course", metavar="COURSE_ID", default=None,
              help="shortlist: khóa học / shortlist: the course.")
@click.option("--backend", type=click.Choice(["durable", "python"]), default="durable", hidden=True)
@click.option("--jobs", type=click.IntRange(1, 64), default=None,
              help="Số tiến trình song song (mặc định: số lõi CPU) / worker processes (default: the number of "
                   "cores).")
@data_options
def command(what: str, data_b: Path | None, rulesets_b: Path | None, packs_b: str | None, as_of_b: dt.date | None,
            date_from: dt.date | None, date_to: dt.date | None, year: int | None, course: str | None, backend: str,
            jobs: int | None,
            data_dir: Path, as_of: dt.date | None, rulesets_dir: Path | None, lang: str, fmt: str, json_flag: bool,
            output: Path | None) -> None:
    """So sánh hai lần đánh giá / what changes under another rule set, date or data snapshot (A → B)."""
    fmt = resolve_format(fmt, json_flag)
    if data_b is None and rulesets_b is None and packs_b is None and as_of_b is None:
        raise click.UsageError("give at least one of --data-b, --rulesets-b, --packs-b, --as-of-b (side B)")
    if fmt == "xlsx" and output is None:
        raise click.UsageError("--format xlsx needs --output FILE")
    config = EngineConfig(backend, lang)
    ws_a = open_dataset(data_dir, rulesets_dir, as_of, stream=False, config=config)
    packs = [p.strip() for p in packs_b.split(",") if p.strip()] if packs_b else None
    ws_b = open_side_b(ws_a, data_b, rulesets_b or rulesets_dir, packs, as_of_b or as_of)
    found = (stamp(ws_a, lang), stamp(ws_b, lang))
    changes, summary = _compute(what, ws_a, ws_b, date_from, date_to, year, jobs, course)
    if fmt == "json":
        head = {"provenance": {"a": found[0].to_json(), "b": found[1].to_json()}, "diff": what}
        lines = [head, *(c.to_json() for c in changes), {"summary": summary.to_json()}]
        emit_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines), output)
    elif fmt == "csv":
        emit_csv(output, *localised(CSV_FIELDS, _csv_rows(changes, ws_a, ws_b), lang, ws_b))
    elif fmt == "xlsx":
        from cli.xlsx_out import write_sheet_xlsx

        vi = lang == "vi"
        title = f"{WORDS[lang]['title']} ({what}): A → B"
        notes = [f"A: {_describe(found[0], lang)}", f"B: {_describe(found[1], lang)}"]
        write_sheet_xlsx(output, title, ws_b.as_of, _headers(lang), _rows(changes, ws_a, ws_b, lang, dates=True),
                         sheet="Thay đổi" if vi else "Changes", extra_sheets=_summary_tables(summary, lang),
                         lang=lang, notes=notes)
    else:
        emit_text(_table(what, changes, summary, ws_a, ws_b, found, lang), output)


__all__ = ["command"]
