"""Unpacking an uploaded dataset safely: an xlsx workbook or a zip of table files, within caps.

Caps guard the server: the upload's size, a zip's entry count and total uncompressed size (a zip bomb
is refused before anything is written), and entry names (`..`, absolute paths, drive letters and
nested folders are refused, so nothing lands outside the folder). An xlsx is itself a zip and gets the
same count and size caps; its external links are never followed (the reader takes cached values).
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

TABLE_SUFFIXES = (".csv", ".yaml", ".yml", ".xlsx")
MANIFEST = "dataset.yaml"


@dataclass(frozen=True)
class Caps:
    upload_bytes: int = 50 * 1024 * 1024
    zip_entries: int = 40
    zip_uncompressed_bytes: int = 400 * 1024 * 1024
    xlsx_entries: int = 2000


@dataclass(frozen=True)
class UploadProblem:
    """One problem with the upload itself or with its data: where (file or sheet, row, column) and what."""

    file: str
    row: int | None
    column: str | None
    message: str
    code: str = "invalid-data"


class UploadRefused(Exception):
    def __init__(self, problems: list[UploadProblem]) -> None:
        super().__init__("; ".join(p.message for p in problems))
        self.problems = problems


def _refuse(file: str, message: str, code: str) -> UploadRefused:
    return UploadRefused([UploadProblem(file, None, None, message, code)])


def _check_zip(data: bytes, label: str, max_entries: int, max_bytes: int) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise _refuse(label, "không phải tệp zip/xlsx hợp lệ / not a valid zip or xlsx file", "bad-archive") from None
    entries = archive.infolist()
    if len(entries) > max_entries:
        raise _refuse(label, f"quá nhiều tệp trong gói ({len(entries)} > {max_entries}) / too many entries",
                      "too-many-entries")
    total = sum(entry.file_size for entry in entries)
    if total > max_bytes:
        raise _refuse(label, f"dung lượng giải nén quá lớn ({total} > {max_bytes} byte) / uncompressed size over"
                      " the cap", "too-large")
    return archive


def _safe_name(name: str) -> str | None:
    """The entry's file name if it is a plain name (or one top folder deep), else None."""
    if "\\" in name or name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        return None
    parts = PurePosixPath(name).parts
    if any(part in ("..", ".") for part in parts) or not parts or len(parts) > 2:
        return None
    return parts[-1]


def unpack(data: bytes, filename: str, into: Path, caps: Caps) -> None:
    """Write the upload's table files into the empty folder `into`, or raise UploadRefused."""
    label = Path(filename).name or "upload"
    if len(data) > caps.upload_bytes:
        raise _refuse(label, f"tệp quá lớn ({len(data)} > {caps.upload_bytes} byte) / upload over the size cap",
                      "too-large")
    suffix = Path(label).suffix.lower()
    if suffix == ".xlsx":
        _check_zip(data, label, caps.xlsx_entries, caps.zip_uncompressed_bytes).close()
        (into / "data.xlsx").write_bytes(data)
        return
    if suffix != ".zip":
        raise _refuse(label, "chỉ nhận tệp .xlsx hoặc .zip các tệp CSV / only an .xlsx workbook or a .zip of CSV"
                      " files", "bad-file-type")
    problems: list[UploadProblem] = []
    with _check_zip(data, label, caps.zip_entries, caps.zip_uncompressed_bytes) as archive:
        chosen: dict[str, zipfile.ZipInfo] = {}
        for entry in archive.infolist():
            if entry.is_dir():
                continue
            name = _safe_name(entry.filename)
            if name is None:
                problems.append(UploadProblem(f"{label}/{entry.filename}", None, None,
                                              "tên tệp không an toàn (.., đường dẫn tuyệt đối hoặc thư mục lồng) /"
                                              " unsafe entry name", "unsafe-entry"))
            elif name.startswith((".", "~$", "__MACOSX")) or "__MACOSX" in entry.filename:
                continue  # hidden files and the archiver's resource forks are not data
            elif not (name.lower().endswith(TABLE_SUFFIXES)):
                problems.append(UploadProblem(f"{label}/{entry.filename}", None, None,
                                              "không phải tệp bảng (.csv, .yaml, .xlsx) / not a table file",
                                              "not-a-table"))
            elif name in chosen:
                problems.append(UploadProblem(f"{label}/{entry.filename}", None, None,
                                              "tệp trùng tên trong gói / the same name twice", "duplicate-entry"))
            else:
                chosen[name] = entry
        if problems:
            raise UploadRefused(problems)
        for name, entry in chosen.items():
            (into / name).write_bytes(archive.read(entry))
