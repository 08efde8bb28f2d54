"""The object passed to every subcommand, and the common options of commands that read data."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])
# Where cli.main keeps the command line, for the provenance of the output (cli.stamp).
ARGV_KEY = "dtbd.argv"


@dataclass
class AppContext:
    debug: bool = False
    quiet: bool = False
    width: int | None = None  # table width (cli.layout.output_width); None: COLUMNS, terminal, or 120


def _date(_ctx: click.Context, _param: click.Parameter, value: str | None) -> dt.date | None:
    if value is None:
        return None
    from engine.workspace import YEARS, parse_date

    try:
        parsed = parse_date(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None
    if not isinstance(parsed, dt.date):
        raise click.BadParameter("date must be YYYY-MM-DD or DD/MM/YYYY")
    if parsed.year not in YEARS:
        raise click.BadParameter(f"năm phải trong khoảng {YEARS.start}–{YEARS.stop - 1} / the year must be within"
                                 f" {YEARS.start}–{YEARS.stop - 1}")
    return parsed


MKDIR_KEY = "dtbd.mkdir"


def _mkdir(ctx: click.Context, _param: click.Parameter, value: bool) -> bool:
    ctx.meta[MKDIR_KEY] = value
    return value


def _output(ctx: click.Context, _param: click.Parameter, value: Path | None) -> Path | None:
    """--output checked before any work is done (engine.atomic.resolve_target): a folder, a read-only file, a
    missing folder (unless --mkdir, which creates it) are refused at once, not after a long run."""
    if value is None:
        return None
    from engine.atomic import resolve_target

    resolve_target(value, mkdir=bool(ctx.meta.get(MKDIR_KEY)))
    return value


def output_option(*names: str, help: str) -> Callable[[F], F]:
    """An option naming a file to write (atomically), with --mkdir beside it: the one place they are declared."""

    def decorate(func: F) -> F:
        func = click.option(*names, type=click.Path(path_type=Path), default=None, callback=_output,
                            help=help)(func)
        return click.option("--mkdir", is_flag=True, is_eager=True, expose_value=False, callback=_mkdir,
                            help="Tạo thư mục của tệp ghi ra nếu chưa có / create the output's folder if it does "
                                 "not exist.")(func)

    return decorate


def jobs_option(help: str) -> Callable[[F], F]:
    """--jobs N: worker processes, 1–64 (the work is capped at one worker per chunk anyway)."""
    return click.option("--jobs", type=click.IntRange(1, 64), default=None, help=help)


def date_option(*names: str, help: str) -> Callable[[F], F]:
    return click.option(*names, callback=_date, metavar="DATE", help=help)


FORMAT_HELP = {
    "table": "table bảng để đọc / a table to read",
    "json": "json cho chương trình khác / for programs",
    "csv": "csv cho bảng tính / for spreadsheets",
    "xlsx": "xlsx tệp Excel, cần --output / an Excel workbook, needs --output",
    "docx": "docx tệp Word, cần --output / a Word document, needs --output",
}
ALL_FORMATS = ("table", "json", "csv", "xlsx", "docx")


def format_help(formats: tuple[str, ...]) -> str:
    return "Định dạng đầu ra / output format: " + "; ".join(FORMAT_HELP[f] for f in formats) + "."


def data_options(func: F) -> F:
    """--data, --as-of, --rulesets, --lang, --format/--json, --output (README.md, Commands)."""
    return _data_options(func, ALL_FORMATS)


def data_options_for(*formats: str) -> Callable[[F], F]:
    """data_options offering only the formats the command writes."""
    return lambda func: _data_options(func, formats)


def _data_options(func: F, formats: tuple[str, ...]) -> F:
    options = [
        click.option("--data", "data_dir", type=click.Path(path_type=Path), default=Path("fixtures/demo"),
                     show_default=True, help="Thư mục bộ dữ liệu / dataset folder."),
        date_option("--as-of", "as_of", help="Ngày đánh giá (mặc định: as_of của bộ dữ liệu, nếu không có thì hôm "
                                             "nay) / evaluation date (default: the dataset's as_of, else today)."),
        click.option("--rulesets", "rulesets_dir", type=click.Path(path_type=Path), default=None,
                     help="Thư mục gói quy tắc (mặc định: rulesets/ kèm theo) / rule packs folder (default: the "
                          "bundled rulesets/)."),
        click.option("--lang", type=click.Choice(["vi", "en"]), default="vi", show_default=True,
                     help="Ngôn ngữ của nhãn và lời giải thích: vi tiếng Việt, en tiếng Anh / language of labels "
                          "and explanations."),
        click.option("--format", "fmt", type=click.Choice(list(formats)), default="table", show_default=True,
                     help=format_help(formats)),
        click.option("--json", "json_flag", is_flag=True, help="Viết tắt của --format json / short for --format json."),
        output_option("--output", help="Ghi vào tệp này (an toàn, ghi xong mới thay) thay vì ra màn hình / write "
                                       "there (atomically) instead of stdout."),
    ]
    for option in reversed(options):
        func = option(func)
    from cli.xlsx_form import form_options

    return form_options(func)
