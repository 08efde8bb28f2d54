"""Provenance on every output (engine.provenance): the JSON block, the table footer, the xlsx page footer.

The engine computes the hashes; this module adds what only the interface knows — when the output was
made and the command line that made it. `SOURCE_DATE_EPOCH` (the reproducible-builds convention, seconds
since 1970 UTC) fixes the time, for tests and reproducible reports.
"""

from __future__ import annotations

import datetime as dt
import os
from contextvars import ContextVar
from typing import Any

import click

from cli.context import ARGV_KEY
from engine.results import Provenance
from engine.workspace import Workspace

# The provenance of the output being made and the language of its footer (set by `stamp`), for the writers:
# cli.output.emit (JSON block, table footer) and the xlsx page footer.
CURRENT: ContextVar[tuple[Provenance, str] | None] = ContextVar("dtbd_provenance", default=None)


def generated_at() -> dt.datetime:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC)
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def command_line() -> list[str]:
    """`dtbd` and the arguments it was given (kept by cli.main.DtbdGroup)."""
    ctx = click.get_current_context(silent=True)
    args = ctx.meta.get(ARGV_KEY) if ctx is not None else None
    return ["dtbd", *(args or [])]


def stamp(ws: Workspace, lang: str) -> Provenance:
    """The provenance of this command's output over `ws`; remembered for the writers (`current`)."""
    found = ws.provenance(generated_at(), command_line())
    CURRENT.set((found, lang))
    return found


def current() -> Provenance | None:
    """The provenance `stamp` made for this command's output, if any."""
    made = CURRENT.get()
    return made[0] if made else None


def current_lang() -> str:
    made = CURRENT.get()
    return made[1] if made else "vi"


def with_provenance(payload: dict[str, Any], found: Provenance | None) -> dict[str, Any]:
    if found is not None:
        payload["provenance"] = found.to_json()
    return payload


def footer(found: Provenance | None, lang: str) -> str:
    """One line: version, packs and data with short hashes, as-of, when made."""
    if found is None:
        return ""
    vi = lang == "vi"
    packs = ", ".join(f"{name} {found.short(value)}" for name, value in found.packs)
    parts = [f"dtbd {found.version}", f"{'quy tắc' if vi else 'rules'}: {packs}",
             f"{'dữ liệu' if vi else 'data'}: {found.data} {found.short(found.data_hash)}"]
    if found.as_of is not None:
        parts.append(f"{'ngày đánh giá' if vi else 'as of'} "
                     f"{found.as_of.strftime('%d/%m/%Y') if vi else found.as_of.isoformat()}")
    if found.generated_at is not None:
        made = found.generated_at.strftime("%d/%m/%Y %H:%M UTC") if vi else found.generated_at.strftime(
            "%Y-%m-%d %H:%M UTC")
        parts.append(f"{'lập lúc' if vi else 'made'} {made}")
    return "— " + " · ".join(parts)


def with_footer(text: str, found: Provenance | None, lang: str) -> str:
    line = footer(found, lang)
    return f"{text.rstrip()}\n\n{line}" if line else text


__all__ = ["CURRENT", "command_line", "current", "footer", "generated_at", "stamp", "with_footer",
           "with_provenance"]
