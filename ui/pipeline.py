"""Widgets of the pipeline dashboard: the filters and the charts (plotly), each sized to fit a phone."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

import ui
from incubator.market.taxonomy import FAMILY_LABELS
from incubator.people.inventory import LIFE_DOMAINS
from incubator.pipeline import geography
from incubator.pipeline.scope import FilterOptions, PipelineFilter

BLUE, GREEN, GREY, RED = "#1f5fbf", "#1a7f37", "#5f6b7a", "#b42318"
CONFIG = {"displayModeBar": False, "responsive": True}
MENTORS_CHARTED = 15


def _layout(figure: go.Figure, height: int) -> go.Figure:
    figure.update_layout(height=height, margin={"l": 10, "r": 10, "t": 10, "b": 10}, showlegend=False,
                         yaxis={"automargin": True}, xaxis={"automargin": True})
    return figure


def filters(options: FilterOptions, *, manager: bool) -> PipelineFilter:
    """The filters, two to a row (one below the other on a phone); "All" is no filter."""
    everyone = ui.t("All")
    left, right = st.columns(2)
    cohorts = dict(options.cohorts)
    cohort = left.selectbox(ui.t("Cohort"), [None, *cohorts], key="pipeline.cohort",
                            format_func=lambda c: everyone if c is None else cohorts[c])
    places = dict(options.municipalities)
    place = right.selectbox(ui.t("Municipality"), [None, *places], key="pipeline.municipality",
                            format_func=lambda g: everyone if g is None else places[g])
    mentors = dict(options.mentors)
    mentor = left.selectbox(ui.t("Mentor"), [None, *mentors], key="pipeline.mentor",
                            format_func=lambda m: everyone if m is None else mentors[m]) if manager else None
    family = (right if manager else left).selectbox(
        ui.t("Family"), [None, *options.families], key="pipeline.family",
        format_func=lambda f: everyone if f is None else ui.t(FAMILY_LABELS[f]))
    period = st.date_input(ui.t("Intake between"), value=(), key="pipeline.period", format="YYYY-MM-DD",
                           min_value=dt.date(2000, 1, 1))
    start, end = (tuple(period) + (None, None))[:2] if isinstance(period, tuple | list) else (period, None)
    return PipelineFilter(cohort, place, mentor, family, start, end)


def funnel_chart(frame: pd.DataFrame) -> go.Figure:
    labels = [ui.t(label) for label in frame["label"]]
    shares = [ui.format_share(s) if s is not None and s == s else "–" for s in frame["share_of_intake"]]
    text = [f"{ui.format_number(n)} · {s}" for n, s in zip(frame["participants"], shares, strict=True)]
    figure = go.Figure(go.Funnel(y=labels, x=frame["participants"], text=text, textinfo="text",
                                 marker={"color": BLUE}, hoverinfo="y+text"))
    return _layout(figure, 380)


def time_chart(frame: pd.DataFrame) -> go.Figure:
    labels = [ui.t(label) for label in frame["label"]]
    days = frame["median_days"].astype("float")
    figure = go.Figure(go.Bar(y=labels, x=days, orientation="h", marker={"color": GREEN},
                              text=[ui.format_number(d) if d == d else "–" for d in days], textposition="auto"))
    figure.update_yaxes(autorange="reversed")
    figure.update_xaxes(title=ui.t("Median days until the next stage"))
    return _layout(figure, 340)


def _bins(values: pd.Series) -> list[tuple[int, int]]:
    """Up to five ranges of whole numbers (low, high) over the values above zero, by quantile."""
    above = values[values > 0]
    if above.empty:
        return []
    edges = sorted({int(round(q)) for q in above.quantile([0, 0.2, 0.4, 0.6, 0.8, 1]).tolist()})
    lows = [edges[0]] + [e + 1 for e in edges[1:-1]]
    return [(low, high) for low, high in zip(lows, edges[1:] if len(edges) > 1 else edges, strict=False) if low <= high]


def municipality_map(frame: pd.DataFrame, *, measure: str) -> go.Figure:
    """Every municipality outlined (the country's shape), filled by participants or launched ventures
    in up to five ranges named in the legend; hovering a municipality names it with both counts."""
    outlines = geography.outlines()
    counts = frame.set_index("gm_code")
    values = counts[measure].reindex(list(outlines)).fillna(0)
    bins = _bins(values)
    shades = ["#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c"][-len(bins):] if bins else []
    groups = [("0", "#f1f3f6", [g for g, v in values.items() if v == 0])] + [
        (ui.format_number(low) if low == high else f"{ui.format_number(low)}–{ui.format_number(high)}", shade,
         [g for g, v in values.items() if low <= v <= high]) for (low, high), shade in zip(bins, shades, strict=True)]
    figure = go.Figure()
    for name, colour, codes in groups:
        xs = [x for g in codes for x in outlines[g][0]]
        ys = [y for g in codes for y in outlines[g][1]]
        figure.add_trace(go.Scatter(x=xs, y=ys, fill="toself", fillcolor=colour, mode="lines", name=name,
                                    line={"color": "#ffffff", "width": 0.4}, hoverinfo="skip"))
    named = counts.reindex(list(outlines))
    figure.add_trace(go.Scatter(
        x=[outlines[g][2][0] for g in outlines], y=[outlines[g][2][1] for g in outlines], mode="markers",
        marker={"size": 6, "opacity": 0}, showlegend=False,
        text=[f"{geography_name(g)}<br>{ui.t('Participants')}: {ui.format_number(p if p == p else 0)}<br>"
              f"{ui.t('Ventures launched')}: {ui.format_number(v if v == v else 0)}"
              for g, p, v in zip(outlines, named["participants"], named["launched"], strict=True)],
        hoverinfo="text"))
    figure.update_xaxes(visible=False, fixedrange=True)
    figure.update_yaxes(visible=False, fixedrange=True, scaleanchor="x", scaleratio=1.63)  # 1 / cos(52°)
    title = ui.t("Participants") if measure == "participants" else ui.t("Ventures launched")
    figure.update_layout(height=460, margin={"l": 0, "r": 0, "t": 0, "b": 0}, plot_bgcolor="#ffffff",
                         legend={"title": {"text": title, "side": "top left"}, "orientation": "h", "y": -0.02, "x": 0},
                         dragmode=False)
    return figure


def geography_name(gm_code: str) -> str:
    return _names().get(gm_code, gm_code)


def _names() -> dict[str, str]:
    return {f["properties"]["gm_code"]: f["properties"]["name"] for f in geography.boundaries()["features"]}


def domains_chart(domains: pd.DataFrame) -> go.Figure:
    labels = [ui.t(LIFE_DOMAINS[d]) for d in domains["domain"]]
    figure = go.Figure([
        go.Bar(y=labels, x=domains["intake_mean"], orientation="h", name=ui.t("At intake"), marker={"color": GREY}),
        go.Bar(y=labels, x=domains["now_mean"], orientation="h", name=ui.t("Now"), marker={"color": GREEN})])
    figure.update_layout(barmode="group", xaxis={"range": [0, 5]})
    _layout(figure, 380).update_layout(showlegend=True, legend={"orientation": "h", "y": -0.15})
    return figure


def mentor_chart(frame: pd.DataFrame) -> go.Figure:
    top = frame.head(MENTORS_CHARTED)
    colours = [RED if over else BLUE for over in top["over_capacity"]]
    figure = go.Figure([
        go.Bar(y=top["username"], x=top["participants"], orientation="h", marker={"color": colours},
               name=ui.t("Participants")),
        go.Scatter(y=top["username"], x=top["capacity"], mode="markers", name=ui.t("Capacity"),
                   marker={"symbol": "line-ns-open", "size": 14, "color": "#000000", "line": {"width": 2}})])
    figure.update_yaxes(autorange="reversed")
    _layout(figure, 120 + 24 * len(top)).update_layout(showlegend=True, legend={"orientation": "h", "y": -0.2})
    return figure
