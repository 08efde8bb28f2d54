"""The parent's pass over a large dataset's per-person CSV files: which chunk of people each row goes to.

people.csv is read first: its people are cut, in file order, into chunks of `chunk_size`, and each
person id is kept (a dict of id -> chunk, the one global structure the size of the population). Then
each other per-person CSV file is read once, and each of its rows is sent to the chunk of the person
it names. Nothing is parsed here beyond the person's cell: rows are validated by the workers.

A row goes to its chunk in one of two ways:
- by byte range: while a file is grouped in people order (the generator's output, most exports), the
  rows of a chunk are one run of lines, and the worker reads that range of the file itself;
- by spill: from the first row out of that order on (or for a file that needs the csv module: quoted
  cells, bare CR line ends, over-long lines), rows are copied, with their line numbers, into one temp
  file per chunk, which keeps the original order within the chunk.

Line numbers are the whole loader's (engine.loading.readers): the header is line 1, a record's line is
the one it starts on. A file that is not UTF-8 is read no further (its one problem, no rows); a CSV
error ends the file's rows where the whole loader's end.
"""

from __future__ import annotations

import bisect
import csv
import io
import unicodedata
import zlib
from dataclasses import dataclass, field
from itertools import islice, repeat
from pathlib import Path
from typing import Any

from engine.errors import Problem
from engine.intake.delimiter import COMMA, sniff
from engine.loading.csv_lines import BOM, blocks, cells_key, count_lines, header_of, is_blank, line_offset
from engine.loading.readers import blank_file, decode
from engine.loading.stream_people import NONE, ORPHAN, SAFE_KEY_BYTES, People, Spill, canonical, key_field
from engine.loading.tables import clean, grid_table

_SNIFFED = 64 * 1024  # bytes read to find the header line (engine.intake.delimiter)


@dataclass
class TableScan:
    """One per-person CSV file, read once: its header, and where each chunk's rows are."""

    table: str
    path: Path
    label: str
    spill_dir: Path
    people: People
    header: tuple[int, tuple[str, ...]] | None = None
    header_problems: list[Problem] = field(default_factory=list)
    # Problems of the file met before the rows (unreadable) and after them (CSV error).
    file_problems: list[Problem] = field(default_factory=list)
    end_problems: list[Problem] = field(default_factory=list)
    complete: bool = True
    readable: bool = True
    ranges: dict[int, tuple[int, int, int]] = field(default_factory=dict)  # chunk -> (start, end, first line)
    orphans: dict[int, list[int]] = field(default_factory=dict)  # chunk -> lines of rows naming no known person
    key_index: int | None = None
    spilling: bool = False
    spill: Spill | None = None
    _range: list[int] | None = None  # [chunk, start offset, first line] of the range being read
    _prev: int = 0  # chunk of the last row (rows are grouped while it never decreases)
    delimiter: str = COMMA  # of the file's cells; spilled rows are always written with commas

    def __post_init__(self) -> None:
        self.spill = Spill(self.spill_dir, self.table)

    @property
    def is_people(self) -> bool:
        """Whether this is people.csv."""
        return self.table == "people"

    # -- reading ----------------------------------------------------------------------------------
    def run(self) -> None:
        """Read the file once and assign each row to its chunk."""
        blank = blank_file(self.path, self.label)
        if blank is not None:
            self._unreadable()
            self.file_problems = [blank]
            return
        with open(self.path, "rb") as handle:
            offset = 3 if handle.read(3) == BOM else 0
            handle.seek(offset)
            self.delimiter = sniff(handle.read(_SNIFFED).decode("utf-8", errors="replace"))
            if self.delimiter != COMMA:  # ';' or tabs (engine.intake.delimiter): the csv module reads it
                self._csv_from(offset, 1)
                return
            handle.seek(offset)
            line = 1
            for base, block in blocks(handle, offset):
                try:
                    if not block.isascii():
                        block.decode("utf-8")
                except UnicodeDecodeError:
                    self._unreadable()
                    return
                if b'"' in block:
                    self._csv_from(base, line)
                    return
                crlf = b"\r" in block
                if crlf:
                    block = block.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
                lines = block.split(b"\n")
                if lines[-1] == b"":
                    lines.pop()
                if self._too_long(lines):
                    self._csv_from(base, line)
                    return
                if crlf and not self.spilling:
                    self._to_spill(base)
                self._lines(lines, line, base)
                line += len(lines)
            self._close_range(handle.tell())
        self._finish()

    def _too_long(self, lines: list[bytes]) -> bool:
        """A line longer than the csv module takes: the whole loader reads such text with the csv module."""
        limit = csv.field_size_limit()
        if max(map(len, lines), default=0) <= limit:
            return False
        return any(len(unicodedata.normalize("NFC", line.decode("utf-8"))) > limit
                   for line in lines if len(line) > limit)

    def _unreadable(self) -> None:
        """Not UTF-8: the whole loader's one problem for the file, and no rows at all."""
        _text, problems = decode(self.path, self.label)
        self.file_problems = problems
        self.readable = self.complete = False
        self.header_problems = []
        self.ranges.clear()
        self.orphans.clear()
        self._range = None
        assert self.spill is not None
        self.spill.discard()
        if self.is_people:
            people = self.people
            people.known = False
            people.chunk_of.clear()
            people.dups.clear()
            people.count = count_lines(self.path)  # no people, but as many chunks as lines to spread rows on

    def _finish(self) -> None:
        assert self.spill is not None
        self.spill.flush()
        if self.is_people and not self.complete:
            self.people.known = False

    # -- the header -------------------------------------------------------------------------------
    def _set_header(self, line: int, cells: list[str]) -> None:
        raw = grid_table(self.table, self.label, [(line, cells)], text=True)
        self.header = (line, tuple(cells))
        self.header_problems = list(raw.problems)
        columns = raw.body.columns if raw.body is not None else []
        name = key_field(self.table)
        self.key_index = columns.index(name) if name in columns else None
        if self.key_index is None and not self.is_people:
            self.spilling = True  # no person to group by: rows are spread over the chunks by line

    # -- range mode -------------------------------------------------------------------------------
    def _open_range(self, chunk: int, offset: int, line: int) -> None:
        self._close_range(offset)
        self._range = [chunk, offset, line]

    def _close_range(self, offset: int) -> None:
        if self._range is not None:
            chunk, start, first = self._range
            if offset > start:
                self.ranges[chunk] = (start, offset, first)
            self._range = None

    def _to_spill(self, offset: int) -> None:
        self._close_range(offset)
        self.spilling = True

    # -- lines of a block (no quotes, no CR) ------------------------------------------------------
    def _lines(self, lines: list[bytes], line0: int, base: int) -> None:
        """The lines of one block, the first being line `line0`, at byte `base` of the file."""
        start = 0
        if self.header is None:
            found = header_of(lines)
            if found is None:
                return
            start, cells = found
            self._set_header(line0 + start, cells)
            start += 1
            if not self.spilling:
                self._open_range(0, line_offset(lines, base, start), line0 + start)
        if start >= len(lines):
            return
        body = lines[start:] if start else lines
        body_base = line_offset(lines, base, start) if start else base
        first = line0 + start
        if self.is_people:
            chunks, keys = self._people_chunks(body, first), None
        else:
            chunks, keys = self._person_chunks(body)
        if not self.spilling:
            stop = self._grouped_prefix(chunks)
            self._ranges_of(chunks if stop == len(chunks) else chunks[:stop], body, body_base, first)
            if stop == len(body):
                return
            self._to_spill(line_offset(body, body_base, stop))
            body, chunks, first = body[stop:], chunks[stop:], first + stop
            keys = keys[stop:] if keys is not None else None
        self._spill_lines(body, chunks, keys, first)

    def _people_chunks(self, body: list[bytes], first_line: int) -> list[int]:
        """Chunk of each line of people.csv (NONE for a blank line); ids recorded as they come."""
        people = self.people
        raw_keys = [b""] * len(body) if self.key_index is None else cells_key(body, self.key_index)
        joined = b",".join(raw_keys)
        # Ids of printable ASCII only are clean as written (the common case): no per-line work.
        safe = not joined.translate(None, SAFE_KEY_BYTES)
        if safe and b"" not in raw_keys:
            unique = set(raw_keys)
            if len(unique) == len(raw_keys) and people.chunk_of.keys().isdisjoint(unique):
                size, count, total = people.chunk_size, people.count, len(body)
                chunks: list[int] = []
                while len(chunks) < total:  # runs of one shared int per chunk
                    done = count + len(chunks)
                    chunk = done // size
                    chunks += [people.number(chunk)] * min(total - len(chunks), (chunk + 1) * size - done)
                people.chunk_of.update(zip(raw_keys, chunks, strict=True))
                people.count += len(body)
                return chunks
        out = []
        for offset, (line, raw) in enumerate(zip(body, raw_keys, strict=True)):
            key = raw if safe and raw else canonical(raw)
            if key is None and is_blank(line):
                out.append(NONE)
            else:
                out.append(people.add(key, first_line + offset))
        return out

    def _person_chunks(self, body: list[bytes]) -> tuple[list[int], list[bytes] | None]:
        """Chunk of each line of a per-person table (its person's, NONE or ORPHAN), and the ids of the
        orphans (in a list aligned with the lines, when there are any)."""
        if self.key_index is None:
            return [NONE] * len(body), None
        keys = cells_key(body, self.key_index)
        chunk_of = self.people.chunk_of
        chunks = list(map(chunk_of.get, keys, repeat(-1)))
        if -1 not in chunks:
            return chunks, None
        at = chunks.index(-1)
        while True:  # ids not as the loader reads them (spaces, not NFC), no id, or no such person
            key = canonical(keys[at])
            if key is None:
                chunks[at] = NONE
            else:
                chunks[at] = chunk_of.get(key, ORPHAN)
                keys[at] = key
            try:
                at = chunks.index(-1, at + 1)
            except ValueError:
                return chunks, keys

    def _grouped_prefix(self, chunks: list[int]) -> int:
        """How many lines, from the first, keep the people order (no orphan, no going back)."""
        prev = self._prev
        if chunks and chunks[0] >= prev and chunks == sorted(chunks):  # the usual case, at C speed
            self._prev = chunks[-1]
            return len(chunks)
        for index, chunk in enumerate(chunks):
            if chunk == NONE:
                continue
            if chunk < prev:  # ORPHAN too: it is below every chunk
                self._prev = prev
                return index
            prev = chunk
        self._prev = prev
        return len(chunks)

    def _ranges_of(self, chunks: list[int], lines: list[bytes], base: int, first_line: int) -> None:
        """Open a range at the first line of each chunk met (`chunks` never decrease, NONE aside)."""
        if self._range is None or not chunks:
            return
        current = self._range[0]
        if NONE in chunks:  # a line without a person stays in the range it is in
            filled, last = [], current
            for chunk in chunks:
                last = last if chunk == NONE else chunk
                filled.append(last)
            chunks = filled
        if chunks[-1] == current:
            return
        done, offset = 0, base
        for chunk in sorted(set(chunks)):
            if chunk > current:
                index = bisect.bisect_left(chunks, chunk)
                offset += sum(map(len, islice(lines, done, index))) + index - done
                done = index
                self._open_range(chunk, offset, first_line + index)

    # -- spill mode -------------------------------------------------------------------------------
    def _route(self, chunk: int, key: bytes | None, line: int) -> int:
        """The chunk a spilled row goes to; an orphan's line is recorded, its id decides the chunk, so that
        the rows naming one unknown person are checked together (one rating per year, say)."""
        if chunk >= 0:
            return chunk
        chunks = self.people.chunks
        if chunk == ORPHAN and key:
            target = zlib.crc32(key) % chunks
            self.orphans.setdefault(target, []).append(line)
            return target
        return (line >> 10) % chunks  # no person: anywhere, spread by line

    def _spill_lines(self, body: list[bytes], chunks: list[int], keys: list[bytes] | None, first: int) -> None:
        assert self.spill is not None
        add = self.spill.add
        for index, (line, chunk) in enumerate(zip(body, chunks, strict=True)):
            number = first + index
            if chunk < 0:
                if self.is_people:
                    continue  # a blank line of people.csv
                chunk = self._route(chunk, keys[index] if keys is not None else None, number)
            add(chunk, b"%d,%b\n" % (number, line))

    # -- csv module mode --------------------------------------------------------------------------
    def _csv_from(self, offset: int, first_line: int) -> None:
        """Read the rest of the file, from `offset` (line `first_line`), with the csv module, spilling every row."""
        self._to_spill(offset)
        assert self.spill is not None
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        with open(self.path, "rb") as handle:
            handle.seek(offset)
            text = io.TextIOWrapper(handle, encoding="utf-8", newline="")
            lines = (line if line.isascii() else unicodedata.normalize("NFC", line) for line in text)
            reader = csv.reader(lines, strict=True, delimiter=self.delimiter)
            start = first_line
            try:
                for cells in reader:
                    self._csv_record(start, cells, buffer, writer)
                    start = first_line + reader.line_num
            except UnicodeDecodeError:
                self._unreadable()
                return
            except csv.Error as exc:
                line = first_line - 1 + (reader.line_num or 1)
                problem = Problem(self.label, line, None, f"CSV không hợp lệ / invalid CSV: {exc}", code="invalid-csv")
                (self.end_problems if self.header is not None else self.file_problems).append(problem)
                self.complete = False
        self._finish()

    def _csv_record(self, line: int, cells: list[str], buffer: io.StringIO, writer: Any) -> None:
        if self.header is None:
            if any(clean(cell) is not None for cell in cells):
                self._set_header(line, cells)
            return
        index = self.key_index
        key = None
        if index is not None and index < len(cells):
            value = clean(cells[index])
            key = None if value is None else str(value).encode("utf-8")
        if self.is_people:
            if key is None and all(clean(cell) is None for cell in cells):
                return  # blank
            chunk = self.people.add(key, line)
        elif key is None:
            chunk = self._route(NONE, None, line)
        else:
            found = self.people.chunk_of.get(key)
            chunk = self._route(ORPHAN, key, line) if found is None else found
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([line, *cells])
        assert self.spill is not None
        self.spill.add(chunk, buffer.getvalue().encode("utf-8"))


__all__ = ["NONE", "ORPHAN", "People", "Spill", "TableScan", "canonical", "count_lines", "key_field"]
