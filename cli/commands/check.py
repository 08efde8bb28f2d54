"""`dtbd check PERSON [--for-position POS --on DATE] | --all`: what is missing for a person."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from cli.context import data_options, date_option
from cli.output import emit, resolve_format, table_text
from cli.render_findings import CSV_FIELDS, HEADERS, check_payload, csv_row, notes, rows
from cli.stamp import stamp
from engine import codes
from engine.dates import day_text
from engine.errors import FindingsFound
from engine.vocabulary import NEEDS_ACTION
from engine.workspace import EngineConfig, Workspace, open_dataset

if TYPE_CHECKING:
    from engine.results import Pathway


def way_text(ws: Workspace, way: Pathway, lang: str) -> str:
    """The way to eligibility in a sentence or two: "đủ điều kiện từ 06/11/2027 sau khi học K27-LDV-01 và …"."""
    vi = lang == "vi"
    parts = []
    if way.eligible_from is not None:
        when = day_text(way.eligible_from, lang)
        courses = (" và " if vi else " and ").join(c.id for c in way.courses)
        text = (f"Đủ điều kiện từ {when}" if vi else f"Eligible from {when}")
        if courses:
            text += f" sau khi học {courses}" if vi else f" after {courses}"
        parts.append(text)
    elif way.courses:
        courses = (" và " if vi else " and ").join(c.id for c in way.courses)
        parts.append(f"các khóa cần học {courses}" if vi else f"courses to take: {courses}")
    for blocker in way.blockers:
        label = ws.book.conditions.get(blocker.finding.requirement)
        name = (label.label_vi if vi else label.label_en) if label else blocker.finding.requirement
        if blocker.met_from is not None:
            parts.append(f"{name}: đáp ứng từ {day_text(blocker.met_from, lang)}" if vi
                         else f"{name}: met from {day_text(blocker.met_from, lang)}")
        else:
            parts.append(f"{name}: không khắc phục bằng đào tạo" if vi else f"{name}: not fixable by training")
    for programme in way.unreachable:
        name = ws.book.programme_label(programme, lang)
        parts.append(f"{name}: không có khóa học phù hợp đã lên lịch" if vi
                     else f"{name}: no suitable scheduled course")
    if way.eligible_from is None and not way.blockers and not way.unreachable:
        parts.append("Chưa tìm được lộ trình đủ điều kiện" if vi else "No way to eligibility found")
    return ("Lộ trình: " if vi else "Way to eligibility: ") + "; ".join(parts)


def _header(ws: Workspace, person_id: str, day: dt.date, position: str | None, eligible: bool | None,
            lang: str) -> str:
    person = ws.dataset.person_by_id[person_id]
    vi = lang == "vi"
    text = f"{person.full_name} ({person.id}) — {codes.CATEGORY.label(person.category, lang)}"
    text += f"\n{'Ngày đánh giá' if vi else 'As of'}: {day_text(day, lang)}"
    if position is not None:
        post = ws.dataset.position_by_id[position]
        verdict = {True: "ĐỦ điều kiện" if vi else "ELIGIBLE", False: "CHƯA ĐỦ điều kiện" if vi else "NOT ELIGIBLE",
                   None: "CHƯA ĐỦ DỮ LIỆU" if vi else "UNDECIDED (missing data)"}[eligible]
        text += f"\n{'Dự kiến bổ nhiệm' if vi else 'Proposed post'}: {post.title} — {verdict}"
    return text


@click.command("check")
@click.argument("person_id", required=False)
@click.option("--for-position", "position", metavar="POS", help="Proposed post (would this appointment be lawful?).")
@date_option("--on", "on", help="Date of the proposed appointment (default: the evaluation date).")
@click.option("--kind", type=click.Choice(["bo-nhiem", "bo-nhiem-lai", "bau-cu"]), default="bo-nhiem",
              show_default=True, help="Kind of the proposed appointment.")
@date_option("--submitted", "submitted", help="Date the dossier is received (age rule); default --on.")
@click.option("--all", "all_people", is_flag=True, help="Every person: JSON lines, or a summary table.")
@click.option("--backend", type=click.Choice(["durable", "python"]), default="durable", hidden=True)
@click.option("--jobs", type=click.IntRange(1, 64), default=None,
              help="Worker processes for --all (default: the number of cores).")
@click.option("--stream/--no-stream", "stream", default=None,
              help="--all: read people in chunks (default: for CSV datasets above 200,000 people).")
@click.option("--fail-on-findings", is_flag=True, help="Exit 3 when a requirement is not met.")
@click.option("--explain", is_flag=True,
              help="Giải thích từng kết luận / the decision trace of every finding (conditions, values, records).")
@data_options
def command(person_id: str | None, position: str | None, on: dt.date | None, kind: str, submitted: dt.date | None,
            all_people: bool, backend: str, jobs: int | None, stream: bool | None, fail_on_findings: bool,
            explain: bool, data_dir: Path,
            as_of: dt.date | None, rulesets_dir: Path | None, lang: str, fmt: str, json_flag: bool,
            output: Path | None) -> None:
    """Những gì còn thiếu của một người / what a person is missing, as of a date."""
    fmt = resolve_format(fmt, json_flag)
    if all_people == (person_id is not None):
        raise click.UsageError("give PERSON_ID or --all (not both)")
    if position is None and (on is not None or submitted is not None):
        raise click.UsageError("--on and --submitted go with --for-position")
    if stream is not None and not all_people:
        raise click.UsageError("--stream/--no-stream go with --all")
    if explain and all_people:
        raise click.UsageError("--explain explains one person's findings: give PERSON_ID, not --all")
    if all_people:
        from cli.commands.check_all import check_all

        open_count = check_all(data_dir, rulesets_dir, as_of, fmt, output, lang, jobs, backend, stream)
        if fail_on_findings and open_count:
            raise FindingsFound(open_count)
        return
    assert person_id is not None
    ws = open_dataset(data_dir, rulesets_dir, as_of, stream=False, config=EngineConfig(backend, lang, explain))
    stamp(ws, lang)  # the provenance of the output (cli.output.emit adds it)
    if position is None:
        eligible, findings, day = None, ws.check(person_id), ws.as_of
    else:
        verdict = ws.eligibility(person_id, position, on, kind, submitted)
        eligible, findings, day = verdict.eligible, verdict.findings, verdict.day
    # not eligible: from when, after which courses (the way to eligibility)
    way = ws.way_to_eligibility(person_id, position, day, kind) if position is not None and eligible is False \
        else None

    def payload() -> dict[str, Any]:
        out = check_payload(person_id, day, eligible, findings)
        if way is not None:
            out["way"] = way.to_json()
        return out

    def xlsx(out: Path | None) -> None:
        from cli.xlsx_out import write_findings_xlsx

        write_findings_xlsx(ws, findings, out, lang, title_person=person_id, explain=explain)

    def table() -> str:
        body = rows(ws.dataset, ws.book, findings, lang)
        text = table_text(HEADERS[lang], body) if body else ("Không có yêu cầu nào áp dụng." if lang == "vi"
                                                               else "No requirement applies.")
        head = _header(ws, person_id, day, position, eligible, lang)
        if way is not None:
            head += "\n" + way_text(ws, way, lang)
        return "\n".join([head, "", text, "", *notes(findings, lang)])

    emit(fmt, output, json_payload=payload,
         csv_rows=lambda: (CSV_FIELDS, [csv_row(person_id, f) for f in findings]), table=table, xlsx=xlsx)
    if fail_on_findings and any(f.status in NEEDS_ACTION for f in findings):
        raise FindingsFound(1)

__all__ = ["command"]
