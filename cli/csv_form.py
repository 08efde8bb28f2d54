"""CSV in the two forms of `--lang`: one header and label table for the CSV of every command.

`--lang en` keeps the machine form that integrations read: the snake_case keys as headers, code slugs,
ISO dates, true/false. `--lang vi` (the default) is the form a person opens in Excel: the same columns
under Vietnamese headers (the words the xlsx writers use: "Họ và tên", "Hạn", "Căn cứ pháp lý"), each cell
its label — a code of the glossary's lists (engine.codes) its Vietnamese label, a programme or a
condition its title, a post its title, a date dd/mm/yyyy (as text: Excel in a vi-VN locale reads it as a
date), true/false "Có"/"Không", a decimal number with a decimal comma.

A command names its columns by key (COLUMNS); where one key means something else in one command (the
`status` of readiness, the `missing` of targets) the command passes an override. A `CsvForm` is plain data,
so the workers of a streamed dataset (check --all, audit) render their rows with it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from engine import codes

if TYPE_CHECKING:
    from engine.workspace import Workspace

# Words of values that are neither glossary codes nor data: lists of a shortlist, verdicts, readiness.
WORDS: dict[str, dict[str, str]] = {
    "list": {"nominee": "Đề cử", "reserve": "Dự bị", "conditional": "Đề cử có điều kiện", "excluded": "Không đề cử",
             "needs_data": "Cần bổ sung dữ liệu"},
    "result": {"ok": "đúng quy định", "violation": "vi phạm", "unknown": "chưa đủ dữ liệu"},
    "readiness": {"ready": "đã đủ tiêu chuẩn", "ready_from": "đủ tiêu chuẩn khi hoàn thành các khóa học",
                  "unscheduled": "chưa có khóa học phù hợp"},
    # a side of `diff` (engine.diff): a finding's status, an audit's result, a plan's or a shortlist's place
    "side": {"absent": "không có", "planned": "trong kế hoạch", "nominee": "được đề cử", "reserve": "dự bị",
             "excluded": "bị loại", "ok": "đúng quy định", "violation": "vi phạm",
             **{c.value: c.vi for c in codes.STATUS.codes}},
}
YES_NO = {"true": "Có", "false": "Không"}


@dataclass(frozen=True)
class Column:
    """A CSV column: its Vietnamese header and what its cells hold (how `vi` labels them).

    kind: "text" (as is), "date", "bool", "number", "percent" (a share 0–1 shown as %), "code:<list>" (a list
    of engine.codes.ALL), "words:<table>" (WORDS), "programme", "requirement" (programme or condition),
    "drop" (a code a person has no use for, or whose label is in another column: not in the vi form).
    Posts and units stay ids ("Mã chức vụ"): a streamed dataset (check --all, audit) writes its rows in
    workers that hold neither, and its CSV is byte for byte the whole load's; the names are in the xlsx.
    """

    vi: str
    kind: str = "text"


COLUMNS: dict[str, Column] = {
    # people and where they work
    "person": Column("Mã cán bộ"), "full_name": Column("Họ và tên"), "birth_date": Column("Ngày sinh", "date"),
    "gender": Column("Giới tính", "code:gender"), "post": Column("Chức vụ"), "unit": Column("Mã đơn vị"),
    "unit_name": Column("Tên đơn vị"), "position": Column("Mã chức vụ"),
    "planned_for": Column("Mã chức danh quy hoạch"), "approved": Column("Ngày phê duyệt quy hoạch", "date"),
    "term": Column("Nhiệm kỳ"),
    # findings (check, audit)
    "rule": Column("Mã quy tắc"), "rules": Column("Các quy tắc"), "version": Column("Phiên bản quy tắc"),
    # a rule's case key (often a tier slug) is no word for a person: the requirement names the case
    "variant": Column("", "drop"), "status": Column("Trạng thái", "code:status"),
    "requirement": Column("Yêu cầu", "requirement"), "basis": Column("Căn cứ xác định", "code:basis"),
    "deadline": Column("Hạn", "date"), "strength": Column("Loại quy định", "code:strength"),
    "verified": Column("Đã xác minh", "bool"), "remedy": Column("Chương trình khắc phục", "programme"),
    "source": Column("Căn cứ pháp lý"), "explanation": Column("Giải thích"),
    "eligible": Column("Đủ điều kiện", "bool"),
    # audit
    "start": Column("Ngày bổ nhiệm", "date"), "kind": Column("Hình thức", "code:kind"),
    "appointment_status": Column("Kết quả", "words:result"), "met_later": Column("Đáp ứng sau, ngày", "date"),
    # shortlist, plan, readiness, candidates
    "list": Column("Danh sách", "words:list"), "rank": Column("Thứ tự"),
    "programme": Column("Chương trình", "programme"), "course": Column("Khóa học"),
    "course_start": Column("Khai giảng", "date"), "course_end": Column("Kết thúc", "date"),
    "mode": Column("Hình thức học", "code:mode"), "late": Column("Kết thúc sau hạn", "bool"),
    "reasons": Column("Lý do"), "ready_from": Column("Đủ tiêu chuẩn từ ngày", "date"),
    "eligible_from": Column("Đủ điều kiện từ ngày", "date"), "missing": Column("Còn thiếu (quy tắc)"),
    "courses": Column("Các khóa học cần dự"),
    # targets
    "target": Column("Mã chỉ tiêu"), "year": Column("Năm"), "share": Column("Mức chỉ tiêu (%)", "percent"),
    "by": Column("Hạn (năm)"), "meeting": Column("Số đạt"), "members": Column("Trên tổng số"),
    "value": Column("Tỷ lệ (%)", "percent"), "gap": Column("Còn thiếu (người)"),
    "unknown": Column("Chưa có dữ liệu (người)"), "met": Column("Đạt", "bool"),
    # validate: the to-do list and the problems
    "missing_label": Column("Dữ liệu còn thiếu"), "field": Column("Trường dữ liệu"), "file": Column("Tệp"),
    "line": Column("Dòng"), "message": Column("Nội dung lỗi"),
    # diff
    "from": Column("Trước (A)", "words:side"), "to": Column("Sau (B)", "words:side"),
    "deadline_from": Column("Hạn trước (A)", "date"), "version_from": Column("Phiên bản trước (A)"),
    "appointment_from": Column("Kết quả trước (A)", "words:result"),
    "appointment_to": Column("Kết quả sau (B)", "words:result"), "course_from": Column("Khóa học trước (A)"),
}

# The lists of people (shortlist, plan) name the unit in the column `unit` (the trích ngang's "Đơn vị").
NAMED_UNIT = {"unit": Column("Đơn vị")}


def vi_date(value: Any) -> Any:
    """An ISO date (text or date) as dd/mm/yyyy; anything else as it is."""
    if isinstance(value, dt.date):
        return f"{value:%d/%m/%Y}"
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return f"{dt.date.fromisoformat(value):%d/%m/%Y}"
        except ValueError:
            return value
    return value


def vi_number(value: float) -> str:
    """A decimal number with the Vietnamese decimal comma (no trailing zeros)."""
    return f"{value:.4f}".rstrip("0").rstrip(".").replace(".", ",")


@dataclass(frozen=True)
class CsvForm:
    """The form of one CSV: its keys, its language, and the titles of the ids and codes of its dataset."""

    keys: tuple[str, ...]
    lang: str = "en"
    overrides: Mapping[str, Column] = field(default_factory=dict)
    # "programme", "requirement" -> code -> title (from the workspace's rule book)
    titles: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    def column(self, key: str) -> Column:
        """The column of `key` (an override of this CSV, else the shared table)."""
        return self.overrides.get(key) or COLUMNS[key]

    def _kept(self) -> list[int]:
        if self.lang != "vi":
            return list(range(len(self.keys)))
        return [i for i, key in enumerate(self.keys) if self.column(key).kind != "drop"]

    def headers(self) -> list[str]:
        """The header row: the keys (en), or their Vietnamese headers."""
        if self.lang != "vi":
            return list(self.keys)
        return [self.column(self.keys[i]).vi for i in self._kept()]

    def row(self, values: Sequence[Any]) -> list[Any]:
        """A row in this form (values in the machine form, in the order of `keys`)."""
        if self.lang != "vi":
            return list(values)
        return [self.cell(self.column(self.keys[i]).kind, values[i]) for i in self._kept()]

    def rows(self, rows: Sequence[Sequence[Any]]) -> list[list[Any]]:
        """Every row in this form."""
        return [self.row(r) for r in rows]

    def cell(self, kind: str, value: Any) -> Any:
        """One cell under `vi`: its label, its date as dd/mm/yyyy, its number with a decimal comma."""
        if value is None or value == "":
            return ""
        if kind == "date":
            return vi_date(value)
        if kind == "bool":
            return YES_NO.get(str(value).lower(), value)
        if kind == "percent" and isinstance(value, int | float) and not isinstance(value, bool):
            return vi_number(value * 100)
        if isinstance(value, float):
            return vi_number(value)
        if kind.startswith("code:"):
            return codes.ALL[kind[5:]].label(str(value), "vi")
        if kind.startswith("words:"):
            return WORDS[kind[6:]].get(str(value), value)
        if kind in ("programme", "requirement"):
            titles = self.titles.get(kind, {})
            return titles.get(str(value)) or codes.PROGRAMME.label(str(value), "vi")
        return value


def titles_of(ws: Workspace) -> dict[str, dict[str, str]]:
    """The titles a Vietnamese CSV puts for the codes of `ws`'s rule book: programmes and conditions."""
    book = ws.book
    programmes = {code: book.programme_label(code, "vi") for code in book.programmes}
    conditions = {code: c.label_vi for code, c in book.conditions.items()}
    return {"programme": programmes, "requirement": {**conditions, **programmes}}


def csv_form(keys: Sequence[str], lang: str, ws: Workspace | None = None,
             overrides: Mapping[str, Column] | None = None) -> CsvForm:
    """The form of a CSV with columns `keys` in `lang` (`ws`: the titles of its ids and codes, for vi)."""
    titles = titles_of(ws) if ws is not None and lang == "vi" else {}
    return CsvForm(tuple(keys), lang, dict(overrides or {}), titles)


def localised(keys: Sequence[str], rows: Sequence[Sequence[Any]], lang: str, ws: Workspace | None = None,
              overrides: Mapping[str, Column] | None = None) -> tuple[list[str], list[list[Any]]]:
    """The header and rows of a CSV in `lang` (csv_form), for cli.output.emit."""
    form = csv_form(keys, lang, ws, overrides)
    return form.headers(), form.rows(rows)


def sections_csv(form: CsvForm, rows: Sequence[Sequence[Any]],
                 sections: Sequence[tuple[str, Sequence[str], Sequence[Sequence[Any]]]]) -> tuple[list[str],
                                                                                                 list[list[Any]]]:
    """A Vietnamese CSV of several tables (the sections of a plan, the two appendices): the first table
    (`form`, `rows`), then each section under a blank line and its title; its cells labelled already
    (the rows of the xlsx sheets), dates turned to dd/mm/yyyy. Under en: the first table only."""
    headers, body = form.headers(), form.rows(rows)
    if form.lang != "vi":
        return headers, body
    for title, section_headers, section_rows in sections:
        body.extend([[], [title], [h.replace("|", " — ") for h in section_headers]])
        body.extend([[vi_number(v) if isinstance(v, float) else vi_date(v) for v in r] for r in section_rows])
    return headers, body


__all__ = ["COLUMNS", "NAMED_UNIT", "WORDS", "Column", "CsvForm", "csv_form", "localised", "sections_csv",
           "titles_of", "vi_date", "vi_number"]
