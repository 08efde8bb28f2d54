"""What a spreadsheet cell written by dtbd may hold: never a formula (OWASP "CSV injection").

A text that starts with `=`, `+`, `-`, `@`, a tab or a carriage return would be taken by Excel or
LibreOffice for a formula (`=HYPERLINK(…)`, a DDE call `=cmd|' /C calc'!A0`) when the file is opened or
the cell edited. `neutralise` puts a `'` before it, as OWASP recommends; `restore` takes it off again
when dtbd reads its own workbook back. Both are applied at the lowest layer that writes (or reads) a
cell — cli.output.csv_text and engine.loading.xlsx_writer.set_cell — so every export, ids included,
gets them without asking.
"""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"


def neutralise(value: object) -> object:
    """`value`, with a leading `'` when it is text a spreadsheet would read as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return QUOTE + value
    return value


def restore(value: object) -> object:
    """The text `neutralise` was given: a leading `'` taken off when a formula start follows it."""
    if isinstance(value, str) and value.startswith(QUOTE) and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value


__all__ = ["FORMULA_STARTS", "neutralise", "restore"]
