"""The object passed to every subcommand, and the common options of commands that read data."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])


@dataclass
class AppContext:
    debug: bool = False
    quiet: bool = False


def _date(_ctx: click.Context, _param: click.Parameter, value: str | None) -> dt.date | None:
    if value is None:
        return None
    from engine.workspace import parse_date

    try:
        parsed = parse_date(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None
    if not isinstance(parsed, dt.date):
        raise click.BadParameter("date must be YYYY-MM-DD or DD/MM/YYYY")
    return parsed


def date_option(*names: str, help: str) -> Callable[[F], F]:
    return click.option(*names, callback=_date, metavar="DATE", help=help)


def data_options(func: F) -> F:
    """--data, --as-of, --rulesets, --lang, --format/--json, --output (README.md, Commands)."""
    options = [
        click.option("--data", "data_dir", type=click.Path(path_type=Path), default=Path("fixtures/demo"),
                     show_default=True, help="Dataset folder."),
        date_option("--as-of", "as_of", help="Evaluation date (default: the dataset's as_of, else today)."),
        click.option("--rulesets", "rulesets_dir", type=click.Path(path_type=Path), default=None,
                     help="Rule packs folder (default: the bundled rulesets/)."),
        click.option("--lang", type=click.Choice(["vi", "en"]), default="vi", show_default=True),
        click.option("--format", "fmt", type=click.Choice(["table", "json", "csv", "xlsx"]), default="table",
                     show_default=True),
        click.option("--json", "json_flag", is_flag=True, help="Short for --format json."),
        click.option("--output", type=click.Path(path_type=Path), default=None,
                     help="Write there (atomically) instead of stdout."),
    ]
    for option in reversed(options):
        func = option(func)
    return func
