"""Shell completion of ids from the dataset: people, posts, courses (README: "Shell completion").

click completes options and commands by itself; these callbacks add the ids of the dataset named by
`--data` on the command line so far (default fixtures/demo), with the name as help. Any problem
reading it completes nothing: completion must never print an error into the shell.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import click
from click.shell_completion import CompletionItem

LIMIT = 200


def _records(ctx: click.Context, kind: str) -> list[tuple[str, str]]:
    data = ctx.params.get("data_dir") or Path("fixtures/demo")
    try:
        from cli.workspace import open_workspace

        ds = open_workspace(Path(data), ctx.params.get("rulesets_dir"), None).dataset
    except Exception:  # any problem completes nothing (module docstring)
        return []
    if kind == "person":
        return [(p.id, p.full_name) for p in ds.people]
    if kind == "position":
        return [(p.id, p.title) for p in ds.positions]
    return [(c.id, c.title or c.programme) for c in ds.courses]


def complete(kind: str) -> Callable[[click.Context, click.Parameter, str], list[CompletionItem]]:
    """A shell_complete callback giving the ids of `kind` (person, position, course) starting with the text."""

    def callback(ctx: click.Context, _param: click.Parameter, incomplete: str) -> list[CompletionItem]:
        from engine.search import fold

        low = incomplete.casefold()
        found = [CompletionItem(i, help=name) for i, name in _records(ctx, kind)
                 if i.casefold().startswith(low) or (incomplete and fold(name).startswith(fold(incomplete)))]
        return found[:LIMIT]

    return callback


__all__ = ["complete"]
