"""The summary of one inventory: interests (RIASEC radar), skills by group, the life-domains scan, and
progress over the saved snapshots."""

import plotly.graph_objects as go
import streamlit as st

import ui
from incubator.people import inventory as inv
from incubator.people import participants, snapshots

me = ui.signed_in()
cur = ui.cursor()
ui.page_header(ui.t("Profile summary"))

if me.role == "newcomer":
    record = participants.participant_for_user(cur, me.user_id)
    participant_id = record.participant_id if record else None
else:
    participant_id = ui.choose_participant(participants.list_participants(cur, actor=me), key="summary.participant")
if participant_id is None:
    st.info(ui.t("No inventory has been saved yet."))
    st.page_link("app_pages/people/inventory.py", label=ui.t("Fill in the inventory"), icon=":material/checklist:")
    st.stop()
history = snapshots.profile_history(cur, actor=me, participant_id=participant_id)
inventory = snapshots.load_inventory(cur, actor=me, participant_id=participant_id, include_draft=False)

if history.empty:
    st.info(ui.t("No inventory has been saved yet."))
    st.page_link("app_pages/people/inventory.py", label=ui.t("Fill in the inventory"), icon=":material/checklist:")
    st.stop()

profile, details = inventory.profile, inventory.details
first, last = history.iloc[0], history.iloc[-1]
st.caption(ui.t("Version {version}, saved on {date}.", version=int(last["version"]),
                date=ui.format_date(last["saved_at"].date())))


def delta(column: str):
    if len(history) < 2 or history[column].isna().any():
        return None
    return float(last[column] - first[column])


def out_of(value: int, total: int) -> str:
    # Isolated left to right, so that "3 / 6" does not read "6 / 3" on an Arabic page.
    return f"\u2066{value} / {total}\u2069"


metrics = st.columns(4)
metrics[0].metric(ui.t("Dutch"), profile.cefr("nl") or ui.t("Not yet"))
metrics[1].metric(ui.t("Participation ladder"), out_of(profile.ladder_rung, 6), delta=delta("ladder_rung"))
metrics[2].metric(ui.t("Ambition"), out_of(profile.ambition, 100), delta=delta("ambition"))
mean = last["life_domains_mean"]
metrics[3].metric(ui.t("Life domains (average)"), "-" if mean != mean else ui.format_number(mean, 1),
                  delta=delta("life_domains_mean"))

left, right = st.columns(2)
with left:
    st.subheader(ui.t("What you like to do"))
    # The short name only ("Practical"), so the labels fit around the chart.
    names = [ui.t(inv.RIASEC_LABELS[letter]).split(" (")[0] for letter in profile.interests]
    values = list(profile.interests.values())
    radar = go.Figure(go.Scatterpolar(r=values + values[:1], theta=names + names[:1], fill="toself"))
    radar.update_layout(polar={"radialaxis": {"range": [0, 100]}}, showlegend=False,
                        margin={"t": 40, "b": 40, "l": 90, "r": 90})
    st.plotly_chart(radar, key="summary.radar")
with right:
    st.subheader(ui.t("How things are going"))
    if details.life_domains:
        domains = [ui.t(inv.LIFE_DOMAINS[d]) for d in details.life_domains]
        scan = go.Figure(go.Bar(x=list(details.life_domains.values()), y=domains, orientation="h"))
        scan.update_layout(xaxis={"range": [0, 5], "dtick": 1}, margin={"t": 30, "b": 30})
        st.plotly_chart(scan, key="summary.domains")
    else:
        st.caption(ui.t("The life-domains scan has not been filled in."))

st.subheader(ui.t("Skills by group"))
groups = inv.skills_by_group(profile)
if groups:
    bars = go.Figure(go.Bar(x=[ui.t(inv.TOP_SKILL_GROUPS.get(g, g)) for g in groups], y=list(groups.values())))
    bars.update_layout(yaxis_title=ui.t("Sum of skill levels (1-4 each)"), margin={"t": 30})
    st.plotly_chart(bars, key="summary.skills")
else:
    st.caption(ui.t("No skills have been recorded yet."))

st.subheader(ui.t("Progress over time"))
if len(history) > 1:
    series = {"ladder_rung": ui.t("Participation ladder"), "life_domains_mean": ui.t("Life domains (average)")}
    progress = go.Figure([
        go.Scatter(x=history["saved_at"], y=history[column], mode="lines+markers", name=name)
        for column, name in series.items()
    ])
    progress.update_layout(yaxis={"range": [0, 6.5]}, margin={"t": 30})
    st.plotly_chart(progress, key="summary.progress")
else:
    st.caption(ui.t("Progress shows here once the inventory has been saved more than once."))
table = ui.table_text(history[["version", "saved_at", "ladder_rung", "ambition", "dutch_cefr", "life_domains_mean"]],
                     whole_columns=["version", "ladder_rung", "ambition"], date_columns=["saved_at"],
                     decimal_columns={"life_domains_mean": 1}).rename(columns={
    "version": ui.t("Version"), "saved_at": ui.t("Saved"), "ladder_rung": ui.t("Participation ladder"),
    "ambition": ui.t("Ambition"), "dutch_cefr": ui.t("Dutch"), "life_domains_mean": ui.t("Life domains (average)"),
})
st.dataframe(table, hide_index=True, width="stretch")
