"""Widgets shared by the programme pages: today's date (the domain is always given it), the cohort and
participant pickers, the synthetic label, status labels, messages for the reader, the timeline chart,
and large high-contrast type for the workshop view on a projector."""

from __future__ import annotations

import datetime as dt

import plotly.graph_objects as go
import streamlit as st

import ui
from incubator.core import i18n
from incubator.programme import cohorts
from incubator.programme import milestones as ms
from incubator.programme.stakeholders import visible_records
from incubator.programme.words import Words

# Status colours with a marker shape each, so that the timeline does not rely on colour alone.
STATUS_STYLE = {
    "todo": ("#5f6b7a", "circle-open"), "in_progress": ("#1f5fbf", "diamond"), "done": ("#1a7f37", "circle"),
    "blocked": ("#b42318", "x"), "skipped": ("#8a6d00", "square-open"),
}
PROJECTOR_CSS = """
<style>
  .st-key-workshop_board table { font-size: 1.55rem; line-height: 1.35; border-collapse: collapse; width: 100%;
    color: #000; background: #fff; }
  .st-key-workshop_board th { background: #000; color: #fff; text-align: start; padding: .4rem .6rem; }
  .st-key-workshop_board td { border-bottom: 2px solid #000; padding: .45rem .6rem; vertical-align: top; }
  .st-key-workshop_board td.late { color: #9b0000; font-weight: 700; }
  .st-key-workshop_board td.blocked { color: #9b0000; }
  /* On a phone each person becomes a card: the cells stack, each under its column's name, so nothing is cut
     off at either side (right to left included) and nothing needs sideways scrolling. */
  .st-key-workshop_board td::before { content: attr(data-label); display: none; }
  @media (max-width: 640px) {
    .st-key-workshop_board table { font-size: 1.2rem; }
    .st-key-workshop_board table, .st-key-workshop_board tbody, .st-key-workshop_board tr,
    .st-key-workshop_board td { display: block; width: 100%; box-sizing: border-box; }
    .st-key-workshop_board tr.head { display: none; }
    .st-key-workshop_board tr { border-bottom: 3px solid #000; padding: .3rem 0; }
    .st-key-workshop_board td { border-bottom: none; padding: .15rem .4rem; }
    .st-key-workshop_board td::before { display: inline; margin-inline-end: .5em; font-size: .9rem; font-weight: 700;
      color: #333; }
  }
</style>
"""


def today() -> dt.date:
    """The interface asks the clock once per run; the domain is given the date."""
    return dt.date.today()


def text(words: Words) -> str:
    return words.text(ui.lang())


def status_label(status: str) -> str:
    return ui.t(ms.STATUSES[status])


def synthetic_note(synthetic: bool) -> None:
    if synthetic:
        st.warning(ui.t("Synthetic demo data: every person, cohort and figure here is made up."),
                   icon=":material/science:")


def choose_cohort(cur, me, *, key: str) -> int | None:
    """A select box of the cohorts the reader works with; None (with a note) when there is none."""
    found = cohorts.list_cohorts(cur, actor=me)
    if not found:
        st.info(ui.t("There is no cohort yet."))
        return None
    labels = {c.cohort_id: f"{c.name} · {ui.format_date(c.start_on)}" for c in found}
    return st.selectbox(ui.t("Cohort"), list(labels), format_func=labels.__getitem__, key=key)


def choose_participant(cur, me, *, key: str, cohort_id: int | None = None) -> str | None:
    """The participant the page is about: a newcomer's own; for others a select box of the ones they
    may see. Stops the page with a note when there is none."""
    records = visible_records(cur, actor=me, cohort_id=cohort_id)
    if not records:
        st.info(ui.t("There is no participant to show yet."))
        st.stop()
    if me.role == "newcomer":
        return records[0].participant_id
    chosen = ui.choose_participant(records, key=key)
    synthetic_note(any(r.synthetic for r in records if r.participant_id == chosen))
    return chosen


def escape(value: str) -> str:
    """For st.html only (the workshop board); Markdown elements take ui.typed."""
    return ui.text.escape_html(value)


def timeline(milestones: list[ms.Milestone], *, today_: dt.date) -> go.Figure:
    """Each milestone on its due date (and its completion date when done), by status, with today."""
    lang = ui.lang()
    figure = go.Figure()
    names = [m.title_in(lang) for m in milestones]
    for status, (colour, symbol) in STATUS_STYLE.items():
        chosen = [i for i, m in enumerate(milestones) if m.status == status]
        if not chosen:
            continue
        figure.add_trace(go.Scatter(
            x=[milestones[i].completed_on or milestones[i].due_on for i in chosen], y=[names[i] for i in chosen],
            mode="markers", name=status_label(status), marker={"color": colour, "symbol": symbol, "size": 14,
                                                               "line": {"width": 2, "color": colour}},
            hovertext=[ui.t("Due {date}", date=ui.format_date(milestones[i].due_on)) for i in chosen]))
    for m, name in zip(milestones, names, strict=True):
        if m.completed_on and m.completed_on != m.due_on:
            figure.add_trace(go.Scatter(x=[m.due_on, m.completed_on], y=[name, name], mode="lines", showlegend=False,
                                        line={"color": "#8c959f", "dash": "dot"}, hoverinfo="skip"))
    figure.add_vline(x=today_.isoformat(), line={"color": "#000", "width": 2})
    figure.add_annotation(x=today_.isoformat(), y=1.02, yref="paper", text=ui.t("Today"), showarrow=False)
    figure.update_layout(height=max(280, 34 * len(milestones) + 120), margin={"l": 10, "r": 10, "t": 30, "b": 10},
                         yaxis={"autorange": "reversed", "side": "right" if i18n.is_rtl(lang) else "left"},
                         legend={"orientation": "h", "y": -0.12})
    return figure
