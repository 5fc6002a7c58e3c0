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


def municipality_map(frame: pd.DataFrame, *, measure: str) -> go.Figure:
    """Every municipality drawn (the country's outline), coloured by participants or launched ventures."""
    features = geography.boundaries()["features"]
    everyone = pd.DataFrame({"gm_code": [f["properties"]["gm_code"] for f in features],
                             "name": [f["properties"]["name"] for f in features]})
    shown = everyone.merge(frame[["gm_code", "participants", "launched"]], on="gm_code", how="left").fillna(
        {"participants": 0, "launched": 0})
    title = ui.t("Participants") if measure == "participants" else ui.t("Ventures launched")
    figure = go.Figure(go.Choropleth(
        geojson=geography.boundaries(), featureidkey="properties.gm_code", locations=shown["gm_code"],
        z=shown[measure], colorscale=[[0, "#eef2f7"], [1, BLUE]], marker={"line": {"width": 0.3, "color": "#ffffff"}},
        text=shown["name"], customdata=shown[["participants", "launched"]],
        hovertemplate="%{text}<br>" + ui.t("Participants") + ": %{customdata[0]}<br>" + ui.t("Ventures launched")
                      + ": %{customdata[1]}<extra></extra>",
        colorbar={"title": {"text": title}, "thickness": 10, "len": 0.6}))
    figure.update_geos(fitbounds="locations", visible=False, projection={"type": "mercator"})
    figure.update_layout(height=440, margin={"l": 0, "r": 0, "t": 0, "b": 0})
    return figure


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
                   marker={"symbol": "line-ns-open", "size": 18, "color": "#000000", "line": {"width": 2}})])
    figure.update_yaxes(autorange="reversed")
    _layout(figure, 120 + 24 * len(top)).update_layout(showlegend=True, legend={"orientation": "h", "y": -0.2})
    return figure
