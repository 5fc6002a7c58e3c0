"""Take-home plan: the business plan and the profile summary as bilingual sheets, Dutch beside the
participant's language, to print on A4 or download and take to the municipality's Bbz adviser."""

import base64

import streamlit as st

import ui
from incubator.core.i18n import LANGUAGES
from incubator.plans import sheet
from ui import plans as plan_ui

me = ui.signed_in()
cur = ui.cursor()
ui.page_header(ui.t("Take-home plan"))
plan = plan_ui.chosen_plan(cur, me, key="plan.participant")
plan_ui.header(cur, me, plan)
profile = sheet.saved_profile(cur, actor=me, participant_id=plan.participant_id)
others = [code for code in LANGUAGES if code != "nl"]
default = sheet.second_language(profile, ui.lang())
second = st.selectbox(ui.t("Beside Dutch"), others, index=others.index(default), format_func=LANGUAGES.__getitem__,
                      key="plan.take_home.second")
st.caption(ui.t("Download the sheet, open it in your browser and print it on A4. Dutch is on one side, the other "
                "language beside it."))
plan_html = sheet.plan_sheet_html(cur, actor=me, plan_id=plan.plan_id, second_lang=second)
left, right = st.columns(2)
left.download_button(ui.t("Download the business plan"), plan_html.encode("utf-8"), mime="text/html",
                     file_name=f"business-plan-{plan.participant_id}-{second}.html", key="plan.take_home.download_plan",
                     type="primary")
if profile is not None:
    profile_html = sheet.profile_sheet_html(cur, actor=me, participant_id=plan.participant_id, second_lang=second)
    right.download_button(ui.t("Download the profile summary"), profile_html.encode("utf-8"), mime="text/html",
                          file_name=f"profile-{plan.participant_id}-{second}.html", key="plan.take_home.download_profile")
# A data: address gives the preview its own origin: nothing in it can reach the app (and it is escaped anyway).
st.iframe("data:text/html;base64," + base64.b64encode(plan_html.encode("utf-8")).decode("ascii"), height=900)
