"""Which character divides the cells of a CSV file: a comma, or what Excel writes under other settings.

Excel with Vietnamese (and most European) regional settings saves "CSV" with semicolons, and some
programs export tab-separated text. A file whose header line (its first line with anything on it)
holds a semicolon or a tab but no comma is read with that character; anything else with commas.
"""

from __future__ import annotations

from pathlib import Path

COMMA = ","
NAMES_VI = {";": "dấu chấm phẩy (;)", "\t": "dấu tab"}
NAMES_EN = {";": "semicolons", "\t": "tabs"}


def header_line(text: str) -> str:
    """The first line of `text` with anything but spaces on it ("" if none)."""
    for line in text.splitlines():
        if line.strip():
            return line
    return ""


def sniff(text: str) -> str:
    """The delimiter of the CSV text `text`, judged by its header line."""
    line = header_line(text)
    if COMMA in line:
        return COMMA
    semicolons, tabs = line.count(";"), line.count("\t")
    if semicolons or tabs:
        return ";" if semicolons >= tabs else "\t"
    return COMMA


_SNIFFED = 64 * 1024  # bytes read to find the header line


def delimiters(root: Path) -> dict[str, str]:
    """The CSV table files of the dataset folder `root` read with another delimiter than a comma."""
    found: dict[str, str] = {}
    if not root.is_dir():
        return found
    for path in sorted(root.glob("*.csv")):
        try:
            with open(path, "rb") as handle:
                head = handle.read(_SNIFFED).decode("utf-8-sig", errors="replace")
        except OSError:
            continue
        delimiter = sniff(head)
        if delimiter != COMMA:
            found[path.name] = delimiter
    return found


def note(files: dict[str, str], lang: str = "vi") -> str | None:
    """One line saying which files were read with which delimiter, or None when all had commas."""
    if not files:
        return None
    if lang == "vi":
        parts = [f"{name} ({NAMES_VI[d]})" for name, d in files.items()]
        return "Tệp CSV đọc với dấu phân cách khác dấu phẩy: " + ", ".join(parts)
    parts = [f"{name} ({NAMES_EN[d]})" for name, d in files.items()]
    return "CSV files read with another delimiter than commas: " + ", ".join(parts)


__all__ = ["COMMA", "delimiters", "header_line", "note", "sniff"]
