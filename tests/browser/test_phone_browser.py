"""Arabic on a phone (390 x 844) in a real browser: the collapsed sidebar leaves the page free (no strip
over the content that catches taps), it opens and closes with its toggle like the left-to-right one,
and the wizard's repeated rows keep their labels once the columns stack. Screenshots of the main pages
in Dutch and Arabic, on a phone and on a desktop, go to tests/artifacts/."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from incubator.core.i18n import translate
from incubator.people import snapshots

from .conftest import ARTIFACTS, new_context, prepared_newcomer, serving, wait_for_app

PASSWORD = "a long enough password"
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}
BROWSER_LOCALE = {"ar": "ar", "nl": "nl-NL"}

# Where the page's content is covered, and what a tap there reaches.
COVERAGE = """() => {
  const box = e => { const r = e.getBoundingClientRect(); return {left: r.left, right: r.right, top: r.top, bottom: r.bottom}; };
  const sidebar = document.querySelector('[data-testid="stSidebar"]');
  const content = document.querySelector('[data-testid="stMainBlockContainer"]');
  const main = box(content), side = box(sidebar), width = window.innerWidth;
  // The sidebar as drawn: its content may overflow a collapsed section of width 0.
  const drawn = box(document.querySelector('[data-testid="stSidebarContent"]'));
  const visible = getComputedStyle(sidebar).visibility !== 'hidden';
  const onScreen = visible && drawn.right > 0 && drawn.left < width;
  const overlap = onScreen && drawn.left < main.right && drawn.right > main.left;
  const y = Math.min(window.innerHeight - 10, main.top + 300);
  const hits = [10, width / 2, width - 10].map(x => {
    const e = document.elementFromPoint(x, y);
    return e === null ? 'nothing' : e.closest('[data-testid="stSidebar"]') ? 'sidebar'
      : e.closest('[data-testid="stMain"]') ? 'main' : e.tagName;
  });
  return {collapsed: sidebar.dataset.collapsed, main, side, drawn, onScreen, overlap, hits, width,
          scrollWidth: document.scrollingElement.scrollWidth};
}"""


@pytest.fixture(scope="module")
def phone_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    """One `streamlit run` for the module's tests (each signs in in a browser context of its own and
    only reads): the mentor, Layla and her inventory (a tailor), whose wizard continues at the
    languages step (a step with repeated rows)."""
    folder = tmp_path_factory.mktemp("phone")
    with prepared_newcomer(folder / "browser.duckdb", "layla", "Layla", password=PASSWORD) as (cur, mentor, record):
        inventory = snapshots.load_inventory(cur, actor=mentor, participant_id=record.participant_id)
        snapshots.save_inventory(cur, actor=mentor, inventory=inventory.step_done("about"))
    with serving(folder) as server:
        yield server


def _coverage(page) -> dict:
    return page.evaluate(COVERAGE)


def assert_content_free(page) -> None:
    """The collapsed sidebar covers no part of the page, and taps on the content reach the content."""
    found = _coverage(page)
    assert found["collapsed"] == "true", found
    assert not found["overlap"] and not found["onScreen"], found
    assert found["hits"] == ["main", "main", "main"], found
    assert found["scrollWidth"] <= found["width"], found  # nothing pushed out sideways to scroll to


def assert_read_aloud_buttons_whole(page) -> None:
    """Every read-aloud button is drawn inside its frame (beside a language's level, in Arabic, its two
    words wrapped below the frame's edge and were cut off)."""
    frames = page.locator('iframe[src^="/app/static/read_aloud.html#"]')
    expect(frames).not_to_have_count(0)
    for handle in frames.element_handles():
        outer, button = handle.bounding_box(), handle.content_frame().locator("button").bounding_box()
        assert outer["x"] - 0.5 <= button["x"] and button["x"] + button["width"] <= outer["x"] + outer["width"] + 0.5, \
            (outer, button)
        assert outer["y"] - 0.5 <= button["y"] and button["y"] + button["height"] <= outer["y"] + outer["height"] + 0.5, \
            (outer, button)


def open_sidebar(page) -> None:
    page.get_by_test_id("stExpandSidebarButton").click()
    expect(page.get_by_test_id("stSidebar")).to_have_attribute("data-collapsed", "false")
    # It slides in for 300 ms; Playwright polls until the slide is over (no fixed sleep).
    page.wait_for_function("() => getComputedStyle(document.querySelector('[data-testid=\"stSidebar\"]'))"
                           ".transform === 'none'")


def close_sidebar(page) -> None:
    page.get_by_test_id("stSidebarCollapseButton").get_by_role("button").click()
    expect(page.get_by_test_id("stSidebar")).to_have_attribute("data-collapsed", "true")
    # Hidden once the slide out is over (right to left), or out of sight to the left (left to right).
    page.wait_for_function("""() => { const s = document.querySelector('[data-testid="stSidebar"]');
      const r = document.querySelector('[data-testid="stSidebarContent"]').getBoundingClientRect();
      return getComputedStyle(s).visibility === 'hidden' || r.right <= 0; }""")


def go_to(page, lang: str, title: str, *, phone: bool) -> None:
    """Open a page through the sidebar, as a person would (on a phone: open the sidebar first)."""
    if phone:
        open_sidebar(page)
    page.get_by_test_id("stSidebarNav").get_by_role("link", name=translate(title, lang), exact=True).click()
    page.locator("h1.page-title").filter(has_text=translate(title, lang)).wait_for()
    wait_for_app(page)
    if phone:  # Streamlit leaves the sidebar open after a page is chosen, in either direction
        close_sidebar(page)


def sign_in_as_layla(page, url: str, lang: str, *, phone: bool) -> None:
    page.goto(url)
    wait_for_app(page)
    go_to(page, lang, "Sign in", phone=phone)
    page.get_by_label(translate("User name", lang)).fill("layla")
    page.get_by_label(translate("Password", lang), exact=True).fill(PASSWORD)
    page.get_by_role("button", name=translate("Sign in", lang), exact=True).click()
    page.get_by_text(translate("Signed in as {username} ({role})", lang, username="layla",
                               role=translate("newcomer", lang))).wait_for(state="attached")
    wait_for_app(page)


def test_arabic_sidebar_on_a_phone_leaves_the_page_free_and_opens_with_its_toggle(phone_server, browser):
    context = new_context(browser, locale="ar", **PHONE)
    phone = context.new_page()
    try:
        phone.goto(phone_server["url"])
        phone.locator("h1.page-title").filter(has_text="فيرسنيلينغ").wait_for()
        wait_for_app(phone)
        assert_content_free(phone)

        open_sidebar(phone)
        opened = _coverage(phone)
        # Open, it comes in from the right edge (right to left) and takes taps where it lies.
        assert abs(opened["drawn"]["right"] - opened["width"]) <= 1 and opened["drawn"]["left"] > 0, opened
        assert opened["hits"][-1] == "sidebar", opened
        close_sidebar(phone)
        assert_content_free(phone)

        sign_in_as_layla(phone, phone_server["url"], "ar", phone=True)
        for title in ("Skills and ambitions", "Profile summary", "Suggestions"):
            go_to(phone, "ar", title, phone=True)
            assert_content_free(phone)
    finally:
        phone.screenshot(path=str(ARTIFACTS / "phone_ar_last_page.png"), full_page=True)
        context.close()


def _row_labels(page) -> list[list[bool]]:
    """For each repeated row on the page: whether each of its fields shows its label."""
    return page.evaluate("""() => [...document.querySelectorAll('[class*="st-key-rows-"]')].map(row =>
      [...row.querySelectorAll('[data-testid="stWidgetLabel"]')].map(label => {
        const r = label.getBoundingClientRect();
        return r.width > 0 && r.height > 0 && getComputedStyle(label).visibility !== 'hidden';
      }))""")


@pytest.mark.parametrize(("lang", "device"), [("nl", "phone"), ("ar", "phone"), ("nl", "desktop"), ("ar", "desktop")])
def test_main_pages_in_dutch_and_arabic_on_a_phone_and_a_desktop(phone_server, browser, lang, device):
    """Screenshots for people to look at; on the way, the checks that hold everywhere: the content is
    free, and repeated rows keep their labels when stacked (on a desktop only the first row shows them).
    One test per language and device, so that the test processes share them out."""
    options = PHONE if device == "phone" else DESKTOP
    is_phone = device == "phone"
    context = new_context(browser, locale=BROWSER_LOCALE[lang], **options)
    view = context.new_page()
    view.set_default_timeout(30_000)
    try:
        view.goto(phone_server["url"])
        view.locator("h1.page-title").wait_for()
        wait_for_app(view)
        view.screenshot(path=str(ARTIFACTS / f"{device}_{lang}_home.png"), full_page=True)
        sign_in_as_layla(view, phone_server["url"], lang, phone=is_phone)

        go_to(view, lang, "Skills and ambitions", phone=is_phone)
        expect(view.locator('[class*="st-key-rows-"]')).to_have_count(3)  # min_rows of this step
        expect(view.locator('[class*="st-key-rows-"] [data-testid="stSelectbox"]')).to_have_count(6)
        assert_read_aloud_buttons_whole(view)
        labels = _row_labels(view)
        assert len(labels) == 3 and all(len(row) == 2 for row in labels), labels
        if is_phone:
            assert all(all(row) for row in labels), labels
            assert_content_free(view)
        else:
            assert labels == [[True, True], [False, False], [False, False]], labels
        view.locator('[class*="st-key-rows-next-"]').first.scroll_into_view_if_needed()
        view.screenshot(path=str(ARTIFACTS / f"{device}_{lang}_wizard_rows.png"), full_page=True)

        go_to(view, lang, "Profile summary", phone=is_phone)
        view.get_by_test_id("stPlotlyChart").first.wait_for()
        view.get_by_test_id("stDataFrame").first.wait_for()
        view.screenshot(path=str(ARTIFACTS / f"{device}_{lang}_profile_summary.png"), full_page=True)

        go_to(view, lang, "Suggestions", phone=is_phone)
        view.get_by_role("button", name=translate("Choose this venture", lang)).nth(4).wait_for()
        wait_for_app(view)
        view.screenshot(path=str(ARTIFACTS / f"{device}_{lang}_suggestions.png"), full_page=True)
    finally:
        context.close()
