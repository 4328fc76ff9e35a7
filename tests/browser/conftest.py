"""Playwright driving Debian's Chromium; never a browser downloaded by Playwright."""

import os
from pathlib import Path

import pytest

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = Path(os.environ.get("NEWSROOM_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.path).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        message = (
            f"browser tests need Debian's Chromium at {CHROMIUM} "
            "(apt-get install chromium)"
        )
        if os.environ.get("NEWSROOM_REQUIRE_BROWSER") == "1":
            pytest.fail(f"NEWSROOM_REQUIRE_BROWSER=1 but {message}")
        pytest.skip(f"skipped: {message}")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls the
    # tests make around it are still synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


class RecordedPage:
    """A browser page that records every request leaving the live server."""

    def __init__(self, page, origin: str) -> None:
        self.page = page
        self.external_requests: list[str] = []
        page.on(
            "request",
            lambda request: (
                None
                if request.url.startswith((origin, "data:", "about:"))
                else self.external_requests.append(request.url)
            ),
        )


@pytest.fixture
def recorded_page(browser, live_server):
    context = browser.new_context(locale="ko-KR")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield RecordedPage(page, live_server.url)
    context.close()


@pytest.fixture(scope="session")
def axe_source() -> str:
    """Return axe-core's script (from npm), for pages to run."""
    if not AXE.exists():
        message = f"the accessibility tests need axe-core at {AXE} (run `npm ci`)"
        if os.environ.get("NEWSROOM_REQUIRE_BROWSER") == "1":
            pytest.fail(f"NEWSROOM_REQUIRE_BROWSER=1 but {message}")
        pytest.skip(f"skipped: {message}")
    return AXE.read_text(encoding="utf-8")
