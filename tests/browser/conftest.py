"""Browser tests: Playwright drives Debian's Chromium against `streamlit run` on a free loopback
port. Without the browser they fail under CI=true and are skipped only on a developer's machine."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run",
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def chromium_path() -> str:
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        message = "Debian's chromium is not installed (apt-get install -y chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium")


@pytest.fixture
def app_server(tmp_path: Path) -> Iterator[dict]:
    """`streamlit run` on a fresh database; yields the URL and the database path."""
    port = _free_port()
    db_path = tmp_path / "browser.duckdb"
    env = dict(os.environ, INCUBATOR_DB=str(db_path), STREAMLIT_BROWSER_GATHER_USAGE_STATS="false")
    log = (tmp_path / "streamlit.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "streamlit_app.py", "--server.headless", "true",
         "--server.port", str(port), "--server.address", "127.0.0.1"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    break
        except OSError:
            time.sleep(0.3)
    else:
        server.kill()
        pytest.fail(f"streamlit did not start; see {tmp_path / 'streamlit.log'}")
    try:
        yield {"url": url, "db_path": db_path, "log": tmp_path / "streamlit.log"}
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


@pytest.fixture
def page(chromium_path: str, request: pytest.FixtureRequest):
    """A Playwright page in Debian's Chromium; a screenshot is saved when the test ends."""
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
        browser_page = context.new_page()
        browser_page.set_default_timeout(30_000)
        try:
            yield browser_page
        finally:
            browser_page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
            context.close()
            browser.close()


def wait_for_app(page) -> None:
    """Wait until Streamlit has finished the current script run."""
    page.wait_for_selector("[data-testid='stApp']")
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"
    )
    page.wait_for_timeout(300)


def create_admin_and_sign_in(page, url: str, username: str = "first-admin", password: str = "a long enough password") -> None:
    """On a fresh installation: create the first administrator (which signs them in)."""
    page.goto(url)
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_label("Repeat the password").fill(password)
    page.get_by_role("button", name="Create administrator").click()
    page.get_by_text(f"Signed in as {username}").wait_for()


def sign_in(page, username: str, password: str) -> None:
    """Sign in through the sidebar's sign-in page (English interface)."""
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Sign in", exact=True).click()
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_text(f"Signed in as {username}").wait_for()
