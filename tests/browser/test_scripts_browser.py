"""Scripts and reading aloud in a real browser at 390 x 844: the wizard in Tigrinya (Ge'ez, left to right,
chosen from the browser's language) and in Dari (Arabic script, right to left, chosen with the
language picker on the phone). The Ge'ez and Arabic letters are drawn with the fonts the app ships
(/app/static/fonts/, Chromium's own report of the fonts that drew a node), with real width; the
pictograms are Material Symbols; each read-aloud frame speaks in the language's tag, and says so
where the device has no voice for it. Screenshots go to tests/artifacts/."""

from __future__ import annotations

from playwright.sync_api import expect

from incubator.core.i18n import translate
from incubator.people import snapshots

from .conftest import ARTIFACTS, new_context, prepared_newcomer, wait_for_app
from .test_phone_browser import PASSWORD, PHONE, close_sidebar, go_to, open_sidebar, sign_in_as_layla

NO_VOICE = "This device has no voice for this language. Ask someone to read it with you."
GEEZ, ARABIC = "ትግርኛ", "دری"  # the picker's names of Tigrinya and Dari, in their own scripts
# Records what the page asks the browser to say (and lets it say it): in every frame, before its scripts.
SPEAK_SPY = """(() => { if (!window.speechSynthesis) return; window.__spoken = [];
  const speak = window.speechSynthesis.speak.bind(window.speechSynthesis);
  window.speechSynthesis.speak = (u) => { window.__spoken.push(u.lang); speak(u); }; })();"""


# The Material Symbols inside an element: leaf elements drawn in that font, with a width.
ICONS_DRAWN = """e => [...e.querySelectorAll('*')].filter(x => x.childElementCount === 0
  && getComputedStyle(x).fontFamily.includes('Material Symbols') && x.getBoundingClientRect().width > 0).length"""


def _prepare(db_path) -> None:
    """Layla's inventory with the first four steps done: the wizard continues at the interests, a step
    of scales (pictograms on every point) with a read-aloud button beside each question."""
    with prepared_newcomer(db_path, "layla", "Layla", password=PASSWORD) as (cur, mentor, record):
        inventory = snapshots.load_inventory(cur, actor=mentor, participant_id=record.participant_id)
        for step in ("about", "languages", "work", "skills"):
            inventory = inventory.step_done(step)
        snapshots.save_inventory(cur, actor=mentor, inventory=inventory)


def _fonts_that_drew(cdp, node_id: int) -> dict[str, int]:
    """Chromium's own account of the fonts that drew a node's text: family -> glyphs, web fonts only."""
    fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node_id})["fonts"]
    return {f["familyName"]: f["glyphCount"] for f in fonts if f["isCustomFont"]}


def _nodes(cdp, selector: str) -> list[int]:
    """Every element matching `selector` in the page and in its frames (CDP pierces into each frame)."""
    root = cdp.send("DOM.getDocument", {"depth": -1, "pierce": True})["root"]
    found, stack = [], [root]
    while stack:
        node = stack.pop()
        if node.get("nodeName") == "#document":
            found += cdp.send("DOM.querySelectorAll", {"nodeId": node["nodeId"], "selector": selector})["nodeIds"]
        stack += node.get("children", []) + ([node["contentDocument"]] if "contentDocument" in node else [])
    return found


def _picker(view):
    return view.get_by_test_id("stSidebar").get_by_role("combobox")


def _text_nodes_under(cdp, node_id: int) -> list[int]:
    """The text nodes inside an element, its shadow roots included (an input draws its value there)."""
    node = cdp.send("DOM.describeNode", {"nodeId": node_id, "depth": -1, "pierce": True})["node"]
    found, stack = [], [node]
    while stack:
        item = stack.pop()
        if item.get("nodeType") == 3 and item.get("nodeValue", "").strip():
            found.append(item["backendNodeId"])
        stack += item.get("children", []) + item.get("shadowRoots", [])
    return found


def _assert_drawn_with_shipped_font(view, cdp, text: str, family: str) -> None:
    """The picker's value `text` is drawn by the shipped web font `family` (one glyph a letter at least),
    loaded from /app/static/fonts/, and its letters have width (a missing font draws boxes: those
    would come from another font than the shipped one)."""
    picker = _picker(view)
    expect(picker).to_have_value(text)
    size = float(picker.evaluate("e => getComputedStyle(e).fontSize").removesuffix("px"))
    letters = picker.evaluate("""e => { const c = document.createElement('canvas').getContext('2d');
      c.font = getComputedStyle(e).font; return c.measureText(e.value).width; }""")
    assert letters >= 0.4 * size * len(text), letters
    cdp.send("DOM.getDocument", {"depth": 0})
    object_id = cdp.send("Runtime.evaluate", {"expression": (
        "document.querySelector('[data-testid=\"stSidebar\"] [role=\"combobox\"]')")})["result"]["objectId"]
    element = cdp.send("DOM.requestNode", {"objectId": object_id})["nodeId"]
    drawn: dict[str, int] = {}
    for backend_id in _text_nodes_under(cdp, element):
        [node_id] = cdp.send("DOM.pushNodesByBackendIdsToFrontend", {"backendNodeIds": [backend_id]})["nodeIds"]
        drawn |= _fonts_that_drew(cdp, node_id)
    assert drawn.get(family, 0) >= len(text), drawn
    loaded = view.evaluate("""family => [...document.fonts].filter(f => f.family.replace(/["']/g, '') === family
      && f.status === 'loaded').length""", family)
    assert loaded >= 1
    stem = family.replace(" ", "")
    fetched = view.evaluate("() => performance.getEntriesByType('resource').map(e => new URL(e.name).pathname)")
    assert any(path.startswith(f"/app/static/fonts/{stem}-") for path in fetched), fetched


def _assert_wizard(view, cdp, *, lang: str, tag: str, direction: str, family: str) -> None:
    """The wizard's interests step as this language shows it: direction and language of the page,
    pictograms, and a read-aloud frame per question wired to the language's tag."""
    heading = view.locator("h1.page-title")
    heading.filter(has_text=translate("Skills and ambitions", lang)).wait_for()
    assert (heading.get_attribute("dir"), heading.get_attribute("lang")) == (direction, lang.replace("_", "-"))
    assert view.evaluate("() => getComputedStyle(document.querySelector('[data-testid=\"stMain\"]')).direction") \
        == direction
    main = view.get_by_test_id("stMain")
    radios = main.get_by_test_id("stRadio")
    expect(radios).to_have_count(18)  # the 18 interest questions, each a scale of five faces
    # The question's pictogram and the five faces, each drawn in the Material Symbols font (no emoji).
    assert radios.first.evaluate(ICONS_DRAWN) == 6
    frames = main.locator('iframe[src^="/app/static/read_aloud.html#"]')
    expect(frames).to_have_count(18)
    frame = frames.first.element_handle().content_frame()
    button = frame.get_by_role("button", name=translate("Read aloud", lang))
    expect(button).to_have_attribute("data-lang", tag)
    expect(frame.locator("html")).to_have_attribute("lang", tag)
    expect(frame.locator("html")).to_have_attribute("dir", direction)
    # The button's words in the language's script, drawn by the shipped font (in the frame's own document).
    label_node = _nodes(cdp, "#read-aloud-label")[0]
    assert _fonts_that_drew(cdp, label_node).get(family, 0) > 0
    button.click()
    has_voice = frame.evaluate("""tag => speechSynthesis.getVoices()
      .some(v => v.lang.toLowerCase().split(/[-_]/)[0] === tag.split('-')[0])""", tag)
    if has_voice:  # a device with a voice for the language: asked to speak it in the language's tag
        frame.wait_for_function("() => window.__spoken.length > 0")
        assert frame.evaluate("() => window.__spoken") == [tag]
    else:  # no voice (Chromium here has none for Tigrinya or Dari): it says so, in the language
        expect(frame.get_by_role("status")).to_have_text(translate(NO_VOICE, lang))
        expect(frame.get_by_role("status")).to_be_visible()


def test_the_wizard_in_tigrinya_and_dari_on_a_phone(app_server, page):
    _prepare(app_server["db_path"])
    context = new_context(page.context.browser, locale="ti-ER", **PHONE)
    context.add_init_script(SPEAK_SPY)
    view = context.new_page()
    view.set_default_timeout(30_000)
    policy_breaches: list[str] = []
    view.on("console", lambda message: policy_breaches.append(message.text)
            if "Content Security Policy" in message.text else None)
    cdp = context.new_cdp_session(view)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    try:
        sign_in_as_layla(view, app_server["url"], "ti", phone=True)  # Tigrinya: the browser's language
        go_to(view, "ti", "Skills and ambitions", phone=True)
        _assert_wizard(view, cdp, lang="ti", tag="ti-ER", direction="ltr", family="Noto Sans Ethiopic")
        view.screenshot(path=str(ARTIFACTS / "phone_ti_wizard.png"), full_page=True)

        # Dari through the picker, on the phone: its name in Arabic script, drawn by the shipped font.
        open_sidebar(view)
        _assert_drawn_with_shipped_font(view, cdp, GEEZ, "Noto Sans Ethiopic")
        view.get_by_test_id("stSidebar").get_by_role("combobox").click()
        view.get_by_role("option", name=ARABIC, exact=True).click()
        expect(_picker(view)).to_have_value(ARABIC)
        wait_for_app(view)
        _assert_drawn_with_shipped_font(view, cdp, ARABIC, "Noto Naskh Arabic")
        view.screenshot(path=str(ARTIFACTS / "phone_fa_AF_picker.png"))
        close_sidebar(view)
        _assert_wizard(view, cdp, lang="fa_AF", tag="fa-AF", direction="rtl", family="Noto Naskh Arabic")
        view.screenshot(path=str(ARTIFACTS / "phone_fa_AF_wizard.png"), full_page=True)
        assert policy_breaches == []
    finally:
        view.screenshot(path=str(ARTIFACTS / "phone_scripts_last.png"))
        context.close()
