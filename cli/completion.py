"""Shell completion of ids from the dataset: people, posts, courses (README: "Shell completion").

click completes options and commands by itself; these callbacks add the ids of the dataset named by
`--data` on the command line so far (default fixtures/demo), with the name as help: ids that start
with what is typed, and the records whose name matches it (diacritics ignored). Any problem reading
the dataset completes nothing: completion must never print an error into the shell.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import click
from click.shell_completion import CompletionItem

LIMIT = 200


def _records(ctx: click.Context, kind: str, incomplete: str) -> list[tuple[str, str]]:
    data = ctx.params.get("data_dir") or Path("fixtures/demo")
    try:
        from engine.workspace import open_dataset

        ws = open_dataset(Path(data), ctx.params.get("rulesets_dir"), None)
    except Exception:  # any problem completes nothing (module docstring)
        return []
    low = incomplete.casefold()
    if kind == "person":
        named = [(p.id, p.full_name) for p in ws.dataset.people if p.id.casefold().startswith(low)]
        found = [(h.person.id, h.person.full_name) for h in ws.find_people(incomplete)] if incomplete else []
    elif kind == "position":
        named = [(p.id, p.title) for p in ws.dataset.positions if p.id.casefold().startswith(low)]
        found = [(h.position.id, h.position.title) for h in ws.find_positions(incomplete)] if incomplete else []
    else:
        named = [(c.id, c.title or c.programme) for c in ws.dataset.courses if c.id.casefold().startswith(low)]
        found = [(c.id, c.title or c.programme) for c in ws.find_courses(query=incomplete)] if incomplete else []
    seen = dict(named)
    seen.update((i, n) for i, n in found if i not in seen)
    return list(seen.items())


def complete(kind: str) -> Callable[[click.Context, click.Parameter, str], list[CompletionItem]]:
    """A shell_complete callback giving the ids of `kind` (person, position, course) for what is typed."""

    def callback(ctx: click.Context, _param: click.Parameter, incomplete: str) -> list[CompletionItem]:
        return [CompletionItem(i, help=name) for i, name in _records(ctx, kind, incomplete)][:LIMIT]

    return callback


__all__ = ["complete"]
