"""Home: what the programme is and what each role can do here."""

import streamlit as st

import ui
from incubator.core.i18n import N_

ui.page_header(ui.t("Versnelling: start a venture of your own"))
st.markdown(
    ui.t(
        "Versnelling helps newcomers in the Netherlands who have a residence permit to start a "
        "business of their own: self-employment, a craft, or a business built on their culture and "
        "network. Mentors coach, the newcomer decides."
    )
)

st.subheader(ui.t("How we work"))
for principle in (
    N_("Impact first: we measure progress for each person and each group."),
    N_("The newcomer at the centre: your own skills and wishes lead, in your language."),
    N_("The whole person: language, money, time, housing and health, not only skills."),
    N_("Together: mentors, newcomers and partners add notes and ideas."),
    N_("Expert and professional: real classifications and sourced market figures."),
    N_("Business-like: a business plan, a forecast and the routes to start-up money."),
    N_("Creating work: for yourself, and for others when the business grows."),
):
    st.markdown(f"- {ui.t(principle)}")

st.subheader(ui.t("What you can do here"))
roles = {
    "newcomer": N_("Newcomers fill in their skills and wishes, explore the market and see which ventures could fit them."),
    "mentor": N_("Mentors coach the newcomers assigned to them, add notes and adjust suggestions."),
    "manager": N_("Programme managers follow the whole group, upload local market figures and export reports."),
    "admin": N_("Administrators create accounts, reset passwords and give roles."),
}
for text in roles.values():
    st.markdown(f"- {ui.t(text)}")
if ui.actor() is None:
    st.info(ui.t("Sign in to see your own pages. You can explore the market without an account."))
