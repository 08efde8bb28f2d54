"""`dtbd check PERSON [--for-position POS --on DATE] | --all`: what is missing for a person."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from cli.completion import complete
from cli.context import data_options, date_option
from cli.csv_form import localised
from cli.output import emit, resolve_format
from cli.render_findings import CSV_FIELDS, check_payload, csv_row
from cli.stamp import stamp
from engine import codes
from engine.dates import day_text
from engine.errors import FindingsFound
from engine.vocabulary import NEEDS_ACTION
from engine.workspace import EngineConfig, Workspace, open_dataset

if TYPE_CHECKING:
    from engine.results import Finding, Pathway


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


def way_for(ws: Workspace, person_id: str, position: str | None, eligible: bool | None, day: dt.date,
            kind: str) -> Pathway | None:
    """The way to eligibility of a proposal that is not eligible (None otherwise, or without a post)."""
    return ws.way_to_eligibility(person_id, position, day, kind) if position is not None and eligible is False \
        else None


def eligibility_payload(person_id: str, day: dt.date, eligible: bool | None, findings: list[Finding],
                        way: Pathway | None) -> dict[str, Any]:
    """`check PERSON --for-position POS --json`: the check object, with the way to eligibility when not eligible."""
    out = check_payload(person_id, day, eligible, findings)
    if way is not None:
        out["way"] = way.to_json()
    return out


def verdict_text(eligible: bool | None, lang: str) -> str:
    vi = lang == "vi"
    return {True: "ĐỦ điều kiện" if vi else "ELIGIBLE", False: "CHƯA ĐỦ điều kiện" if vi else "NOT ELIGIBLE",
            None: "CHƯA ĐỦ DỮ LIỆU" if vi else "UNDECIDED (missing data)"}[eligible]


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
    verdict = verdict_text(eligible, lang)
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
@click.option("--explain", is_flag=True,
              help="Giải thích từng kết luận / the decision trace of every finding (conditions, values, records).")
@data_options
def command(person_id: str | None, position: str | None, on: dt.date | None, kind: str, submitted: dt.date | None,
            all_people: bool, only_gaps: bool, brief: bool, backend: str, jobs: int | None, stream: bool | None,
            fail_on_findings: bool, explain: bool, data_dir: Path,
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
    person_id = ws.resolve_person(person_id)
    if position is not None:
        position = ws.resolve_position(position)
    stamp(ws, lang)  # the provenance of the output (cli.output.emit adds it)
    if position is None:
        eligible, findings, day = None, ws.check(person_id), ws.as_of
    else:
        verdict = ws.eligibility(person_id, position, on, kind, submitted)
        eligible, findings, day = verdict.eligible, verdict.findings, verdict.day
    way = way_for(ws, person_id, position, eligible, day, kind)  # not eligible: from when, after which courses

    def payload() -> dict[str, Any]:
        return eligibility_payload(person_id, day, eligible, findings, way)

    def xlsx(out: Path | None) -> None:
        from cli.xlsx_out import write_findings_xlsx

        proposal = None if position is None else (position, eligible, day)
        write_findings_xlsx(ws, findings, out, lang, title_person=person_id, proposal=proposal, explain=explain)

    def table() -> str:
        from cli.findings_table import findings_text

        return findings_text(ws.dataset, ws.book, _header(ws, person_id, day, lang), findings, lang, only_gaps,
                             _verdict(ws, position, eligible, day, lang), brief=brief,
                             way=None if way is None else way_text(ws, way, lang))

    eligible_cell = "" if eligible is None else str(eligible).lower()
    emit(fmt, output, json_payload=payload,
         csv_rows=lambda: localised([*CSV_FIELDS, "eligible"],
                                    [[*csv_row(person_id, f), eligible_cell] for f in findings], lang, ws),
         table=table, xlsx=xlsx)
    if fail_on_findings and any(f.status in NEEDS_ACTION for f in findings):
        raise FindingsFound(1)

__all__ = ["command", "eligibility_payload", "verdict_text", "way_for", "way_text"]
