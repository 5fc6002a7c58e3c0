"""What assistive technology needs from every page that Streamlit does not give: the document's own
language and direction (Streamlit's index.html says lang="en" whatever the page reads, so a screen
reader would read Arabic or Tigrinya with an English voice), captions in a colour that meets WCAG AA
contrast (Streamlit's grey caption is 3.9:1 on white; AA asks 4.5:1), and a visible focus ring.

The language is set by a small script served from this app (ui.web's DOCUMENT_LANGUAGE_PATH): the
Content-Security-Policy lets only this server's scripts run, never an inline one."""

from __future__ import annotations

import html

from ui.text import language_tag

DOCUMENT_LANGUAGE_PATH = "/a11y/document-language.js"

# Run by the browser each time the page header is drawn anew (a page or a language chosen).
DOCUMENT_LANGUAGE_JS = """(() => {
  const tag = document.currentScript;
  if (!tag) return;
  document.documentElement.lang = tag.dataset.lang;
  document.documentElement.dir = tag.dataset.dir;
})();
"""

# Streamlit greys a caption with opacity 0.6 (3.9:1 on white); 0.8 of the text colour is about 7:1 on
# white and 6:1 on the sidebar. Two selectors' weight, to win over Streamlit's rule (one class, later).
# A keyboard user must see where the focus is: Streamlit draws no ring on the sidebar's links and only a
# change of border colour around a text field. #1c4f8a is 8.6:1 on white (WCAG asks 3:1 for a ring).
# A radio's own input is visually hidden, so its label carries the ring.
ACCESSIBLE_CSS = """<style>
  .stApp [data-testid="stCaptionContainer"] { opacity: 0.8; }
  a:focus-visible, button:focus-visible, summary:focus-visible, [role="tab"]:focus-visible,
  input:focus-visible, textarea:focus-visible { outline: 2px solid #1c4f8a !important; outline-offset: 1px; }
  label:has(input[type="radio"]:focus-visible), label:has(input[type="checkbox"]:focus-visible) {
    outline: 2px solid #1c4f8a; outline-offset: 2px; border-radius: 0.25rem;
  }
</style>"""


def document_language_html(lang: str, direction: str) -> str:
    """The script tag that marks the whole document with the interface language and direction."""
    return (f'<script src="{DOCUMENT_LANGUAGE_PATH}" data-lang="{html.escape(language_tag(lang))}" '
            f'data-dir="{html.escape(direction)}"></script>')
