"""Browser tests: Playwright drives the system's Chromium against a real server on loopback.

They run whenever a Chromium is installed (Debian package `chromium`, or DTBD_CHROMIUM=path) and skip,
saying so, only when none is. With DTBD_SCREENSHOTS=DIR each page is saved there (docs/web for the README).
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from tests.web.conftest import OUT_OF_SCOPE, demo_xlsx

CHROMIUM = os.environ.get("DTBD_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="no Chromium on this machine (apt-get install chromium):"
                                " the browser tests did not run")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
SHOTS = os.environ.get("DTBD_SCREENSHOTS")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def server(seeded: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    import uvicorn

    from web.app import create_app
    from web.state import Settings

    root = tmp_path_factory.mktemp("browser") / "store"
    shutil.copytree(seeded, root)
    app = create_app(Settings(root))
    port = _free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    uv = uvicorn.Server(config)
    thread = threading.Thread(target=uv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not uv.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    uv.should_exit = True
    thread.join(timeout=10)
    app.state.dtbd.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


def _shot(page: Page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"))


def _login(browser: Browser, server: str, role: str) -> Page:
    context = browser.new_context(viewport={"width": 1200, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.goto(f"{server}/login")
    page.fill("input[name=name]", role)
    page.fill("input[name=password]", f"pw-{role}-secret")
    page.click("button[type=submit]")
    page.wait_for_url(f"{server}/")
    return page


def test_search_a_person_and_open_why(browser: Browser, server: str) -> None:
    page = _login(browser, server, "board")
    page.click("text=Tra cứu")
    page.fill("input[name=q]", "tran quoc hung")
    page.click("button[type=submit]")
    _shot(page, "tra-cuu")
    page.click(f"a[href='/people/{OUT_OF_SCOPE}'] >> nth=0")
    page.wait_for_url(f"{server}/people/{OUT_OF_SCOPE}")
    details = page.locator("details").first
    trace = details.locator("pre.trace")
    assert not trace.is_visible()  # closed until asked: a <details>, no script
    details.locator("summary").click()
    assert trace.is_visible()
    text = trace.inner_text()
    # the decision trace as `dtbd check --explain` prints it: the rule and version chosen, each condition with
    # its outcome, and the records it came from
    assert text.startswith("Quy tắc ") and ("→ đúng" in text or "→ sai" in text) and "←" in text
    assert "Điều" in details.inner_text() or "Nghị định" in details.inner_text()
    _shot(page, "nguoi")
    trace.scroll_into_view_if_needed()
    _shot(page, "vi-sao")


def test_eligibility_form(browser: Browser, server: str) -> None:
    page = _login(browser, server, "board")
    page.goto(f"{server}/people/CB0001")
    page.fill("input[name=position]", "SNV-GD")
    page.fill("input[name=on]", "2026-12-01")
    page.click("#eligibility button[type=submit]")
    assert page.locator("#verdict").inner_text() == "CHƯA ĐỦ điều kiện"
    way = page.locator("#way").inner_text()  # the way to eligibility, as `check --for-position` says it
    assert "Lộ trình: Đủ điều kiện từ 01/10/2027 sau khi học K26-CVC-02 và K27-CVCC-01" in way
    page.locator("#way").scroll_into_view_if_needed()
    _shot(page, "kiem-tra-bo-nhiem")


def test_upload_a_bad_then_a_good_workbook(browser: Browser, server: str, tmp_path: Path) -> None:
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(demo_xlsx(tmp_path, ("birth_date", "1985-02-30")))
    good = tmp_path / "good.xlsx"
    good.write_bytes(demo_xlsx(tmp_path))
    page = _login(browser, server, "admin")
    page.goto(f"{server}/data")
    page.set_input_files("input[name=file]", str(bad))
    page.click("form[action='/data/upload'] button")
    table = page.locator("#upload-errors table")
    assert "birth_date" in table.inner_text()
    _shot(page, "du-lieu-loi")
    page.set_input_files("input[name=file]", str(good))
    page.fill("input[name=name]", "Tỉnh thử (trình duyệt)")
    page.click("form[action='/data/upload'] button")
    assert "Tỉnh thử (trình duyệt)" in page.locator("table").first.inner_text()
    assert page.locator("#stored").is_visible()
    _shot(page, "du-lieu")
    page.goto(f"{server}/admin")
    _shot(page, "quan-tri")


def test_unit_user_cannot_find_another_units_person(browser: Browser, server: str) -> None:
    page = _login(browser, server, "unit")
    page.goto(f"{server}/people?q=Trần+Quốc+Hưng")
    assert OUT_OF_SCOPE not in page.content()
    response = page.goto(f"{server}/people/{OUT_OF_SCOPE}")
    assert response.status == 404
    assert "Không tìm thấy" in page.inner_text("h1")


def test_rules_page(browser: Browser, server: str) -> None:
    page = _login(browser, server, "auditor")
    page.goto(f"{server}/rules")
    _shot(page, "quy-tac")
    page.click("tbody a >> nth=0")
    assert "Các phiên bản" in page.inner_text("main")


def _settled(page: Page, url: str) -> None:
    """Open a page of whole-population work; it reloads itself (meta refresh) until the result is there.

    The background job takes seconds on the demo; the wait is long so that a loaded machine (two suites at
    once on two cores) does not fail it: this is not a speed test (make bench-web is)."""
    deadline = time.monotonic() + 300
    page.goto(url)
    while page.locator("#working").count() and time.monotonic() < deadline:
        time.sleep(1)
        page.goto(url)
    assert not page.locator("#working").count(), f"{url} still working after five minutes"


def test_download_a_shortlist_and_open_it(browser: Browser, server: str, tmp_path: Path) -> None:
    import openpyxl

    page = _login(browser, server, "board")
    _settled(page, f"{server}/courses/K27-TC-TT-01")
    assert "K27-TC-TT-01" in page.inner_text("h1")
    _shot(page, "khoa-hoc-danh-sach")
    link = page.locator("#download")
    href = link.get_attribute("href")
    assert href
    # The file is made by the worker: the first click may get the progress page, so ask until it is a file.
    deadline = time.monotonic() + 120
    while True:
        response = page.request.get(f"{server}{href}")
        if response.status == 200 or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert response.status == 200
    with page.expect_download() as download:
        link.click()
    saved = tmp_path / "danh-sach.xlsx"
    download.value.save_as(saved)
    book = openpyxl.load_workbook(saved)
    assert any("K27-TC-TT-01" in str(cell.value) for sheet in book for row in sheet.iter_rows() for cell in row
               if cell.value)


def test_population_pages(browser: Browser, server: str) -> None:
    page = _login(browser, server, "auditor")
    for url, name in (("/plan", "ke-hoach"), ("/audit", "thanh-tra"), ("/readiness", "san-sang"),
                      ("/courses", "khoa-hoc"), ("/", "tong-quan"), ("/api", "api")):
        _settled(page, f"{server}{url}")
        assert page.locator("h1").is_visible()
        _shot(page, name)
