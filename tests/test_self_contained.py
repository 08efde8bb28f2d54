"""The repository is self-contained: nothing points at files outside it, and docs/codes.md lists the code lists."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from engine import codes

ROOT = Path(__file__).resolve().parent.parent
# Written as pieces so that this file does not match itself.
OUTSIDE = re.compile("|".join(re.escape(p) for p in ("../" + "shared", "shared/" + "spec", "shared/" + "domain",
                                                       "shared/" + "engine-notes")))


def repository_files() -> list[Path]:
    """Tracked files and new ones not ignored (so the test also sees a file before its first commit)."""
    listed = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"], cwd=ROOT,
                            capture_output=True, check=True).stdout.decode().split("\0")
    return [ROOT / name for name in listed if name and (ROOT / name).is_file()]


def test_nothing_points_outside_the_repository() -> None:
    offenders = []
    for path in repository_files():
        relative = path.relative_to(ROOT)
        if relative.parts[0] == "docs" or relative == Path(__file__).relative_to(ROOT):
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:  # workbooks and other binary files
            continue
        offenders += [f"{relative}:{n}: {line.strip()}" for n, line in enumerate(text.splitlines(), 1)
                      if OUTSIDE.search(line)]
    assert offenders == [], "point at docs/ instead:\n" + "\n".join(offenders)


def test_docs_codes_lists_every_code_of_engine_codes() -> None:
    text = (ROOT / "docs" / "codes.md").read_text(encoding="utf-8")
    rows = set(re.findall(r"^\| `[^`]+` \| .+ \| .+ \|$", text, re.M))
    expected = {f"| `{c.value}` | {c.vi} | {c.en} |" for code_list in codes.ALL.values() for c in code_list.codes}
    assert sorted(expected - rows) == [], "docs/codes.md lacks these rows of engine/codes.py"
    assert sorted(rows - expected) == [], "docs/codes.md has rows that engine/codes.py does not"
