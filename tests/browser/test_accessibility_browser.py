"""The accessibility audit (issue 14): axe-core, as axe-playwright-python bundles it, on every page of
ui/navigation.py, signed out and for each role, in Dutch, Arabic and Tigrinya, first on a desktop and
then, without reloading, at 390x844: no violation of impact "serious" or "critical". On the way it
checks that the document says its language and direction (`lang`, `dir`), which holds however the
catalogues' words read (Tigrinya's are drafted while this runs).

One server for the module; one browser tab per language, in which each role in turn (its cookies
and storage cleared) visits each page once.
A summary of every violation found (all impacts) goes to tests/artifacts/axe_summary.json."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import PurePosixPath

import pytest
from playwright.sync_api import expect

from incubator.accounts import users
from incubator.core.access import COMMAND_LINE_ADMIN
from incubator.core.i18n import is_rtl, translate
from incubator.people.inventory import AMBITION_ITEMS, LIFE_DOMAINS, RIASEC_ITEMS
from ui.accessibility import language_tag
from ui.navigation import SIGNED_OUT, pages_for
from ui.web import LANG_FIELD, PASSWORD_FIELD, SIGN_IN_PATH, USERNAME_FIELD

from .conftest import ARTIFACTS, new_context, prepared_newcomer, serving, wait_for_app

PASSWORD = "a long enough password"
DESKTOP, PHONE = {"width": 1280, "height": 900}, {"width": 390, "height": 844}
LANGUAGES = ("nl", "ar", "ti")
BROWSER_LOCALE = {"nl": "nl-NL", "ar": "ar", "ti": "ti-ER"}
USERNAMES = {"newcomer": "layla", "mentor": "mentor-sara", "manager": "manager-mia", "admin": "first-admin",
             "amal": "amal"}
ROLES = (SIGNED_OUT, "newcomer", "mentor", "manager", "admin")
BLOCKING = ("serious", "critical")

# The section headings of Streamlit's sidebar navigation (st.navigation with sections) are <div>s inside
# its <ul data-testid="stSidebarNavItems">: axe's rules "list" (the <ul>) and "listitem" (its <li>s)
# fail on markup that Streamlit draws and the app cannot change without a script rewriting React's DOM.
# Only those two rules on that one list are left out; every other rule runs on the sidebar too.
STREAMLIT_OWN = {"list": '[data-testid="stSidebarNavItems"]', "listitem": '[data-testid="stSidebarNavItems"]'}

# axe runs in the page on the whole document; only what a finding needs to be fixed comes back.
RUN_AXE = """async ownMarkup => {
  const results = await axe.run(document, {resultTypes: ['violations']});
  return results.violations.map(v => {
    const nodes = v.nodes.filter(n => !(ownMarkup[v.id] && document.querySelector(n.target[0])?.closest(ownMarkup[v.id])));
    return {id: v.id, impact: v.impact, help: v.help, count: nodes.length,
            targets: nodes.slice(0, 8).map(n => n.target.join(' ') + ' ' + n.html.slice(0, 120))};
  }).filter(v => v.count > 0);
}"""
# The header of each page as ui.page_header draws it, where it is not the page's title in the sidebar.
HEADERS = {"Home": "Versnelling: start a venture of your own", "About the model": "About the suggestion model"}
# Arabic and Tigrinya: a manager opens every page a mentor opens, with the same widgets and more rows;
# the mentor's pages are audited in Dutch. The administrator's only own page there is Accounts.
LANGUAGE_ROLES = {"nl": ROLES, "ar": (SIGNED_OUT, "newcomer", "manager", "admin"),
                  "ti": (SIGNED_OUT, "newcomer", "manager", "admin")}
SIDEBAR_GONE = """() => { const s = document.querySelector('[data-testid="stSidebar"]');
  const r = document.querySelector('[data-testid="stSidebarContent"]').getBoundingClientRect();
  return s.dataset.collapsed === 'true' && (getComputedStyle(s).visibility === 'hidden' || r.right <= 0); }"""
SIDEBAR_OPEN = """() => { const s = document.querySelector('[data-testid="stSidebar"]');
  return s.dataset.collapsed === 'false' && getComputedStyle(s).transform === 'none'; }"""


def audited_pages(role: str | None, lang: str) -> list:
    """The pages this role's browser audits in this language (see LANGUAGE_ROLES)."""
    entries = [entry for section in pages_for(role).values() for entry in section]
    if lang != "nl" and role == "admin":
        others = {e.path for r in LANGUAGE_ROLES[lang] if r != "admin" for s in pages_for(r).values() for e in s}
        entries = [entries[0]] + [e for e in entries if e.path not in others]  # Home, where it starts
    return entries


CASES = [(role, lang) for lang in LANGUAGES for role in LANGUAGE_ROLES[lang]]


@pytest.fixture(scope="module")
def audited_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    """One `streamlit run` for the module, on a database with an account of each role: Layla
    (newcomer) with her saved inventory, her mentor, a manager and the administrator."""
    folder = tmp_path_factory.mktemp("axe")
    with prepared_newcomer(folder / "browser.duckdb", "layla", "Layla", password=PASSWORD) as (cur, _mentor, _r):
        users.create_user(cur, actor=COMMAND_LINE_ADMIN, username="manager-mia", password=PASSWORD, role="manager")
        # The keyboard-only run's newcomer, who has no inventory yet (the audit does not sign her in).
        users.create_user(cur, actor=COMMAND_LINE_ADMIN, username="amal", password=PASSWORD, role="newcomer")
    with serving(folder) as server:
        yield server


@pytest.fixture(scope="module")
def findings() -> Iterator[list]:
    """Every violation of the module (all impacts), written out at the end for people to read."""
    found: list[dict] = []
    yield found
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "axe_summary.json").write_text(json.dumps(found, ensure_ascii=False, indent=1), encoding="utf-8")


def _axe_script() -> str:
    from axe_playwright_python.sync_playwright import Axe

    return Axe().axe_script


def _sign_in(context, url: str, role: str | None, lang: str) -> None:
    """Through the sign-in route, as the form posts it (the form itself is audited on its own page)."""
    if role is None:
        return
    response = context.request.post(url + SIGN_IN_PATH, form={
        USERNAME_FIELD: USERNAMES[role], PASSWORD_FIELD: PASSWORD, LANG_FIELD: lang})
    assert response.ok, response.status


def _audit(page, where: dict) -> list[dict]:
    # axe's source (570 kB) goes to the page once: Streamlit switches pages without a new document, so
    # window.axe stays, and sending it with every audit cost the test and Playwright's driver CPU.
    if not page.evaluate("() => Boolean(window.axe)"):
        page.evaluate("script => (0, eval)(script)", AXE_SCRIPT)
    return [dict(where, **violation) for violation in page.evaluate(RUN_AXE, STREAMLIT_OWN)]


def _report(blocking: list[dict]) -> str:
    lines = [f"{len(blocking)} serious or critical axe violations:"]
    for v in blocking:
        lines.append(f"- {v['id']} ({v['impact']}) on {v['page']} [{v['role']}, {v['lang']}, {v['viewport']}]: "
                     f"{v['help']}; {v['count']} elements:\n    " + "\n    ".join(v["targets"]))
    return "\n".join(lines)


def _open(page, url: str, entry, lang: str, *, first: bool) -> None:
    """Open a page as a person would: the address for the first, then its link in the sidebar (no
    reload), and wait until its header is drawn and the script run is over."""
    if first:
        page.goto(url)
    else:
        page.wait_for_function(SIDEBAR_OPEN)  # back at desktop width, Streamlit slides the sidebar in
        page.get_by_test_id("stSidebarNav").get_by_role("link", name=translate(entry.title, lang), exact=True).click()
    header = translate(HEADERS.get(entry.title, entry.title), lang)
    page.locator("h1.page-title").filter(has_text=header).wait_for()
    wait_for_app(page)


AXE_SCRIPT = _axe_script()


@pytest.fixture(scope="module")
def tabs(browser) -> Iterator[dict]:
    """One browser tab per language, for the audits of that language one after the other: each audit is
    another person at the same computer (the cookies and the site's storage are cleared first, and the
    app is loaded anew). A fresh tab for each audit started a renderer and compiled Streamlit's scripts
    again: 2.2 to 3.5 s to load a page in a new tab against 1.2 to 1.9 s in the same one."""
    opened: dict[str, object] = {}
    yield opened
    for tab in opened.values():
        tab.context.close()


def _tab(tabs: dict, browser, lang: str):
    """The language's tab, with nobody's cookies or storage left in it."""
    if lang not in tabs:
        context = new_context(browser, viewport=DESKTOP, locale=BROWSER_LOCALE[lang])
        context.set_default_timeout(30_000)
        tabs[lang] = context.new_page()
    tab = tabs[lang]
    tab.context.clear_cookies()
    if tab.url.startswith("http"):
        tab.evaluate("() => { localStorage.clear(); sessionStorage.clear(); }")
    return tab


@pytest.mark.parametrize(("role", "lang"), CASES, ids=[f"{role or 'signed_out'}-{lang}" for role, lang in CASES])
def test_every_page_passes_axe_on_a_desktop_and_a_phone(audited_server, browser, tabs, findings, role, lang):
    url = audited_server["url"]
    page = _tab(tabs, browser, lang)
    found: list[dict] = []
    try:
        _sign_in(page.context, url, role, lang)
        for number, entry in enumerate(audited_pages(role, lang)):
            page.set_viewport_size(DESKTOP)
            _open(page, url, entry, lang, first=number == 0)
            # The whole document says its language and direction, not only the page's title.
            expect(page.locator("html")).to_have_attribute("lang", language_tag(lang))
            expect(page.locator("html")).to_have_attribute("dir", "rtl" if is_rtl(lang) else "ltr")
            where = {"page": PurePosixPath(entry.path).stem, "role": role or "signed out", "lang": lang}
            found += _audit(page, where | {"viewport": "1280x900"})
            page.set_viewport_size(PHONE)
            page.wait_for_function(SIDEBAR_GONE)  # Streamlit folds the sidebar away at phone width
            found += _audit(page, where | {"viewport": "390x844"})
    finally:
        findings.extend(found)
    blocking = [v for v in found if v["impact"] in BLOCKING]
    assert not blocking, _report(blocking)


# The keyboard-only run: what has focus, by the name a screen reader would announce, and whether it is
# drawn with a focus ring (an outline or Streamlit's ring shadow on it; for a radio, whose input is
# visually hidden, on its label).
FOCUSED = """() => { const e = document.activeElement;
  if (!e || e === document.body) return {name: '', ring: false, radio: -1, group: -1};
  const label = e.labels && e.labels.length ? e.labels[0].innerText : '';
  const own = ['A', 'BUTTON'].includes(e.tagName) ? e.innerText : '';
  const ringed = e.type === 'radio' || e.type === 'checkbox' ? e.closest('label') : e;
  const style = getComputedStyle(ringed);
  const group = e.closest('[role="radiogroup"]');
  const groups = [...document.querySelectorAll('[data-testid="stForm"] [role="radiogroup"]')];
  return {name: (own || label || e.getAttribute('aria-label') || '').trim(),
          ring: (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2) || style.boxShadow !== 'none',
          group: groups.indexOf(group), radio: group ? [...group.querySelectorAll('input')].indexOf(e) : -1}; }"""


def focused(page) -> dict:
    return page.evaluate(FOCUSED)


def tab_to(page, name: str, *, back: bool = False, limit: int = 80) -> None:
    """Press Tab (Shift+Tab backwards) until the element named `name` has focus (its label or text ends
    with it: a pictogram may come first); it must show a focus ring."""
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if back else "Tab")
        now = focused(page)
        if now["name"].endswith(name):
            assert now["ring"], f"{name!r} has focus but no visible focus ring"
            return
    pytest.fail(f"{name!r} not reached with {'Shift+Tab' if back else 'Tab'} in {limit} presses")


def choose(page, label: str, typed: str) -> None:
    """A select box: Tab to it, type part of an option and take the first match with Enter."""
    tab_to(page, label)
    page.keyboard.type(typed)
    page.get_by_role("option").first.wait_for()
    page.keyboard.press("Enter")
    expect(page.get_by_role("listbox")).to_have_count(0)


def type_into(page, label: str, text: str) -> None:
    tab_to(page, label)
    page.keyboard.type(text)


def answer_scales(page, count: int, point: int) -> None:
    """Each 5-point question of the step: Tab into its group, Space takes the first point, the arrow
    keys move to `point` (0-based)."""
    for group in range(count):
        for _ in range(150):  # from the top of the page after a step: the sidebar, and a read-aloud button per question
            page.keyboard.press("Tab")
            if focused(page)["group"] == group:
                break
        else:
            pytest.fail(f"question {group + 1} of {count} not reached with Tab; focus is on {focused(page)}")
        assert focused(page)["ring"], "a radio has focus but no visible focus ring"
        page.keyboard.press("Space")
        for _ in range(point):
            page.keyboard.press("ArrowRight")
        expect(page.get_by_test_id("stForm").get_by_role("radiogroup").nth(group).get_by_role("radio").nth(point)
               ).to_be_checked()


def save_and_continue(page, next_number: int) -> None:
    tab_to(page, "Save and continue")
    page.keyboard.press("Enter")
    page.get_by_text(f"Step {next_number} of 9").wait_for()
    wait_for_app(page)


def test_the_wizard_and_the_suggestions_by_keyboard_alone(audited_server, browser):
    """Amal, a newcomer without an inventory, signs in and then uses the keyboard only (Tab, Shift+Tab,
    Space, Enter, arrows; no click): she fills in the whole wizard, saves it and chooses a suggestion.
    Every control she reaches shows where the focus is."""
    url = audited_server["url"]
    context = new_context(browser, viewport=DESKTOP, locale="en-GB")
    context.set_default_timeout(30_000)
    try:
        _sign_in(context, url, "amal", "en")
        page = context.new_page()
        page.goto(f"{url}/inventory")
        page.locator("h1.page-title").filter(has_text="Skills and ambitions").wait_for()
        wait_for_app(page)
        tab_to(page, "Start my inventory")
        page.keyboard.press("Enter")
        page.get_by_text("Step 1 of 9").wait_for()
        wait_for_app(page)

        type_into(page, "Your name (you may leave this empty)", "Amal")
        choose(page, "Where do you live?", "Amsterdam")
        type_into(page, "In which year did you come to the Netherlands?", "2019")
        save_and_continue(page, 2)
        choose(page, "Listening", "B1")
        choose(page, "Speaking", "A2")
        save_and_continue(page, 3)
        choose(page, "Occupation", "baker")
        type_into(page, "Years", "4")
        save_and_continue(page, 4)
        choose(page, "Skill", "S3.5.1")
        save_and_continue(page, 5)
        answer_scales(page, len(RIASEC_ITEMS), 4)
        save_and_continue(page, 6)
        answer_scales(page, len(AMBITION_ITEMS), 3)
        save_and_continue(page, 7)
        type_into(page, "Money of your own for a business (euros)", "2500")
        save_and_continue(page, 8)
        answer_scales(page, len(LIFE_DOMAINS), 3)
        choose(page, "Which step fits you best now?", "3")
        save_and_continue(page, 9)

        page.get_by_text("Amal").first.wait_for()
        tab_to(page, "Save my inventory")
        page.keyboard.press("Enter")
        page.get_by_text("Saved as version 1.").wait_for()
        wait_for_app(page)

        tab_to(page, "Suggestions", back=True)  # back up into the sidebar
        page.keyboard.press("Enter")
        page.locator("h1.page-title").filter(has_text="Suggestions").wait_for()
        expect(page.get_by_role("button", name="Choose this venture")).not_to_have_count(0)
        wait_for_app(page)
        tab_to(page, "Choose this venture")
        page.keyboard.press("Enter")
        page.get_by_text("The venture was chosen for the business plan.").wait_for()
    finally:
        page.screenshot(path=str(ARTIFACTS / "keyboard_only_suggestion_chosen.png"), full_page=True)
        context.close()
