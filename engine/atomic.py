"""The one way dtbd writes a file: whole or not at all, and every failure a message naming the file.

Every output (`--output FILE` of any command, the template, a generated workbook) goes through
`atomic_open` or `write_atomic`: the text goes to a temporary file beside the target, which is renamed
onto the target only when complete. What a user meets:

- the file gets the permissions the umask gives; replacing a file keeps that file's mode;
- a read-only target (no write bit) is refused, not replaced; so is a folder that cannot be written;
- a symbolic link is written through: its target is replaced, the link stays;
- a target that is not a regular file (`/dev/null`, a pipe) is written to directly;
- a parent folder that does not exist is an error unless `mkdir` (a typo no longer creates paths);
- SIGTERM or SIGINT while writing removes the temporary file (`terminate_cleanly` turns SIGTERM into
  an exception, so the `finally` that removes it runs);
- every OSError becomes `OutputError` "không ghi được FILE: lý do / cannot write FILE: reason", exit 1.
"""

from __future__ import annotations

import errno
import os
import secrets
import signal
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import IO, Any

from engine.errors import OutputError

_NAME_MAX = 255
TEMP_PREFIX = ".dtbd-"  # every temporary file dtbd makes beside an output starts so
TERMINATED_EXIT = 143  # 128 + SIGTERM, as a shell reports it


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc) or type(exc).__name__


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def is_special(path: Path) -> bool:
    """Whether `path` exists but is neither a regular file nor a folder (`/dev/null`, a pipe): written to
    directly, never renamed onto."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)


def _writable_bits(mode: int) -> bool:
    return bool(mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))


def resolve_target(path: Path, mkdir: bool = False) -> Path:
    """The file an output to `path` replaces (a link's target), checked before any work is done.

    OutputError when it cannot be written: an empty path, a folder, a read-only file, a parent that is
    missing (unless `mkdir`, which creates it), not a folder, or read-only, a name too long.
    """
    if str(path) in ("", "."):
        raise OutputError(str(path), "đường dẫn rỗng / the path is empty")
    target = Path(os.path.realpath(path))
    try:
        info = os.stat(target)
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise OutputError(str(path), _reason(exc)) from None
    if info is not None:
        if stat.S_ISDIR(info.st_mode):
            raise OutputError(str(path), "đây là một thư mục / it is a folder; give a file name")
        if not stat.S_ISREG(info.st_mode):
            return target
        if not _writable_bits(info.st_mode):
            raise OutputError(str(path), "tệp chỉ đọc / the file is read-only; it is not replaced"
                              " (make it writable, or choose another name)")
    if len(target.name.encode()) > _NAME_MAX:
        raise OutputError(str(path), os.strerror(errno.ENAMETOOLONG))
    parent = target.parent
    if not parent.exists():
        if parent.is_symlink() or any(p.is_file() for p in parent.parents):
            raise OutputError(str(path), os.strerror(errno.ENOTDIR))
        if not mkdir:
            raise OutputError(str(path), f"thư mục {parent} không tồn tại / folder {parent} does not exist"
                              " (check the path, or add --mkdir to create it)")
        try:
            parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OutputError(str(path), _reason(exc)) from None
    elif not parent.is_dir():
        raise OutputError(str(path), os.strerror(errno.ENOTDIR))
    elif not _writable_bits(parent.stat().st_mode) or not os.access(parent, os.W_OK):
        raise OutputError(str(path), f"thư mục chỉ đọc / folder {parent} is read-only")
    return target


@contextmanager
def atomic_open(path: Path, binary: bool = True, mkdir: bool = False) -> Iterator[IO[Any]]:
    """A file to write `path`'s new content to; `path` is replaced by it only when the block completes.

    Text mode (`binary=False`) is UTF-8 with no newline translation. OutputError on any failure, with
    `path` untouched and no temporary file left.
    """
    target = resolve_target(path, mkdir)
    mode, options = ("wb", {}) if binary else ("w", {"encoding": "utf-8", "newline": ""})
    if is_special(target):
        try:
            with open(target, mode, **options) as direct:  # type: ignore[call-overload]
                yield direct
        except OSError as exc:
            raise OutputError(str(path), _reason(exc)) from None
        return
    tmp = target.parent / f"{TEMP_PREFIX}{target.name[:40]}.{secrets.token_hex(4)}.tmp"
    try:
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            try:
                existing = os.stat(target).st_mode
            except FileNotFoundError:
                existing = None
            os.fchmod(fd, stat.S_IMODE(existing) if existing is not None else 0o666 & ~_umask())
            handle: IO[Any] = os.fdopen(fd, mode, **options)  # type: ignore[call-overload]
        except OSError as exc:
            raise OutputError(str(path), _reason(exc)) from None
        try:
            with handle:
                yield handle
        except OSError as exc:
            raise OutputError(str(path), _reason(exc)) from None
        try:
            os.replace(tmp, target)
        except OSError as exc:
            raise OutputError(str(path), _reason(exc)) from None
    finally:
        if os.path.lexists(tmp):
            os.unlink(tmp)


def write_atomic(path: Path, data: bytes, mkdir: bool = False) -> None:
    """`data` to `path` atomically (atomic_open)."""
    with atomic_open(path, binary=True, mkdir=mkdir) as handle:
        handle.write(data)


class Terminated(SystemExit):
    """SIGTERM received: raised in the main thread so that every `finally` (temporary files, worker
    processes) runs before the process ends with 143."""


def _on_sigterm(_signum: int, _frame: FrameType | None) -> None:
    raise Terminated(TERMINATED_EXIT)


def terminate_cleanly() -> None:
    """From now on SIGTERM unwinds the main thread as an exception (Terminated) instead of killing it."""
    signal.signal(signal.SIGTERM, _on_sigterm)


__all__ = ["TEMP_PREFIX", "Terminated", "atomic_open", "is_special", "resolve_target", "terminate_cleanly",
           "write_atomic"]
