"""The `dtbd` command group: builds the shared context, converts domain errors in one place."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from cli.context import AppContext
from engine.errors import DtbdError

DEFAULT_DATA = Path("fixtures/demo")


HELP = "Hiện trợ giúp này rồi thoát / show this message and exit."


def _help_in_vietnamese(command: click.Command, ctx: click.Context) -> None:
    """click's -h/--help says "Show this message and exit."; ours says it in Vietnamese first."""
    option = command.get_help_option(ctx)
    if option is not None:
        option.help = HELP
    for sub in getattr(command, "commands", {}).values():
        _help_in_vietnamese(sub, ctx)


COMMANDS = ("validate", "rules", "check", "audit", "plan", "shortlist", "readiness", "people", "positions", "courses",
            "generate", "template")


class DtbdGroup(click.Group):
    """Commands are imported when used (click's lazy group pattern): `dtbd check` does not pay for the
    planner's solver or the xlsx library (about 0.3 s of imports)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return [*super().list_commands(ctx), *(name for name in COMMANDS if name not in self.commands)]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in COMMANDS and cmd_name not in self.commands:
            import importlib

            command = importlib.import_module(f"cli.commands.{cmd_name}").command
            _help_in_vietnamese(command, ctx)
            self.add_command(command)
        return super().get_command(ctx, cmd_name)

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = HELP
        return option

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except DtbdError as exc:
            if ctx.find_object(AppContext) and ctx.find_object(AppContext).debug:  # type: ignore[union-attr]
                raise
            click.echo(f"Lỗi / Error: {exc}", err=True)
            sys.exit(exc.exit_code)


@click.group(cls=DtbdGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--debug", is_flag=True, help="Hiện chi tiết lỗi (traceback) / show tracebacks.")
@click.option("--quiet", is_flag=True,
              help="Không hiện tiến độ và dòng \"Đã ghi\" trên stderr / no progress or \"written\" line on stderr.")
@click.option("--width", type=click.IntRange(40, 1000), default=None, metavar="N",
              help="Độ rộng bảng, số cột ký tự (mặc định: biến COLUMNS, độ rộng terminal, hoặc 120) / table width in "
                   "columns (default: COLUMNS, the terminal's width, else 120).")
@click.pass_context
def cli(ctx: click.Context, debug: bool, quiet: bool, width: int | None) -> None:
    """dtbd — quy tắc đào tạo, bồi dưỡng CBCCVC / training rules engine for Vietnamese civil service.

    \b
    Tìm người, chức vụ, khóa học / find people, posts, courses:
      dtbd people --search "tran quoc hung"
    Những gì một người còn thiếu / what a person is missing:
      dtbd check "Trần Quốc Hưng" --only-gaps
    Kế hoạch năm / the year's plan:
      dtbd plan --year 2027 --output ke-hoach.txt
    """
    ctx.obj = AppContext(debug=debug, quiet=quiet, width=width)


def main() -> None:
    cli(prog_name="dtbd")


__all__ = ["DEFAULT_DATA", "cli", "dt", "main"]
