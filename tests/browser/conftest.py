"""Browser tests: Playwright drives Debian's Chromium against `streamlit run` on a free loopback
port. Without the browser they fail under CI=true and are skipped only on a developer's machine."""

from __future__ import annotations

import os
import queue
import shutil
import socket
import subprocess
import sys
import threading
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run",
]


# Streamlit slides its sidebar in and out and fades elements (CSS transitions and animations of 0.2 to
# 0.5 s). The tests turn them off in every browser context they open: each wait for a slide to end
# became a wait for nothing, about a third of an audit's time, and what is checked (what the page
# shows once it is still, where it lies, what a tap reaches) is the same.
NO_MOTION = """document.addEventListener('DOMContentLoaded', () => {
  const style = document.createElement('style');
  style.textContent = '*, *::before, *::after { transition: none !important; animation: none !important; }';
  document.head.appendChild(style);
});"""


def new_context(browser, **options):
    """A browser context (its own cookies: another person) with motion turned off (NO_MOTION)."""
    context = browser.new_context(**options)
    context.add_init_script(NO_MOTION)
    return context


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


def _copy_output(server: subprocess.Popen, log_path: Path, lines: queue.Queue) -> None:
    """Copy the server's output to its log (so the pipe never fills) and pass each line on; None at
    the end of the output."""
    with log_path.open("w", encoding="utf-8") as log:
        for line in server.stdout:
            log.write(line)
            log.flush()
            lines.put(line)
    lines.put(None)


def _wait_until_serving(server: subprocess.Popen, log_path: Path, url: str, *, within_s: float = 120) -> None:
    """Wait for the line Streamlit prints once it listens (no polling, no pause), then check health.
    Fails at once when the server ends first, and after `within_s` when it never says so."""
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=_copy_output, args=(server, log_path, lines), daemon=True).start()
    while True:
        try:
            line = lines.get(timeout=within_s)
        except queue.Empty:
            pytest.fail(f"streamlit did not start within {within_s:.0f} s; see {log_path}")
        if line is None:
            pytest.fail(f"streamlit ended before it served (exit status {server.wait()}); see {log_path}")
        if "URL:" in line:
            break
    with urllib.request.urlopen(f"{url}/_stcore/health", timeout=30) as response:
        assert response.status == 200


@contextmanager
def serving(tmp_path: Path, *options: str, port: int | None = None) -> Iterator[dict]:
    """`streamlit run` on a fresh database, with extra command-line options; the URL and paths."""
    port = port or _free_port()
    db_path = tmp_path / "browser.duckdb"
    log_path = tmp_path / "streamlit.log"
    env = dict(os.environ, INCUBATOR_DB=str(db_path), STREAMLIT_BROWSER_GATHER_USAGE_STATS="false",
               PYTHONUNBUFFERED="1")  # each line of output as it is printed, not when a buffer fills
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "streamlit_app.py", "--server.headless", "true",
         "--server.port", str(port), "--server.address", "127.0.0.1", *options],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, encoding="utf-8",
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_serving(server, log_path, url)
        yield {"url": url, "db_path": db_path, "log": log_path}
    finally:
        # The database goes with tmp_path: a server still busy with a script run may be killed.
        server.terminate()
        try:
            server.wait(timeout=3)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


@pytest.fixture
def app_server(tmp_path: Path) -> Iterator[dict]:
    """`streamlit run` on a fresh database; yields the URL and the database path."""
    with serving(tmp_path) as server:
        yield server


@pytest.fixture(scope="module")
def browser(chromium_path: str) -> Iterator:
    """Debian's Chromium, started once for a test module (each test opens its own contexts: its own
    cookies and storage, as another person's browser would be). Stopped at the module's end, so no
    Playwright event loop outlives the browser tests of a test process."""
    from playwright.sync_api import expect, sync_playwright

    # expect() waits 5 s by default; a loaded machine draws a chart or a rerun more slowly.
    expect.set_options(timeout=30_000)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def page(browser, request: pytest.FixtureRequest):
    """A Playwright page in a new context of the module's Chromium; a screenshot is saved when the
    test ends."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    context = new_context(browser, viewport={"width": 1280, "height": 900}, locale="en-GB")
    browser_page = context.new_page()
    browser_page.set_default_timeout(30_000)
    try:
        yield browser_page
    finally:
        browser_page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
        context.close()


@contextmanager
def prepared_newcomer(db_path: Path, username: str, display_name: str, *, password: str) -> Iterator[tuple]:
    """Before the server first opens the file: market data, an administrator (first-admin), a mentor
    (mentor-sara) and a newcomer whose account a manager bound to their record, with a saved inventory
    (a tailor). Yields (cursor, mentor, record) for what a test adds; closes the file after it."""
    from incubator.accounts import users
    from incubator.core import db
    from incubator.core.access import COMMAND_LINE_ADMIN, COMMAND_LINE_MANAGER
    from incubator.market import seed
    from incubator.people import participants, snapshots
    from incubator.people.profile import Profile
    from tests.support.scoring import TAILOR

    con = db.connect(db_path)
    try:
        cur = con.cursor()
        seed.load_market_data(cur)
        users.create_user(cur, actor=COMMAND_LINE_ADMIN, username="first-admin", password=password, role="admin")
        mentor = users.get_actor(cur, users.create_user(cur, actor=COMMAND_LINE_ADMIN, username="mentor-sara",
                                                        password=password, role="mentor"))
        newcomer = users.create_user(cur, actor=COMMAND_LINE_ADMIN, username=username, password=password,
                                     role="newcomer")
        record = participants.create_participant(cur, actor=mentor, display_name=display_name)
        # Only a manager binds a newcomer's account to a record (issue 9).
        participants.link_owner(cur, actor=COMMAND_LINE_MANAGER, participant_id=record.participant_id,
                                owner_user_id=newcomer)
        snapshots.save_profile(cur, actor=mentor, profile=Profile.from_dict(
            TAILOR | {"id": record.participant_id, "display_name": display_name}))
        yield cur, mentor, record
    finally:
        con.close()


def wait_for_app(page) -> None:
    """Wait until Streamlit has finished the current script run: the app marks its root with the
    script's state, and the status widget is gone. No fixed pause: what a test checks next, it
    checks with Playwright's waiting assertions (expect, wait_for)."""
    page.locator("[data-testid='stApp'][data-test-script-state='notRunning']").wait_for()
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')")


def setup_token(db_path: Path) -> str:
    """The setup token that the server wrote beside its database at start (a fresh installation)."""
    from incubator.accounts import setup

    return setup.token_file_for(db_path).read_text(encoding="utf-8").strip()


def create_admin_and_sign_in(page, server: dict, username: str = "first-admin",
                             password: str = "a long enough password") -> None:
    """On a fresh installation: create the first administrator with the setup token, then sign in."""
    page.goto(server["url"])
    page.get_by_label("Setup token").fill(setup_token(server["db_path"]))
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_label("Repeat the password").fill(password)
    page.get_by_role("button", name="Create administrator").click()
    page.get_by_text(f"The administrator {username} was created. Sign in now.").wait_for()
    fill_sign_in_form(page, username, password)


def fill_sign_in_form(page, username: str, password: str, *, expect_signed_in: bool = True) -> None:
    """The sign-in form on the page shown now (English): posted to the sign-in route, which sets the
    session cookie and loads the page asked for."""
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in", exact=True).click()
    if expect_signed_in:
        page.get_by_text(f"Signed in as {username}").wait_for()


def sign_in(page, username: str, password: str) -> None:
    """Sign in through the sidebar's sign-in page (English interface)."""
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Sign in", exact=True).click()
    fill_sign_in_form(page, username, password)
