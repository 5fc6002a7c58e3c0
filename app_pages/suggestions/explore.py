"""Explore: answer a short inventory and see which ventures could fit, without an account. Nothing of
it is stored: the answers live only in this browser session."""

import streamlit as st

import ui
from incubator.market.arrays import load_market
from incubator.people.inventory import CEFR_PLAIN, RIASEC_LABELS
from incubator.people.profile import CEFR_LEVELS
from incubator.suggestions import model
from incubator.suggestions import ranking as scoring

ui.page_header(ui.t("Explore ventures"))
st.markdown(ui.t("Answer a few questions and see which ventures could fit you. Nothing you enter here is stored; "
                 "sign in to keep your answers and talk them over with a mentor."))
market = load_market(ui.cursor())
trained = model.load()
if trained.card.get("training_data", {}).get("source", "synthetic") == "synthetic":
    st.info(ui.t("These scores are estimates from a model trained on synthetic data, until the programme's own "
                 "outcomes replace it. Suggestions are material for a conversation with a mentor, never a verdict."))
else:
    st.info(ui.t("These scores are estimates from a model trained on the programme's own outcomes. Suggestions are "
                 "material for a conversation with a mentor, never a verdict."))

# Labels fixed for this run: a format_func must not depend on state read later.
choices = scoring.explore_choices(market, ui.lang())
dutch_labels = {"none": ui.t(CEFR_PLAIN["none"])} | {level: ui.t(CEFR_PLAIN[level]) for level in CEFR_LEVELS}
interest_labels = {letter: ui.t(RIASEC_LABELS[letter]) for letter in "RIASEC"}

with st.form("explore.form"):
    municipality = st.selectbox(ui.t("Where do you live?"), list(choices["municipalities"]),
                                format_func=choices["municipalities"].__getitem__, key="explore.municipality")
    dutch = st.selectbox(ui.t("How well do you speak Dutch?"), list(dutch_labels), index=2,
                         format_func=dutch_labels.__getitem__, key="explore.dutch")
    languages = st.multiselect(ui.t("Which other languages do you speak well?"), list(choices["languages"]),
                               format_func=choices["languages"].__getitem__, key="explore.languages")
    skills = st.multiselect(ui.t("What can you do well?"), list(choices["skills"]),
                            format_func=choices["skills"].__getitem__, key="explore.skills")
    occupation = st.selectbox(ui.t("Which work have you done?"), [""] + list(choices["occupations"]),
                              format_func=lambda uri, labels=choices["occupations"] | {"": "-"}: labels[uri],
                              key="explore.occupation")
    years = st.slider(ui.t("For how many years?"), 0, 40, 0, key="explore.years")
    interests = st.multiselect(ui.t("What do you like to do?"), list(interest_labels), max_selections=3,
                               format_func=interest_labels.__getitem__, key="explore.interests")
    capital = st.number_input(ui.t("Money of your own to start with (EUR)"), 0, 1_000_000, 0, step=500,
                              key="explore.capital")
    hours = st.slider(ui.t("Hours a week for the business"), 4, 60, 24, key="explore.hours")
    home_only = st.checkbox(ui.t("I can only work from home"), key="explore.home_only")
    on_benefit = st.checkbox(ui.t("I receive a benefit (bijstand)"), value=True, key="explore.on_benefit")
    submitted = st.form_submit_button(ui.t("Show ventures that could fit"))

if submitted or st.session_state.get("explore.shown"):
    st.session_state["explore.shown"] = True
    profile = scoring.profile_from_answers(
        municipality=municipality, dutch=dutch, languages=languages, skills=skills, occupation_uri=occupation or None,
        years=years, interests=interests, capital_eur=capital, hours_per_week=hours, home_based_only=home_only,
        on_benefit=on_benefit,
    )
    ranking = scoring.rank(profile, market, trained)
    for rank, item in enumerate(ranking.suggestions, 1):
        with st.container(border=True):
            ui.show_suggestion(item, rank)
    ui.show_ruled_out(ranking.ruled_out, unrelated_left_out=ranking.unrelated_left_out, shown=len(ranking.suggestions))
