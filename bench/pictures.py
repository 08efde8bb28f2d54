"""`make pictures`: the pictures of docs/bieu-mau/ (README, "Báo cáo và biểu mẫu"), one page of each main
document as printed: each is written by `dtbd` from a demo dataset, printed to PDF by LibreOffice
(headless), and one page rendered at 110 dpi with pdftoppm, cropped to its content (bench.office).

A workbook prints every sheet: the page shown is the first whose text holds the sheet's title. The
provenance footer is dated by SOURCE_DATE_EPOCH (fixed here), so the pictures change only when the
documents do. Without LibreOffice or poppler-utils it says so and writes nothing.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.office import available, page_png, page_text, pages, to_pdf

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "bieu-mau"
DTBD = [sys.executable, "-m", "cli"]
DPI = 110
EPOCH = "1795392000"  # 2026-11-23 00:00 UTC: the demos' evaluation date
DEMO, DONG_NAI, THANH_HOA = (str(ROOT / "fixtures" / name) for name in ("demo", "demo-dong-nai", "demo-thanh-hoa"))
# picture -> (the dtbd command, the format, the text that marks its page: None for page 1)
DOCUMENTS: dict[str, tuple[list[str], str, str | None]] = {
    "shortlist": (["shortlist", "--course", "K27-CC-KTT-01", "--data", DONG_NAI], "xlsx", None),
    "plan": (["plan", "--year", "2027", "--data", DONG_NAI], "xlsx", "PHÂN BỔ THEO ĐƠN VỊ"),
    "phu-luc": (["report", "phu-luc", "--years", "2027-2029", "--data", DONG_NAI], "xlsx", None),
    "phu-luc-ngoai-ngu": (["report", "phu-luc", "--years", "2027-2029", "--data", DONG_NAI], "xlsx",
                          "PHỤ LỤC HỌC TẬP NGOẠI NGỮ"),
    "audit": (["audit", "--data", DEMO], "docx", None),
    "targets": (["targets", "--data", THANH_HOA], "xlsx", None),
    "phieu": (["check", "CB0301", "--for-position", "SNV-GD", "--on", "2026-12-01", "--data", DEMO], "docx", None),
}


def page_of(pdf: Path, marker: str | None) -> int:
    """The first page whose text holds `marker` (1 without one)."""
    if marker is None:
        return 1
    for page in range(1, pages(pdf) + 1):
        if marker in " ".join(page_text(pdf, page).split()):
            return page
    raise RuntimeError(f"{marker!r} is on no page of {pdf}")


def render(name: str, folder: Path) -> Path:
    """One picture: the document written, printed, its page rendered into docs/bieu-mau/NAME.png."""
    command, fmt, marker = DOCUMENTS[name]
    document = folder / f"{name}.{fmt}"
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}
    subprocess.run([*DTBD, *command, "--format", fmt, "--output", str(document)], check=True, capture_output=True,
                   cwd=ROOT, env=env)
    pdf = to_pdf(document, folder / name)
    return page_png(pdf, page_of(pdf, marker), OUT / f"{name}.png", DPI)


def main() -> int:
    missing = available()
    if missing:
        print(f"bench.pictures: bỏ qua — thiếu {missing} (LibreOffice, poppler-utils) / skipped: {missing} not "
              "installed")
        return 0
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="dtbd-pictures-") as tmp:
        for name in DOCUMENTS:
            print(f"  {render(name, Path(tmp)).relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
