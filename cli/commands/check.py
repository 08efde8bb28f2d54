"""`dtbd check PERSON [--for-position POS --on DATE] | --all`: what is missing for a person."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from cli.completion import complete
from cli.context import data_options, date_option
from cli.output import emit, resolve_format
from cli.render_findings import CSV_FIELDS, check_payload, csv_row
from engine import codes
from engine.dates import day_text
from engine.errors import FindingsFound
from engine.vocabulary import NEEDS_ACTION
from engine.workspace import EngineConfig, Workspace, open_dataset


def _header(ws: Workspace, person_id: str, day: dt.date, lang: str) -> str:
    person = ws.dataset.person_by_id[person_id]
    vi = lang == "vi"
    text = f"{person.full_name} ({person.id}) — {codes.CATEGORY.label(person.category, lang)}"
    return text + f"\n{'Ngày đánh giá' if vi else 'As of'}: {day_text(day, lang)}"


def _verdict(ws: Workspace, position: str | None, eligible: bool | None, on: dt.date, lang: str) -> str | None:
    """'Dự kiến bổ nhiệm Giám đốc Sở Nội vụ ngày 01/12/2026: CHƯA ĐỦ điều kiện' (with --for-position)."""
    if position is None:
        return None
    vi = lang == "vi"
    post = ws.dataset.position_by_id[position]
    verdict = {True: "ĐỦ điều kiện" if vi else "ELIGIBLE", False: "CHƯA ĐỦ điều kiện" if vi else "NOT ELIGIBLE",
               None: "CHƯA ĐỦ DỮ LIỆU" if vi else "UNDECIDED (missing data)"}[eligible]
    return (f"Dự kiến bổ nhiệm {post.title} ngày {day_text(on, lang)}: {verdict}" if vi
            else f"Proposed post {post.title} on {day_text(on, lang)}: {verdict}")


@click.command("check")
@click.argument("person_id", required=False, metavar="NGƯỜI", shell_complete=complete("person"))
@click.option("--for-position", "position", metavar="POS", shell_complete=complete("position"),
              help="Chức vụ dự kiến bổ nhiệm, mã hoặc tên: việc bổ nhiệm có đủ điều kiện không / proposed post, id or "
                   "title: would this appointment be lawful?")
@date_option("--on", "on", help="Ngày dự kiến bổ nhiệm (mặc định: ngày đánh giá) / date of the proposed appointment "
                                "(default: the evaluation date).")
@click.option("--kind", type=click.Choice(["bo-nhiem", "bo-nhiem-lai", "bau-cu"]), default="bo-nhiem",
              show_default=True, help="Hình thức: bo-nhiem bổ nhiệm, bo-nhiem-lai bổ nhiệm lại, bau-cu bầu cử / kind "
                                      "of the proposed appointment.")
@date_option("--submitted", "submitted", help="Ngày nhận hồ sơ (quy tắc tuổi; mặc định --on) / date the dossier is "
                                              "received (age rule); default --on.")
@click.option("--all", "all_people", is_flag=True, help="Mọi người: JSON lines, CSV hoặc bảng tổng hợp / every "
                                                       "person: JSON lines, CSV, or a summary table.")
@click.option("--only-gaps", is_flag=True, help="Ẩn các dòng đạt, miễn / hide met and exempt rows.")
@click.option("--brief", is_flag=True, help="Bản ngắn: tóm tắt và bảng, không có ghi chú / short: the summary and the "
                                           "table, without the notes.")
@click.option("--backend", type=click.Choice(["durable", "python"]), default="durable", hidden=True)
@click.option("--jobs", type=click.IntRange(1, 64), default=None,
              help="Số tiến trình song song cho --all (mặc định: số lõi CPU) / worker processes for --all (default: "
                   "the number of cores).")
@click.option("--stream/--no-stream", "stream", default=None,
              help="--all: đọc người theo từng phần (mặc định: bộ dữ liệu CSV trên 200.000 người) / read people in "
                   "chunks (default: for CSV datasets above 200,000 people).")
@click.option("--fail-on-findings", is_flag=True, help="Thoát với mã 3 khi có yêu cầu chưa đáp ứng / exit 3 when a "
                                                      "requirement is not met.")
@data_options
def command(person_id: str | None, position: str | None, on: dt.date | None, kind: str, submitted: dt.date | None,
            all_people: bool, only_gaps: bool, brief: bool, backend: str, jobs: int | None, stream: bool | None,
            fail_on_findings: bool, data_dir: Path,
            as_of: dt.date | None, rulesets_dir: Path | None, lang: str, fmt: str, json_flag: bool,
            output: Path | None) -> None:
    """Những gì còn thiếu của một người / what a person is missing, as of a date.

    NGƯỜI là mã hoặc họ tên (không cần dấu), nếu họ tên là duy nhất / NGƯỜI is an id, or a name where unique:

    \b
      dtbd check CB0301
      dtbd check "tran quoc hung" --only-gaps
      dtbd check CB0301 --for-position "giám đốc sở y tế" --on 2026-12-01
    """
    fmt = resolve_format(fmt, json_flag)
    if all_people == (person_id is not None):
        raise click.UsageError("cho NGƯỜI (mã hoặc họ tên) hoặc --all, không cả hai / give PERSON_ID or --all "
                               "(not both)")
    if position is None and (on is not None or submitted is not None):
        raise click.UsageError("--on and --submitted go with --for-position")
    if stream is not None and not all_people:
        raise click.UsageError("--stream/--no-stream go with --all")
    if all_people:
        from cli.commands.check_all import check_all

        open_count = check_all(data_dir, rulesets_dir, as_of, fmt, output, lang, jobs, backend, stream)
        if fail_on_findings and open_count:
            raise FindingsFound(open_count)
        return
    assert person_id is not None
    ws = open_dataset(data_dir, rulesets_dir, as_of, stream=False, config=EngineConfig(backend, lang))
    person_id = ws.resolve_person(person_id)
    if position is not None:
        position = ws.resolve_position(position)
    if position is None:
        eligible, findings, day = None, ws.check(person_id), ws.as_of
    else:
        verdict = ws.eligibility(person_id, position, on, kind, submitted)
        eligible, findings, day = verdict.eligible, verdict.findings, verdict.day

    def xlsx(out: Path | None) -> None:
        from cli.xlsx_out import write_findings_xlsx

        write_findings_xlsx(ws, findings, out, lang, title_person=person_id)

    def table() -> str:
        from cli.findings_table import findings_text

        return findings_text(ws.dataset, ws.book, _header(ws, person_id, day, lang), findings, lang, only_gaps,
                             _verdict(ws, position, eligible, day, lang), brief=brief)

    emit(fmt, output, json_payload=lambda: check_payload(person_id, day, eligible, findings),
         csv_rows=lambda: (CSV_FIELDS, [csv_row(person_id, f) for f in findings]), table=table, xlsx=xlsx)
    if fail_on_findings and any(f.status in NEEDS_ACTION for f in findings):
        raise FindingsFound(1)

__all__ = ["command"]
