"""The foundation in a real browser: first administrator, sign in, Arabic right to left, sign out."""

from playwright.sync_api import expect

from .conftest import create_admin_and_sign_in, sign_in, wait_for_app


def test_first_admin_sign_in_arabic_and_sign_out(app_server, page):
    url = app_server["url"]
    create_admin_and_sign_in(page, url, "first-admin", "a long enough password")

    # Sign out, then sign in again with the new account.
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_text("Signed in as first-admin")).to_have_count(0)
    sign_in(page, "first-admin", "a long enough password")

    # Switch the language to Arabic: the heading is translated and the layout runs right to left.
    page.get_by_test_id("stSidebar").get_by_role("combobox").click()
    page.get_by_role("option", name="العربية").click()
    heading = page.locator("h1.page-title")
    heading.filter(has_text="فيرسنيلينغ").wait_for()
    assert heading.get_attribute("dir") == "rtl"
    assert heading.get_attribute("lang") == "ar"
    direction = page.evaluate(
        "() => getComputedStyle(document.querySelector('[data-testid=\"stMain\"]')).direction"
    )
    assert direction == "rtl"
    page.screenshot(path=str(__import__("pathlib").Path(__file__).parents[1] / "artifacts" / "home_arabic.png"))

    page.get_by_role("button", name="تسجيل الخروج").click()
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="تسجيل الدخول", exact=True).wait_for()
    wait_for_app(page)
    # Playwright's expect retries until the rerun after sign-out has replaced the sidebar.
    expect(page.get_by_text("first-admin")).to_have_count(0)
