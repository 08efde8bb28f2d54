"""`dtbd check PERSON [--for-position POS --on DATE] | --all`: what is missing for a person."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from cli.context import data_options, date_option
from cli.output import csv_text, emit_text, resolve_format, table_text, to_json
from cli.render_findings import CSV_FIELDS, check_payload, csv_row, notes, rows
from cli.stamp import stamp, with_footer, with_provenance
from cli.workspace import Workspace, open_workspace
from engine import codes
from engine.evaluation.evaluator import Evaluator
from engine.evaluation.findings import Finding
from engine.evaluation.remedies import attach_courses


def _one(ws: Workspace, ev: Evaluator, person_id: str, position: str | None, on: dt.date | None,
         kind: str, submitted: dt.date | None) -> tuple[bool | None, list[Finding], dt.date]:
    if position is None:
        findings = ev.check_person(person_id, ws.as_of)
        return None, attach_courses(findings, ws.dataset, ws.as_of), ws.as_of
    day = on or ws.as_of
    eligible, findings = ev.check_proposal(person_id, position, day, kind, submitted)
    return eligible, attach_courses(findings, ws.dataset, ws.as_of), day


def _header(ws: Workspace, person_id: str, day: dt.date, position: str | None, eligible: bool | None,
            lang: str) -> str:
    person = ws.dataset.person_by_id[person_id]
    vi = lang == "vi"
    text = f"{person.full_name} ({person.id}) — {codes.CATEGORY.label(person.category, lang)}"
    text += f"\n{'Ngày đánh giá' if vi else 'As of'}: {day.strftime('%d/%m/%Y') if vi else day.isoformat()}"
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
@click.option("--jobs", type=int, default=None, help="Worker processes for --all (default: the number of cores).")
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
        from engine.batch import default_jobs

        open_count = check_all(data_dir, rulesets_dir, as_of, fmt, output, lang, jobs or default_jobs(), backend,
                               stream)
        if fail_on_findings and open_count:
            raise SystemExit(3)
        return
    ws = open_workspace(data_dir, rulesets_dir, as_of)
    assert person_id is not None
    ev = Evaluator(ws.book, ws.dataset, backend=backend, lang=lang, explain=explain)
    eligible, findings, day = _one(ws, ev, person_id, position, on, kind, submitted)
    found = stamp(ws.book, data_dir, ws.as_of)
    if fmt == "json":
        emit_text(to_json(with_provenance(check_payload(person_id, day, eligible, findings), found)), output)
    elif fmt == "csv":
        emit_text(csv_text(CSV_FIELDS, [csv_row(person_id, f) for f in findings]), output)
    elif fmt == "xlsx":
        from cli.xlsx_out import write_findings_xlsx

        write_findings_xlsx(ws, findings, output, lang, title_person=person_id, explain=explain)
    else:
        table = rows(ws.dataset, ws.book, findings, lang)
        from cli.render_findings import HEADERS

        body = table_text(HEADERS[lang], table) if table else ("Không có yêu cầu nào áp dụng." if lang == "vi"
                                                                 else "No requirement applies.")
        emit_text(with_footer("\n".join([_header(ws, person_id, day, position, eligible, lang), "", body, "",
                                         *notes(findings, lang)]), found, lang), output)
    unmet = {"due", "overdue", "pending", "missing", "violation"}
    if fail_on_findings and any(f.status in unmet for f in findings):
        raise SystemExit(3)


__all__ = ["command"]
