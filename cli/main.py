"""The `dtbd` command group: builds the shared context, converts domain errors in one place."""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import os
import sys
from pathlib import Path

import click

from cli.context import ARGV_KEY, AppContext
from engine.atomic import terminate_cleanly
from engine.errors import DtbdError, FindingsFound, OutputError

DEFAULT_DATA = Path("fixtures/demo")


HELP = "Hiện trợ giúp này rồi thoát / show this message and exit."


def _help_in_vietnamese(command: click.Command, ctx: click.Context) -> None:
    """click's -h/--help says "Show this message and exit."; ours says it in Vietnamese first."""
    option = command.get_help_option(ctx)
    if option is not None:
        option.help = HELP
    for sub in getattr(command, "commands", {}).values():
        _help_in_vietnamese(sub, ctx)


COMMANDS = ("validate", "rules", "check", "candidates", "audit", "diff", "plan", "shortlist", "readiness", "targets",
            "report", "people", "positions", "courses", "generate", "template", "export", "import", "serve", "users")


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

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        ctx.meta[ARGV_KEY] = list(args)  # the command line, for the provenance of the output (cli.stamp)
        return super().parse_args(ctx, args)

    def invoke(self, ctx: click.Context) -> object:
        """Run the command; turn every error dtbd expects into one message and its exit code (no traceback
        without --debug): DtbdError (1 input or output, 3 findings, 4 engine), Ctrl-C (130), a stdout that
        cannot be written (1)."""
        app = ctx.find_object(AppContext)
        debug = app is not None and app.debug
        try:
            result = super().invoke(ctx)
            sys.stdout.flush()  # a full disk or a closed pipe shows here, not after the exit code is set
            return result
        except FindingsFound as exc:
            sys.exit(exc.exit_code)
        except DtbdError as exc:
            if debug:
                raise
            _say(f"Lỗi / Error: {exc}")
            sys.exit(exc.exit_code)
        except KeyboardInterrupt:
            if debug:
                raise
            _say("Đã dừng / interrupted")
            # The work is abandoned: end now. A normal exit would join the worker pool's management thread,
            # which can print a traceback (a closed pipe) after the message under load.
            for stream in (sys.stdout, sys.stderr):
                with contextlib.suppress(OSError, ValueError):
                    stream.flush()
            os._exit(130)
        except OSError as exc:
            if debug or exc.errno not in _STDOUT_ERRORS:
                raise
            _detach_stdout()
            if exc.errno != errno.EPIPE:  # a reader that went away (`| head`) needs no message
                _say(f"Lỗi / Error: {OutputError('<stdout>', exc.strerror or str(exc))}")
            sys.exit(1)


# What writing to stdout can meet: a closed pipe, a full disk, a closed or unwritable descriptor.
_STDOUT_ERRORS = {errno.EPIPE, errno.ENOSPC, errno.EBADF, errno.EIO, errno.EFBIG, errno.EDQUOT}


def _say(text: str) -> None:
    with contextlib.suppress(OSError):
        click.echo(text, err=True)


def _detach_stdout() -> None:
    """Point stdout at /dev/null, so that the interpreter's last flush does not fail again."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def _utf8_console() -> None:
    """A console whose encoding cannot write Vietnamese (LANG=C, a Windows code page) gets UTF-8, with a note,
    instead of a UnicodeEncodeError halfway through a report."""
    for name in ("stderr", "stdout"):
        stream = getattr(sys, name)
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("_", "-")
        if encoding in ("utf-8", "utf8") or not hasattr(stream, "reconfigure"):
            continue
        try:
            stream.reconfigure(encoding="utf-8", errors="backslashreplace")
        except (OSError, ValueError):
            continue
        if name == "stdout":
            print(f"Ghi chú / note: bảng mã {encoding or '?'} của cửa sổ lệnh không hiển thị được tiếng Việt; ghi"
                  f" UTF-8 / the console encoding {encoding or '?'} cannot show Vietnamese; writing UTF-8",
                  file=sys.stderr)


@click.group(cls=DtbdGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="dtbd", prog_name="dtbd", message="%(prog)s %(version)s",
                      help="Hiện phiên bản rồi thoát / show the version and exit.")
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
    terminate_cleanly()  # SIGTERM unwinds: temporary files and worker processes are cleaned up
    _utf8_console()
    cli(prog_name="dtbd")


__all__ = ["DEFAULT_DATA", "cli", "dt", "main"]
