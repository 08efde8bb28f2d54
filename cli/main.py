"""The `dtbd` command group: builds the shared context, converts domain errors in one place."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from cli.context import AppContext
from engine.errors import DtbdError

DEFAULT_DATA = Path("fixtures/demo")


class DtbdGroup(click.Group):
    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except DtbdError as exc:
            if ctx.find_object(AppContext) and ctx.find_object(AppContext).debug:  # type: ignore[union-attr]
                raise
            click.echo(f"Lỗi / Error: {exc}", err=True)
            sys.exit(exc.exit_code)


@click.group(cls=DtbdGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--debug", is_flag=True, help="Show tracebacks.")
@click.option("--quiet", is_flag=True, help="No progress on stderr.")
@click.pass_context
def cli(ctx: click.Context, debug: bool, quiet: bool) -> None:
    """dtbd — quy tắc đào tạo, bồi dưỡng CBCCVC / training rules engine for Vietnamese civil service."""
    ctx.obj = AppContext(debug=debug, quiet=quiet)


def _register() -> None:
    import importlib

    for name in ("validate", "rules", "check", "audit", "plan", "shortlist", "readiness", "generate", "template"):
        try:
            module = importlib.import_module(f"cli.commands.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"cli.commands.{name}":
                continue
            raise
        cli.add_command(module.command)


_register()


def main() -> None:
    cli(prog_name="dtbd")


__all__ = ["DEFAULT_DATA", "cli", "dt", "main"]
