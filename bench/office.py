"""LibreOffice and poppler for the benchmarks of printed documents (bench.pages, bench.pictures): convert an
office file to PDF, count its pages, read a page's text, render a page to PNG. Each returns None (and the
caller says so plainly) when the tool is not installed."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

TIMEOUT = 300


def available() -> str | None:
    """What is missing to print documents here ("" when nothing is), as a plain message."""
    missing = [tool for tool in ("libreoffice", "pdfinfo", "pdftotext", "pdftoppm") if shutil.which(tool) is None]
    return ", ".join(missing)


def to_pdf(document: Path, folder: Path) -> Path:
    """`document` printed to PDF by LibreOffice (headless, its own profile: other runs may be open)."""
    with tempfile.TemporaryDirectory(prefix="dtbd-lo-") as profile:
        subprocess.run(["libreoffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                        "--outdir", str(folder), str(document)], check=True, capture_output=True, timeout=TIMEOUT)
    pdf = folder / f"{document.stem}.pdf"
    if not pdf.is_file():
        raise RuntimeError(f"LibreOffice wrote no PDF for {document}")
    return pdf


def pages(pdf: Path) -> int:
    """The number of pages of `pdf` (pdfinfo)."""
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def page_text(pdf: Path, page: int) -> str:
    """The text of one page (pdftotext, layout kept)."""
    return subprocess.run(["pdftotext", "-layout", "-f", str(page), "-l", str(page), str(pdf), "-"], check=True,
                          capture_output=True, text=True).stdout


# The footer's band at the foot of a page ("Trang N/M", the provenance line), left out of a picture: the
# bottom margin is 20 mm (Nghị định 30/2020/NĐ-CP), the footer sits in it.
FOOTER_PT = 45.0


def content_box(pdf: Path, page: int, margin: float = 14.0) -> tuple[float, float, float, float]:
    """The box (points: left, top, right, bottom) around the words of a page, widened by `margin`
    (pdftotext -bbox): what a picture of the page keeps."""
    xml = subprocess.run(["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(pdf), "-"], check=True,
                         capture_output=True, text=True).stdout
    size = re.search(r'<page width="([0-9.]+)" height="([0-9.]+)"', xml)
    words = [tuple(map(float, m)) for m in re.findall(
        r'xMin="([0-9.]+)" yMin="([0-9.]+)" xMax="([0-9.]+)" yMax="([0-9.]+)"', xml)]
    if size is None or not words:
        raise RuntimeError(f"no text on page {page} of {pdf}")
    width, height = float(size.group(1)), float(size.group(2))
    words = [w for w in words if w[1] < height - FOOTER_PT] or words  # the page footer is not the document
    return (max(0.0, min(w[0] for w in words) - margin), max(0.0, min(w[1] for w in words) - margin),
            min(width, max(w[2] for w in words) + margin), min(height, max(w[3] for w in words) + margin))


def page_png(pdf: Path, page: int, out: Path, dpi: int = 110) -> Path:
    """One page of `pdf` as a PNG at `dpi`, cropped to its content (pdftoppm -x -y -W -H)."""
    left, top, right, bottom = (round(v * dpi / 72) for v in content_box(pdf, page))
    subprocess.run(["pdftoppm", "-r", str(dpi), "-f", str(page), "-l", str(page), "-x", str(left), "-y", str(top),
                    "-W", str(right - left), "-H", str(bottom - top), "-png", "-singlefile", str(pdf),
                    str(out.with_suffix(""))], check=True, capture_output=True)
    return out
