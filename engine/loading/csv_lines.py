"""Reading a CSV file as bytes, a block of whole lines at a time, without the csv module: what the split of a
streamed dataset (engine.loading.stream_split) needs of a file it does not parse."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from itertools import islice
from pathlib import Path
from typing import IO

from engine.loading.grid import clean

BLOCK = 4 << 20  # bytes read at a time
BOM = b"\xef\xbb\xbf"


def blocks(handle: IO[bytes], offset: int) -> Iterator[tuple[int, bytes]]:
    """(offset, bytes) of the file from `offset`, in blocks that end at a line break (or the file's end).

    A CR at the very end of what was read may be the first half of CRLF: it waits for the next block.
    """
    rest = b""
    while True:
        data = handle.read(BLOCK)
        if not data:
            if rest:
                yield offset, rest
            return
        if rest:
            data = rest + data
        cut = max(data.rfind(b"\n"), data.rfind(b"\r", 0, len(data) - 1)) + 1
        if cut == 0:
            rest = data
            continue
        yield offset, data[:cut]
        offset += cut
        rest = data[cut:]


def cells_key(lines: list[bytes], index: int) -> list[bytes]:
    """Cell `index` of each line (b"" where the line has fewer cells)."""
    if index == 0:
        return [line.partition(b",")[0] for line in lines]
    try:
        return [line.split(b",", index + 1)[index] for line in lines]
    except IndexError:
        out = []
        for line in lines:
            cells = line.split(b",", index + 1)
            out.append(cells[index] if index < len(cells) else b"")
        return out


def line_offset(lines: list[bytes], base: int, index: int) -> int:
    """Byte offset of line `index` of a block at `base` whose lines each end with one LF."""
    return base + sum(map(len, islice(lines, index))) + index


def is_blank(line: bytes) -> bool:
    """Whether every cell of the line is empty."""
    return all(clean(cell) is None for cell in line.decode("utf-8").split(","))


def header_of(lines: list[bytes]) -> tuple[int, list[str]] | None:
    """(index, cells) of the first non-blank line: the header."""
    for index, line in enumerate(lines):
        text = line.decode("utf-8")
        if not text.isascii():
            text = unicodedata.normalize("NFC", text)
        cells = text.split(",")
        if any(clean(cell) is not None for cell in cells):
            return index, cells
    return None


def count_lines(path: Path) -> int:
    """Lines of a file (its line breaks, plus a last line without one)."""
    total = 0
    last = b"\n"
    with open(path, "rb") as handle:
        while data := handle.read(BLOCK):
            total += data.count(b"\n")
            last = data[-1:]
    return total + (last != b"\n")


__all__ = ["BLOCK", "BOM", "blocks", "cells_key", "count_lines", "header_of", "is_blank", "line_offset"]
