"""The foundation in a real browser: the first administrator only with the setup token (two browsers
at once make one), a session that survives a reload, a new tab and a deep link, Arabic right to left,
and a sign-out that ends the session in every tab."""

from playwright.sync_api import expect

from incubator.core.i18n import translate

from .conftest import fill_sign_in_form, new_context, setup_token, wait_for_app

PASSWORD = "a long enough password"


def _fill_first_admin(page, server: dict, username: str) -> None:
    page.goto(server["url"])
    page.get_by_label("Setup token").fill(setup_token(server["db_path"]))
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Repeat the password").fill(PASSWORD)


def test_first_admin_then_a_session_that_survives_reload_tab_and_deep_link(app_server, page):
    url = app_server["url"]
    # Two browsers on the fresh installation submit the form with the token at the same moment.
    other_browser = new_context(page.context.browser, locale="en-GB")
    other = other_browser.new_page()
    _fill_first_admin(page, app_server, "first-admin")
    _fill_first_admin(other, app_server, "second-admin")
    for browser_page in (page, other):
        browser_page.get_by_role("button", name="Create administrator").click()
    for browser_page in (page, other):
        # The winner goes on to the sign-in page; the other is refused, or finds the setup page gone.
        browser_page.locator("h1.page-title").filter(has_not_text="Create the first administrator").or_(
            browser_page.get_by_text("An administrator exists already; sign in instead.")).first.wait_for()
        wait_for_app(browser_page)
    created = {name: browser.get_by_text(f"The administrator {name} was created. Sign in now.").count()
               for name, browser in (("first-admin", page), ("second-admin", other))}
    other_browser.close()
    [admin] = [name for name, shown in created.items() if shown]
    [loser] = [name for name, shown in created.items() if not shown]
    # Exactly one administrator: the other name has no account at all.
    page.goto(f"{url}/sign_in")
    fill_sign_in_form(page, loser, PASSWORD, expect_signed_in=False)
    page.get_by_text("The user name or password is not correct.").wait_for()

    # A deep link while signed out shows the sign-in form there and returns to it after signing in.
    page.goto(f"{url}/manage_accounts")
    fill_sign_in_form(page, admin, PASSWORD)
    assert page.url == f"{url}/manage_accounts"
    page.locator("h1.page-title").filter(has_text="Accounts").wait_for()
    # F5 and a new tab keep the session (the HttpOnly cookie), which no script of the page can read.
    page.reload()
    page.locator("h1.page-title").filter(has_text="Accounts").wait_for()
    assert "versnelling_session" not in page.evaluate("() => document.cookie")
    tab = page.context.new_page()
    tab.goto(f"{url}/my_account")
    tab.get_by_text(f"Signed in as {admin}").first.wait_for()

    # Arabic, right to left.
    page.get_by_test_id("stSidebar").get_by_role("combobox").click()
    page.get_by_role("option", name="العربية").click()
    heading = page.locator("h1.page-title")
    heading.filter(has_text=translate("Accounts", "ar")).wait_for()
    assert (heading.get_attribute("dir"), heading.get_attribute("lang")) == ("rtl", "ar")
    direction = page.evaluate("() => getComputedStyle(document.querySelector('[data-testid=\"stMain\"]')).direction")
    assert direction == "rtl"

    # Signing out in the tab ends the session on the server: the first page is signed out at its next load.
    wait_for_app(tab)
    tab.get_by_role("button", name="Sign out").click()
    tab.get_by_test_id("stSidebarNav").get_by_role("link", name="Sign in", exact=True).wait_for()
    page.reload()  # (in the language of the sign-in form: the picker's choice lives in the script session)
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Sign in", exact=True).wait_for()
    wait_for_app(page)
    expect(page.get_by_text(admin)).to_have_count(0)

