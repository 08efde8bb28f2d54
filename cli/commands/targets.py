"""`dtbd targets [--year Y] [--people TARGET]`: the province's plan targets (targets.yaml of its rule packs),
each with the measured value, the gap, met or not, per unit; `--people` lists who is counted."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import click

from cli.context import data_options
from cli.csv_form import Column, localised
from cli.output import emit, resolve_format, table_text
from engine.results import TargetResult
from engine.workspace import EngineConfig, Workspace, citation_text, open_dataset

HEADERS = {"vi": ["STT", "Chỉ tiêu", "Mức (%)", "Hạn", "Đạt", "Trên tổng số", "Tỷ lệ (%)", "Còn thiếu (người)",
                  "Chưa có dữ liệu", "Kết quả", "Căn cứ"],
           "en": ["#", "Target", "Share (%)", "By", "Meeting", "Out of", "Rate (%)", "Gap (people)", "No data",
                  "Result", "Source"]}
UNIT_HEADERS = {"vi": ["Chỉ tiêu", "Đơn vị", "Đạt", "Trên tổng số", "Tỷ lệ (%)"],
                "en": ["Target", "Unit", "Meeting", "Out of", "Rate (%)"]}
CSV_FIELDS = ["target", "year", "share", "by", "meeting", "members", "value", "gap", "unknown", "met", "missing",
              "source"]


MISSING_VI = {"a programme code for this training (rule packs: programmes.yaml)":
              "mã chương trình bồi dưỡng này trong bộ quy tắc (programmes.yaml)",
              "people.foreign_language_level": "trình độ ngoại ngữ (people.foreign_language_level)"}


CREDENTIALS_OF = "credentials of "


def missing_vi(ws: Workspace, missing: str) -> str:
    """What a target lacks, in Vietnamese; the certificates of programmes named by the programmes' titles
    and their codes (what credentials.csv would hold)."""
    if missing.startswith(CREDENTIALS_OF):
        named = [f"{ws.book.programme_label(c.strip(), 'vi')} (mã {c.strip()})"
                 for c in missing[len(CREDENTIALS_OF):].split(",")]
        return "chứng chỉ, giấy chứng nhận hoàn thành " + "; ".join(named) + " (credentials)"
    return MISSING_VI.get(missing, missing)


def status_text(ws: Workspace, t: TargetResult, lang: str) -> str:
    vi = lang == "vi"
    if t.missing:
        said = [missing_vi(ws, m) for m in t.missing] if vi else t.missing
        return ("không đo được: thiếu " if vi else "not measurable: missing ") + "; ".join(said)
    if not t.members:
        return "không có ai thuộc đối tượng" if vi else "nobody in the group"
    if t.met:
        return "đạt" if vi else "met"
    return ("chưa đạt" if vi else "not met") + ("" if t.due else (" (chưa đến hạn)" if vi else " (not yet due)"))


def _short_status(ws: Workspace, t: TargetResult, lang: str) -> str:
    """The result in the table: the reason a target is not measurable is in its note."""
    if t.missing:
        return "không đo được (ghi chú)" if lang == "vi" else "not measurable (see notes)"
    return status_text(ws, t, lang)


def percent(value: float | None) -> Any:
    return None if value is None else round(value * 100, 1)


def rows(ws: Workspace, results: list[TargetResult], lang: str) -> list[list[Any]]:
    return [[i, t.target.title_vi if lang == "vi" else t.target.title, round(t.target.share * 100, 1),
             ("hằng năm" if lang == "vi" else "yearly") if t.target.yearly else t.target.by, len(t.meeting),
             len(t.members), percent(t.value), t.gap, len(t.unknown), status_text(ws, t, lang),
             citation_text(t.target.source, ws.book.sources, ws.config.lang)] for i, t in enumerate(results, 1)]


def unit_rows(ws: Workspace, results: list[TargetResult], lang: str) -> list[list[Any]]:
    units = ws.dataset.unit_by_id
    return [[t.target.id, units[u].name if u in units else u, n, total, percent(n / total if total else None)]
            for t in results if not t.missing for u, n, total in sorted(t.by_unit, key=lambda c: c[1] / c[2])]


def payload(ws: Workspace, results: list[TargetResult], year: int) -> dict[str, Any]:
    return {"year": year, "as_of": ws.as_of.isoformat(), "targets": [
        {"id": t.target.id, "title": t.target.title_vi, "share": t.target.share, "by": t.target.by,
         "yearly": t.target.yearly, "members": t.members, "meeting": t.meeting, "unknown": t.unknown,
         "value": t.value, "gap": t.gap, "met": t.met, "missing": t.missing,
         "source": citation_text(t.target.source, ws.book.sources, ws.config.lang),
         "by_unit": [{"unit": u, "meeting": n, "members": total} for u, n, total in t.by_unit]} for t in results]}


@click.command("targets")
@click.option("--year", type=click.IntRange(1950, 2100), default=None,
              help="Năm đo (mặc định: năm của ngày đánh giá) / the year measured (default: the year of the "
                   "evaluation date).")
@click.option("--people", "listed", metavar="TARGET", default=None,
              help="Liệt kê người được tính ở tử số và mẫu số của một chỉ tiêu / list who is counted.")
@data_options
def command(year: int | None, listed: str | None, data_dir: Path, as_of: dt.date | None, rulesets_dir: Path | None,
            lang: str, fmt: str, json_flag: bool, output: Path | None) -> None:
    """Chỉ tiêu của kế hoạch tỉnh: giá trị đo được, còn thiếu, đạt hay chưa / the province's targets."""
    fmt = resolve_format(fmt, json_flag)
    ws = open_dataset(data_dir, rulesets_dir, as_of, stream=False, config=EngineConfig("durable", lang))
    chosen = year or ws.as_of.year
    results = ws.targets(chosen)
    vi = lang == "vi"
    if listed is not None:
        found = [t for t in results if t.target.id == listed]
        if not found:
            raise click.BadParameter(f"{listed!r}: " + ", ".join(t.target.id for t in results), param_hint="--people")
        t = found[0]
        meeting, unknown = set(t.meeting), set(t.unknown)
        people = ws.dataset.person_by_id
        body = [[i, key, people[key.split("@")[0]].full_name,
                 ("đạt" if vi else "meets") if key in meeting else ("chưa có dữ liệu" if vi else "no data")
                 if key in unknown else ("chưa đạt" if vi else "does not meet")] for i, key in enumerate(t.members, 1)]
        heads = ["STT", "Mã", "Họ và tên", "Kết quả"] if vi else ["#", "Id", "Full name", "Result"]
        emit(fmt, output, json_payload=lambda: payload(ws, found, chosen)["targets"][0],
             csv_rows=lambda: (heads, body), table=lambda: table_text(heads, body),
             xlsx=lambda out: _xlsx(ws, out, f"{t.target.title_vi}: người được tính", heads, body, [], lang))
        return

    def table() -> str:
        title = f"CHỈ TIÊU KẾ HOẠCH — năm {chosen}" if vi else f"PLAN TARGETS — {chosen}"
        if not results:
            none = "(các bộ quy tắc không có targets.yaml)" if vi else "(no targets.yaml in the packs)"
            return f"{title}\n\n{none}"
        from cli.layout import decimal_row, fit_table, wrap_text

        units = [decimal_row(row, lang) for row in unit_rows(ws, results, lang)]
        # answer first (cli.layout): the table keeps the numbers and a short result; why a target cannot be
        # measured and its citation are numbered notes, prose that wraps on word boundaries
        body = [[*decimal_row(row[:9], lang), _short_status(ws, t, lang)]
                for row, t in zip(rows(ws, results, lang), results, strict=True)]
        notes = [f"{i}. {status_text(ws, t, lang)} — {t.target.id} — "
                 f"{citation_text(t.target.source, ws.book.sources, ws.config.lang)}" for i, t in enumerate(results, 1)]
        table = fit_table(HEADERS[lang][:10], body, wrap=(1, 5, 6, 7, 8, 9))
        by_unit = fit_table(UNIT_HEADERS[lang], units, wrap=(1,))
        return wrap_text("\n".join([title, "", table, "", "Ghi chú" if vi else "Notes", *notes, "",
                                    "Theo đơn vị" if vi else "By unit", by_unit]))

    def csv_line(t: TargetResult) -> list[Any]:
        return [t.target.id, chosen, t.target.share, t.target.by or "", len(t.meeting), len(t.members),
                "" if t.value is None else t.value, "" if t.gap is None else t.gap, len(t.unknown),
                "" if t.met is None else str(t.met).lower(),
                "; ".join(missing_vi(ws, m) for m in t.missing) if vi else "; ".join(t.missing),
                citation_text(t.target.source, ws.book.sources, lang)]

    by_unit = ("Theo đơn vị" if vi else "By unit", UNIT_HEADERS[lang], unit_rows(ws, results, lang))
    emit(fmt, output, json_payload=lambda: payload(ws, results, chosen),
         csv_rows=lambda: localised(CSV_FIELDS, [csv_line(t) for t in results], lang, ws,
                                    {"missing": Column("Dữ liệu còn thiếu")}), table=table,
         xlsx=lambda out: _xlsx(ws, out, f"Kết quả thực hiện chỉ tiêu kế hoạch năm {chosen}" if vi else
                                f"Plan targets {chosen}", HEADERS[lang], rows(ws, results, lang), [by_unit], lang))


def _xlsx(ws: Workspace, out: Path | None, title: str, headers: list[str], body: list[list[Any]],
          extra: list[tuple[str, list[str], list[list[Any]]]], lang: str) -> None:
    from cli.xlsx_charts import ChartSpec
    from cli.xlsx_out import form_for, write_sheet_xlsx

    vi = lang == "vi"
    chart = ChartSpec("Tỷ lệ đạt so với chỉ tiêu (%)" if vi else "Actual vs target (%)", 2, (3, 7), horizontal=True)
    write_sheet_xlsx(out, title, ws.as_of, headers, body, "Chỉ tiêu" if vi else "Targets", extra,
                     lang=lang, form=form_for(ws), charts={0: chart} if headers == HEADERS[lang] else None)


__all__ = ["command", "payload"]
