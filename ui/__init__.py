"""The thin interface layer shared by the pages: language, the database cursor of this script run,
the signed-in actor, and the one place where errors become translated messages."""

from __future__ import annotations

import datetime as dt
import logging
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import streamlit as st

from incubator.accounts import authentication, sessions
from incubator.core import audit, db, i18n
from incubator.core.access import Actor
from incubator.core.errors import UNEXPECTED, DomainError, NotAllowed, report_unexpected
from incubator.privacy import erasure
from ui import accessibility, speech, text, web
from ui.text import EMPTY, bdi, escape_markdown, isolate, typed  # noqa: F401 - part of the ui interface

LANG_KEY = "ui.lang"
SESSION_KEY = "auth.session_token"


def database_path() -> str:
    return os.environ.get("INCUBATOR_DB", db.DEFAULT_DB_PATH)


def backup_folder() -> Path:
    """Where the Accounts page puts backups: INCUBATOR_BACKUP_DIR, else backups/ beside the database."""
    return Path(os.environ.get("INCUBATOR_BACKUP_DIR") or Path(database_path()).parent / "backups")


@st.cache_resource(show_spinner=False)
def _connection(path: str) -> duckdb.DuckDBPyConnection:
    # One connection per server process; every script run takes its own cursor from it.
    return db.connect(path)


# Held while the file is rewritten after an erasure, so that no script run opens it meanwhile.
_file_rewrite = threading.Lock()


def cursor() -> duckdb.DuckDBPyConnection:
    """A new cursor for this script run. Never keep it in session state or a cache."""
    with _file_rewrite:
        return _connection(database_path()).cursor()


def rewrite_database_file() -> None:
    """After an erasure: close the process's connection (the cursors of script runs under way with it,
    whose open transactions roll back), copy the database into a fresh file without the erased bytes
    and swap it in (incubator.privacy.erasure.rewrite_file); the next cursor opens the new file."""
    with _file_rewrite:
        path = database_path()
        _connection(path).close()
        _connection.clear()
        erasure.rewrite_file(path)


def lang() -> str:
    if LANG_KEY not in st.session_state:
        st.session_state[LANG_KEY] = i18n.language_from_locale(_cookie(web.LANG_COOKIE) or st.context.locale)
    return st.session_state[LANG_KEY]


def t(message_key: str, **params: object) -> str:
    """Translate an English message into the session's language."""
    return i18n.translate(message_key, lang(), **params)


def tn(singular: str, plural: str, n: int, **params: object) -> str:
    """Translate a message whose words change with the number n (its plural forms in this language);
    `{count}` is n formatted for the language unless `params` gives it."""
    params.setdefault("count", i18n.format_number(n, lang()))
    return i18n.translate_plural(singular, plural, n, lang(), **params)


_log = logging.getLogger("versnelling")


def show_error(exc: DomainError) -> None:
    """The one place where a domain error becomes a message the user reads; a refused attempt is
    recorded in the audit log first."""
    if isinstance(exc, NotAllowed):
        audit.record_refusal(cursor(), exc)
    st.error(t(exc.message_key, **exc.params))


@contextmanager
def errors_shown() -> Iterator[None]:
    """Run one action: a domain error in the block becomes its translated message and the rest of the
    block is skipped (put the success message last in the block). Errors outside such a block end the
    page, and the router shows them the same way."""
    try:
        yield
    except DomainError as exc:
        show_error(exc)


@contextmanager
def every_error_shown() -> Iterator[None]:
    """The router's guard around a whole script run: a domain error becomes its message; anything
    unexpected (a raw database error included) is logged without personal data and shown as one
    translated message with a reference to find it in the log, never as a traceback. Streamlit's own
    stop and rerun signals are BaseExceptions and pass through."""
    try:
        yield
    except DomainError as exc:
        show_error(exc)
    except Exception as exc:  # noqa: BLE001 - the one handler for whatever nobody foresaw
        st.error(t(UNEXPECTED, reference=report_unexpected(exc, _log)))


def _cookie(name: str) -> str | None:
    value = st.context.cookies.get(name)
    return value if isinstance(value, str) else None  # AppTest's stand-in client has no real cookies


def _session_token() -> str | None:
    """This browser's session token: one begun in this script session (an organisation sign-in,
    which has no cookie of ours), else the cookie that the sign-in route set (ui.web)."""
    token = st.session_state.get(SESSION_KEY)
    return token if isinstance(token, str) else _cookie(sessions.COOKIE_NAME)


def current_session() -> sessions.Session | None:
    """The live server-side session of this browser, checked anew on every script run: a sign-out,
    password reset, role change or deactivation elsewhere ends it here too."""
    found = sessions.find_session(cursor(), _session_token(), now=dt.datetime.now())
    if found.session is None:
        st.session_state.pop(SESSION_KEY, None)
        if found.timed_out:
            st.session_state["auth.expired"] = True
    return found.session


def actor() -> Actor | None:
    """The signed-in account (with its role as it is now), or None."""
    session = current_session()
    return session.actor if session else None


def signed_in() -> Actor:
    """The signed-in account; a page that needs one stops here with a message when there is none
    (the domain would refuse anyway)."""
    current = actor()
    if current is None:
        st.warning(t("Sign in to see this page."))
        st.stop()
    return current


def sign_in_as(signed_in: Actor) -> None:
    """Begin a session inside this script session (an organisation sign-in through st.login, whose
    own cookie Streamlit keeps); local accounts sign in through the sign-in route and its cookie."""
    now = dt.datetime.now()
    recorded = authentication.sign_in_with_identity(cursor(), signed_in, now=now)
    st.session_state[SESSION_KEY] = sessions.start_session(cursor(), signed_in, now=now,
                                                           failed_before=recorded.failed_before)


def sign_out() -> None:
    """End this browser's session on the server (its cookie is then worth nothing) and forget it here."""
    sessions.end_session(cursor(), _session_token(), now=dt.datetime.now())
    for key in [k for k in st.session_state if str(k).startswith("auth.")]:
        del st.session_state[key]


def oidc_configured() -> bool:
    """True where .streamlit/secrets.toml has an [auth] section for st.login."""
    try:
        return "auth" in st.secrets
    except FileNotFoundError:
        return False


def show_typed(value: str | None) -> None:
    """A block a person typed (a note, a reason), as plain text: never Markdown or HTML."""
    st.text(value or "-", text_alignment="right" if i18n.is_rtl(lang()) else "left")


def page_header(title: str, caption: str | None = None) -> None:
    """The page title, marked with the language's direction so that assistive technology and the
    layout both know it."""
    direction = "rtl" if i18n.is_rtl(lang()) else "ltr"
    tag = text.language_tag(lang())
    # The script marks the whole document with the language (ui.accessibility); the title is escaped.
    st.html(f'<h1 class="page-title" dir="{direction}" lang="{tag}">{text.escape_html(title)}</h1>'
            f'{accessibility.document_language_html(lang(), direction)}{accessibility.ACCESSIBLE_CSS}',
            unsafe_allow_javascript=True)
    if caption:
        st.caption(caption)


def pictogram(name: str) -> str:
    """A Material Symbols name (the domain's pictograms) as Streamlit draws it in a label: from the font
    Streamlit bundles, so it shows on every device (an emoji shows as a box where there is no emoji font)."""
    return f":material/{name}:" if name else ""


def read_aloud(spoken: str) -> None:
    """A button that reads `spoken` (translated plain text, never Markdown) aloud in the session's
    language with the browser's own voice (ui.speech)."""
    speech.read_aloud_button(spoken, lang(), t)


def format_eur(amount: float) -> str:
    return i18n.format_eur(amount, lang())


def format_number(value: float, digits: int = 0) -> str:
    return i18n.format_number(value, lang(), digits=digits)


def format_share(value: float) -> str:
    return i18n.format_share(value, lang())


def format_date(value: dt.date) -> str:
    return i18n.format_date(value, lang())


def problem_table(problems) -> object:
    return text.problem_table(problems, lang())


def table_text(frame, **columns) -> object:
    """A table written for the reader (ui.text.table_text in the session's language): whole numbers,
    euros, dates, a dash for every empty cell."""
    return text.table_text(frame, lang(), **columns)


RTL_CSS = """
<style>
  .stApp, .stMain, section[data-testid="stSidebar"], .stMarkdown, .stForm, .stDataFrame,
  .stTable, [data-testid="stWidgetLabel"], .stAlert, input, textarea {
    direction: rtl; text-align: right;
  }
  .stMarkdown p, .stMarkdown li, .stCaption, h1, h2, h3 { text-align: right; }
  /* In a right-to-left flex row the sidebar sits at the right edge, but Streamlit collapses it with
     translateX(-width), which leaves it over the page as a strip that still catches taps. Slide it out to
     the right instead, and hide it once it is out (no taps, no focus on its links). */
  [data-testid="stSidebar"][data-collapsed="true"] {
    transform: translateX(100vw) !important; visibility: hidden;
    transition: transform 300ms, min-width 300ms, max-width 300ms, visibility 0s linear 300ms;
  }
  /* The arrows of the open and close buttons point the way the sidebar moves. */
  [data-testid="stExpandSidebarButton"] [data-testid="stIconMaterial"],
  [data-testid="stSidebarCollapseButton"] [data-testid="stIconMaterial"] {
    display: inline-block; transform: scaleX(-1);
  }
</style>
"""


def apply_direction() -> None:
    """Right-to-left layout for Arabic, Dari and Farsi: text, alignment, tables and forms."""
    if i18n.is_rtl(lang()):
        st.html(RTL_CSS)


def repeated_row_key(question_key: str, row: int) -> str:
    """The container key of one row of a repeating group (the first row's differs, see below)."""
    return f"rows-first-{question_key}" if row == 0 else f"rows-next-{question_key}-{row}"


# Streamlit stacks columns at 640 px and narrower; above that the first row's labels head every column,
# and the later rows' labels would only repeat them. Stacked, each row keeps its labels and a rule.
REPEATED_ROWS_CSS = """
<style>
  @media (min-width: 641px) { [class*="st-key-rows-next-"] [data-testid="stWidgetLabel"] { display: none; } }
  @media (max-width: 640px) {
    [class*="st-key-rows-next-"] { border-top: 1px solid rgba(49, 51, 63, 0.2); padding-top: 0.75rem; }
  }
</style>
"""


def repeated_rows_style() -> None:
    st.html(REPEATED_ROWS_CSS)


def choose_participant(records: list, *, key: str) -> str | None:
    """A select box of participants (pseudonymous id and display name); None when there are none.
    `records` are incubator.people.participants.ParticipantRecord, as the domain returned them."""
    labels = {r.participant_id: f"{r.participant_id} · {r.display_name}" if r.display_name else r.participant_id
              for r in records}
    if not labels:
        return None
    return st.selectbox(t("Participant"), list(labels), format_func=labels.__getitem__, key=key)


def message_markdown(message) -> str:
    """A ranking Message (incubator.suggestions.ranking.Message) as Markdown: the sentence is ours, its
    values (a venture, a skill, a name, a number) are data, so they are escaped and isolated."""
    return text.markdown_message(message.key, lang(), **message.params_for(lang()))


def show_reason(reason) -> None:
    """A reason that helps in green with a check, one that holds the score back in orange with a warning."""
    if reason.helps:
        st.markdown(f":green-background[:material/check_circle: {message_markdown(reason.message)}]")
    else:
        st.markdown(f":orange-background[:material/warning: {message_markdown(reason.message)}]")


def show_suggestion(suggestion, rank: int, *, chosen: bool = False, about: str | None = None) -> None:
    """One suggested venture (an incubator.suggestions.ranking.Suggestion): score, reasons, what would raise it,
    and in an expander the market snapshot, licences and funding routes; marked when it is the chosen
    venture. `about`: None when the person reads about themself, else the name to speak of them by
    (see incubator.suggestions.choices.reader_about). Buttons are the page's."""
    from incubator.market.taxonomy import FAMILY_LABELS, PREMISES_LABELS

    language, m = lang(), suggestion.market
    st.subheader(f"{rank}. {escape_markdown(suggestion.name.get(language))}")
    read_aloud(speech.sentences(
        f"{rank}. {suggestion.name.get(language)}", f"{t('Estimated chance')}: {format_share(suggestion.score)}",
        *(item.message.text(language) for item in (*suggestion.reasons, *suggestion.improvements))))
    if chosen:
        st.badge(t("Chosen for the business plan"), icon=":material/task_alt:", color="green")
    st.caption(" · ".join([t(FAMILY_LABELS[suggestion.family]), f"ISCO {suggestion.isco}",
                           f"SBI {suggestion.sbi2025 or suggestion.sbi2008}"]))
    left, right = st.columns([1, 3])
    left.metric(t("Estimated chance"), format_share(suggestion.score),
                help=t("The chance that the venture is launched and still running after 12 months (a synthetic-model estimate)."))
    with right:
        for reason in suggestion.reasons:
            show_reason(reason)
        for better in suggestion.improvements:
            st.markdown(f":material/trending_up: {message_markdown(better.message)}")
    with st.expander(t("Market, licences and money")):
        low, typical, high = m["capital_eur"]
        st.markdown(t("Start-up capital: usually {typical} (from {low} to {high})", typical=format_eur(typical),
                      low=format_eur(low), high=format_eur(high)))
        st.markdown(t("About {hours} hours a week · {premises}", hours=format_number(m["hours_per_week"]),
                      premises=t(PREMISES_LABELS[m["premises"]])))
        st.markdown(t("Revenue a month: {low} to {high}", low=format_eur(m["revenue_month_eur"][0]),
                      high=format_eur(m["revenue_month_eur"][1])))
        if m["density_region"] is not None and m["density_national"] is not None:
            figures = {"region": isolate(format_number(m["density_region"], 1), "ltr"),
                       "national": isolate(format_number(m["density_national"], 1), "ltr")}
            st.markdown(t("Businesses per 10,000 inhabitants: {region} in your province, {national} nationally", **figures)
                        if about is None else
                        t("Businesses per 10,000 inhabitants: {region} in {name}'s province, {national} nationally",
                          name=isolate(escape_markdown(about)), **figures))
        if m["survival_5y_pct"] is not None:
            st.markdown(t("Still running after five years in this sector: {share} (all businesses: {all})",
                          share=format_share(m["survival_5y_pct"] / 100), all=format_share((m["survival_5y_pct_all"] or 0) / 100)))
        st.bar_chart({t("Season (1 = average month)"): dict(zip(range(1, 13), m["season"], strict=True))}, height=140)
        st.markdown(f"**{t('Licences and registrations')}**")
        for licence in suggestion.licences:
            needed = t("required by law") if licence["legally_required"] else t("not required by law, often expected")
            st.markdown(f"- {licence['name'].get(language)} ({needed})")
        st.markdown(f"**{t('Ways to pay for the start')}**")
        for route in suggestion.funding:
            amount = "" if route["amount_eur"] is None else f": {format_eur(route['amount_eur'])}"
            note = "" if route["eligible"] else f" ({t('needs 1,225 hours a year in the business')})"
            st.markdown(f"- {route['name'].get(language)}{amount}{note}")


def show_ruled_out(ruled_out: list, *, unrelated_left_out: bool, shown: int, about: str | None = None) -> None:
    """Below the suggestions: why fewer are shown, and the ventures that fit the person's skills and
    experience better but that their own constraints rule out (incubator.suggestions.ranking.RuledOut),
    each with the barrier and what would open it. `about`: the person's name when someone else (their
    mentor) reads it, so that it speaks about them, not to them."""
    from incubator.market.taxonomy import FAMILY_LABELS

    language = lang()
    name = {"name": isolate(escape_markdown(about))} if about else {}
    if unrelated_left_out:
        if about:
            st.info(t("None of the ventures open to {name} now matches {name}'s skills and work experience.", **name)
                    if not shown else t("Fewer ventures are shown: the other ventures open to {name} do not match "
                                        "{name}'s skills and work experience.", **name))
        else:
            st.info(t("None of the ventures open to you now matches your skills and work experience.") if not shown else
                    t("Fewer ventures are shown: the other ventures open to you do not match your skills and work experience."))
    if not ruled_out:
        return
    if about:
        st.subheader(t("Ventures that fit {name}, and what stands in the way", **name))
        st.caption(t("These ventures match {name}'s skills and work experience better, but {name}'s situation rules "
                     "them out for now. Talk together about what would open them.", **name))
    else:
        st.subheader(t("Ventures that fit you, and what stands in the way"))
        st.caption(t("These ventures match your skills and work experience better, but your situation rules them out "
                     "for now. Talk with a mentor about what would open them."))
    for item in ruled_out:
        with st.container(border=True, key=f"ruled_out.{item.venture_id}"):
            st.markdown(f"**{escape_markdown(item.name.get(language))}** · {t(FAMILY_LABELS[item.family])}")
            for barrier in item.barriers:
                st.markdown(f":material/block: {message_markdown(barrier.message)}")
                for opening in barrier.openings:
                    st.markdown(f":material/lock_open: {message_markdown(opening)}")
            st.caption(t("Estimated chance once this is open: {share}", share=format_share(item.score_opened)))
