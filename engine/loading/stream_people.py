"""The people of a streamed dataset, cut into chunks (People), and the temp files of rows out of people
order (Spill): the structures engine.loading.stream_split fills."""

from __future__ import annotations

from pathlib import Path

from engine.loading.grid import clean

SPILL_BUFFER = 32 << 20  # bytes of spilled rows held before they are written out
NONE = -2  # a row naming no person (blank, or its person cell empty): stays with its neighbours
ORPHAN = -3  # a row naming a person that people.csv does not have
SAFE_KEY_BYTES = bytes(range(0x21, 0x7F))  # bytes of an id that is certainly clean as written


def key_field(table: str) -> str:
    """The field naming the person a row is about."""
    return "id" if table == "people" else "person"


def canonical(raw: bytes) -> bytes | None:
    """A person cell as the loader reads it (NFC, stripped), as UTF-8; None when empty."""
    value = clean(raw.decode("utf-8"))
    return None if value is None else str(value).encode("utf-8")


class People:
    """The people of people.csv: id -> chunk (first occurrence), and the ids written twice."""

    def __init__(self, chunk_size: int) -> None:
        self.chunk_size = chunk_size
        self.chunk_of: dict[bytes, int] = {}
        self.count = 0  # non-blank records, valid or not
        self.dups: dict[bytes, list[int]] = {}  # id -> lines of its second, third... occurrences
        self.known = True  # False when people.csv could not be read through: its ids are unknown
        self._numbers: list[int] = []

    @property
    def chunks(self) -> int:
        """How many chunks the people make."""
        return max(1, -(-self.count // self.chunk_size))

    def number(self, chunk: int) -> int:
        """The one int object for `chunk` (millions of dict values share a thousand objects)."""
        numbers = self._numbers
        while len(numbers) <= chunk:
            numbers.append(len(numbers))
        return numbers[chunk]

    def add(self, key: bytes | None, line: int) -> int:
        """Count a non-blank record and return its chunk."""
        chunk = self.number(self.count // self.chunk_size)
        self.count += 1
        if key is not None:
            if key in self.chunk_of:
                self.dups.setdefault(key, []).append(line)
            else:
                self.chunk_of[key] = chunk
        return chunk


class Spill:
    """Rows copied into one temp file per chunk, as CSV whose first cell is the row's line number."""

    def __init__(self, folder: Path, table: str) -> None:
        self.folder = folder
        self.table = table
        self.buffers: dict[int, list[bytes]] = {}
        self.size = 0
        self.written: set[int] = set()

    def path(self, chunk: int) -> Path:
        """The spill file of `chunk`."""
        return self.folder / f"{self.table}.{chunk}.csv"

    def add(self, chunk: int, data: bytes) -> None:
        """Spill `data` (records) to `chunk`'s file, through a buffer."""
        parts = self.buffers.get(chunk)
        if parts is None:
            self.buffers[chunk] = [data]
        else:
            parts.append(data)
        self.size += len(data)
        if self.size > SPILL_BUFFER:
            self.flush()

    def flush(self) -> None:
        """Write out every buffered record."""
        for chunk, parts in self.buffers.items():
            with open(self.path(chunk), "ab") as handle:
                handle.write(b"".join(parts))
            self.written.add(chunk)
        self.buffers.clear()
        self.size = 0

    def discard(self) -> None:
        """Remove every spill file."""
        self.buffers.clear()
        self.size = 0
        for chunk in self.written:
            self.path(chunk).unlink(missing_ok=True)
        self.written.clear()


__all__ = ["NONE", "ORPHAN", "SAFE_KEY_BYTES", "SPILL_BUFFER", "People", "Spill", "canonical", "key_field"]
