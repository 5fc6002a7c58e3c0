"""Impact first: the participation ladder and the life domains at intake and at each re-take, as
movement per person in a cohort, and one person's rung over time."""

import plotly.graph_objects as go
import streamlit as st

import ui
from incubator.programme import progress
from ui import programme as pui

me = ui.signed_in()
cur = ui.cursor()
ui.page_header(ui.t("Progress on the ladder"))
cohort_id = pui.choose_cohort(cur, me, key="progress.cohort")
if cohort_id is None:
    st.stop()
movement = progress.cohort_movement(cur, actor=me, cohort_id=cohort_id)
shown = ui.table_text(movement[["participant_id", "snapshots", "rung_intake", "rung_now", "rung_change",
                                "domains_intake", "domains_now"]],
                      whole_columns=["snapshots", "rung_intake", "rung_now", "rung_change"],
                      decimal_columns={"domains_intake": 1, "domains_now": 1})
st.dataframe(shown.rename(columns={
    "participant_id": ui.t("Participant"), "snapshots": ui.t("Inventories saved"),
    "rung_intake": ui.t("Rung at intake"), "rung_now": ui.t("Rung now"), "rung_change": ui.t("Change"),
    "domains_intake": ui.t("Life domains at intake (1-5)"), "domains_now": ui.t("Life domains now (1-5)")}),
    hide_index=True, width="stretch", key="progress.table")
st.caption(ui.tn("{count} person moved up the ladder.", "{count} people moved up the ladder.",
                 int((movement["rung_change"] > 0).sum())))

pid = pui.choose_participant(cur, me, key="progress.participant", cohort_id=cohort_id)
person = progress.person_progress(cur, actor=me, participant_id=pid)
figure = go.Figure(go.Scatter(x=person["saved_at"], y=person["ladder_rung"], mode="lines+markers",
                              name=ui.t("Rung"), line={"color": "#1f5fbf"}))
figure.add_trace(go.Scatter(x=person["saved_at"], y=person["life_domains_mean"], mode="lines+markers",
                            name=ui.t("Life domains (mean)"), line={"color": "#1a7f37", "dash": "dot"}))
figure.update_layout(height=320, yaxis={"range": [0, 6.5], "dtick": 1}, margin={"l": 10, "r": 10, "t": 20, "b": 10},
                     legend={"orientation": "h"})
st.plotly_chart(figure, key="progress.chart", config={"displayModeBar": False})
