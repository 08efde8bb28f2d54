"""Writing files (issue 14.5, 14.6): every output error is one message and exit 1, the target untouched;
permissions, links, special files and missing folders are handled as a user expects (engine.atomic)."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli.main import cli
from engine.atomic import atomic_open, resolve_target, write_atomic
from engine.errors import OutputError

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "fixtures" / "demo"


def validate(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["validate", "--data", str(DEMO), *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


def assert_refused(code: int, output: str, name: str) -> None:
    assert code == 1
    assert "Traceback" not in output
    assert "không ghi được / cannot write" in output and name in output


def test_a_folder_as_output_is_refused(tmp_path: Path) -> None:
    code, out = validate("--output", str(tmp_path))
    assert_refused(code, out, str(tmp_path))


def test_an_empty_path_is_refused() -> None:
    code, out = validate("--output", "")
    assert code == 1 and "cannot write" in out and "Traceback" not in out


def test_a_parent_that_is_a_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    code, out = validate("--output", str(tmp_path / "file" / "out.txt"))
    assert_refused(code, out, "out.txt")
    assert (tmp_path / "file").read_text() == "x"


def test_a_name_too_long_is_refused(tmp_path: Path) -> None:
    code, out = validate("--output", str(tmp_path / ("x" * 300)))
    assert_refused(code, out, "xxx")
    assert list(tmp_path.iterdir()) == []


def test_a_read_only_folder_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        code, out = validate("--output", str(folder / "out.txt"))
    finally:
        folder.chmod(0o755)
    assert_refused(code, out, "out.txt")
    assert list(folder.iterdir()) == []


def test_a_read_only_file_is_refused_not_replaced(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    target.write_text("keep")
    target.chmod(0o444)
    code, out = validate("--output", str(target))
    assert_refused(code, out, "out.txt")
    assert target.read_text() == "keep" and stat.S_IMODE(target.stat().st_mode) == 0o444
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_disk_full_is_a_message(tmp_path: Path) -> None:
    code, out = validate("--output", "/dev/full")
    assert_refused(code, out, "/dev/full")


def test_a_missing_folder_is_an_error_unless_mkdir(tmp_path: Path) -> None:
    target = tmp_path / "typo" / "deeper" / "out.txt"
    code, out = validate("--output", str(target))
    assert_refused(code, out, "out.txt")
    assert "--mkdir" in out and not (tmp_path / "typo").exists()
    code, _ = validate("--mkdir", "--output", str(target))
    assert code == 0 and target.read_text(encoding="utf-8").startswith("Bộ dữ liệu")


def test_a_new_file_gets_the_umask_and_a_replaced_file_keeps_its_mode(tmp_path: Path) -> None:
    old = os.umask(0o027)
    try:
        write_atomic(tmp_path / "new.txt", b"a")
        replaced = tmp_path / "kept.txt"
        replaced.write_bytes(b"old")
        replaced.chmod(0o604)
        write_atomic(replaced, b"new")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "new.txt").stat().st_mode) == 0o640
    assert stat.S_IMODE(replaced.stat().st_mode) == 0o604 and replaced.read_bytes() == b"new"


def test_a_symlink_is_written_through(tmp_path: Path) -> None:
    real = tmp_path / "real.txt"
    real.write_text("old")
    link = tmp_path / "link.txt"
    link.symlink_to(real)
    code, _ = validate("--output", str(link))
    assert code == 0 and link.is_symlink() and real.read_text(encoding="utf-8").startswith("Bộ dữ liệu")


def test_a_failed_write_leaves_the_target_and_no_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    target.write_text("keep")
    with pytest.raises(RuntimeError), atomic_open(target) as handle:
        handle.write(b"half")
        raise RuntimeError("interrupted")
    assert target.read_text() == "keep" and [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_resolve_target_names_the_reason(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="does not exist"):
        resolve_target(tmp_path / "missing" / "x.txt")
    assert resolve_target(tmp_path / "made" / "x.txt", mkdir=True) == (tmp_path / "made" / "x.txt").resolve()


def _run(*args: str, **options: object) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "cli", *args], cwd=ROOT, capture_output=True, check=False,
                          **options)  # type: ignore[call-overload, no-any-return]


def test_a_stdout_that_cannot_be_written_is_a_message() -> None:
    with open("/dev/full", "wb") as full:
        done = subprocess.run([sys.executable, "-m", "cli", "validate"], cwd=ROOT, stdout=full,
                              stderr=subprocess.PIPE, check=False)
    err = done.stderr.decode()
    assert done.returncode == 1 and "Traceback" not in err and "cannot write <stdout>" in err


def test_a_console_that_cannot_show_vietnamese_gets_utf8_and_a_note() -> None:
    done = _run("validate", env={**os.environ, "PYTHONIOENCODING": "ascii"})
    assert done.returncode == 0 and "Traceback" not in done.stderr.decode("utf-8")
    assert "Bộ dữ liệu" in done.stdout.decode("utf-8") and "note:" in done.stderr.decode("utf-8")
