"""`make bench-pages` (a step of `make bench`): how many A4 pages a 41-person shortlist prints on.

The set: the demo province (fixtures/demo, copied to a temp folder, the demo itself unchanged) with one
more course, a knowledge-update course (cap-nhat-kien-thuc) of capacity 41, whose shortlist has exactly
41 nominees. `dtbd shortlist --format xlsx` and `--format docx` are printed to PDF by LibreOffice
(headless) and their pages counted with pdfinfo (the workbook whole, and its list sheet alone: the other
sheets — reserves, excluded, … — print as forms of their own); the page-1 text (pdftotext) must hold the whole title,
which is not split over two pages. Issue 17 asks for at most 4 A4 landscape pages. The pages depend on the
font LibreOffice prints Times New Roman with: the font itself or a metric-compatible one (Liberation
Serif, Debian package fonts-liberation); a wider substitute (DejaVu Serif) prints more pages. The font
used is recorded. The counts go to
bench/pages.json. Without LibreOffice or poppler-utils it says so and writes nothing.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import openpyxl
import yaml

from bench.office import available, page_text, pages, to_pdf

ROOT = Path(__file__).resolve().parent.parent
DTBD = [sys.executable, "-m", "cli"]
COURSE = {"id": "BENCH-41", "programme": "cap-nhat-kien-thuc", "start": "2026-12-07", "end": "2026-12-11",
          "capacity": 41, "mode": "tap-trung", "provider": "Trường Chính trị tỉnh Sông Hồng",
          "title": "Bồi dưỡng, cập nhật kiến thức năm 2026 (41 học viên)"}
NOMINEES = 41
MAX_PAGES = 4
# the whole title, as the form writes it (capitals; cli.xlsx_form): on page 1, in one piece
TITLE = "DANH SÁCH ĐỀ CỬ KHÓA BENCH-41 — BỒI DƯỠNG, CẬP NHẬT KIẾN THỨC (QUY ĐỊNH 145-QĐ/TW)"


def shortlist_set(folder: Path) -> Path:
    """The demo with the 41-seat course, in `folder`."""
    data = folder / "data"
    shutil.copytree(ROOT / "fixtures" / "demo", data)
    with open(data / "courses.yaml", "a", encoding="utf-8") as courses:
        courses.write(yaml.safe_dump([COURSE], allow_unicode=True, sort_keys=False))
    return data


def _dtbd(*args: str) -> str:
    return subprocess.run([*DTBD, *args], check=True, capture_output=True, text=True, cwd=ROOT).stdout


def measure(folder: Path) -> dict[str, Any]:
    """The shortlist written as xlsx and docx, printed, its pages counted; the title checked."""
    data = shortlist_set(folder)
    common = ["shortlist", "--course", str(COURSE["id"]), "--data", str(data), "--reserves", "0"]
    nominees = len(json.loads(_dtbd(*common, "--json"))["nominees"])
    if nominees != NOMINEES:
        raise RuntimeError(f"the bench course has {nominees} nominees, not {NOMINEES}")
    font = subprocess.run(["fc-match", "Times New Roman"], capture_output=True, text=True).stdout.strip()
    result: dict[str, Any] = {"nominees": nominees, "max_pages": MAX_PAGES, "font": font}
    for fmt in ("xlsx", "docx"):
        document = folder / f"shortlist.{fmt}"
        _dtbd(*common, "--format", fmt, "--output", str(document))
        pdf = to_pdf(document, folder / fmt)
        first = " ".join(page_text(pdf, 1).split())
        result[fmt] = {"pages": pages(pdf), "title_on_page_1": TITLE in first}
    # the workbook prints every sheet (reserves, conditional, … each a form, empty or not): the list alone
    list_only = folder / "list" / "shortlist.xlsx"
    list_only.parent.mkdir()
    book = openpyxl.load_workbook(folder / "shortlist.xlsx")
    for sheet in book.worksheets[1:]:
        book.remove(sheet)
    book.save(list_only)
    result["xlsx"]["list_pages"] = pages(to_pdf(list_only, folder / "list"))
    return result


def main() -> int:
    missing = available()
    if missing:
        print(f"bench.pages: bỏ qua — thiếu {missing} (LibreOffice, poppler-utils) / skipped: {missing} not installed")
        return 0
    with tempfile.TemporaryDirectory(prefix="dtbd-pages-") as tmp:
        result = measure(Path(tmp))
    (ROOT / "bench" / "pages.json").write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n",
                                               encoding="utf-8")
    xlsx, docx = result["xlsx"], result["docx"]
    print(f"  shortlist of {result['nominees']}: xlsx list sheet {xlsx['list_pages']} A4 pages (whole workbook "
          f"{xlsx['pages']}), docx {docx['pages']} pages; title whole on page 1: xlsx {xlsx['title_on_page_1']}, "
          f"docx {docx['title_on_page_1']}")
    fits = xlsx["list_pages"] <= MAX_PAGES and docx["pages"] <= MAX_PAGES and xlsx["title_on_page_1"] \
        and docx["title_on_page_1"]
    return 0 if fits else 1


if __name__ == "__main__":
    raise SystemExit(main())
