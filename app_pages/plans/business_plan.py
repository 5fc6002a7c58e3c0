"""Business plan: the lean canvas and the sections of a Dutch business plan (ondernemingsplan), each
with guiding questions; comments by the mentor and the versions saved so far. The figures are on the
Financial forecast page."""

import pandas as pd
import streamlit as st

import ui
from incubator.plans import business_plan as bp
from incubator.plans import content as pc
from ui import plans as plan_ui

me = ui.signed_in()
cur = ui.cursor()
ui.page_header(ui.t("Business plan"))
plan = plan_ui.chosen_plan(cur, me, key="plan.participant")
plan_ui.header(cur, me, plan)
base = plan_ui.base_version(plan)


def text_blocks(part: str, blocks, values: dict[str, str]) -> dict[str, str]:
    """One text area per block, with its guiding questions above it; three blocks a row."""
    typed = {}
    for start in range(0, len(blocks), 3):
        for column, (key, title, questions) in zip(st.columns(3), blocks[start:start + 3], strict=False):
            with column:
                st.caption(" ".join(ui.t(q) for q in questions))
                typed[key] = st.text_area(ui.t(title), value=values.get(key, ""), height=140,
                                          key=f"plan.{plan.plan_id}.{part}.{key}", disabled=not plan.editable,
                                          max_chars=pc.MAX_TEXT)
    return typed


canvas_tab, sections_tab, comments_tab = st.tabs([ui.t("Lean canvas"), ui.t("The business plan"),
                                                  ui.t("Comments and versions")])
with canvas_tab, st.form(f"plan.canvas_form.{plan.plan_id}"):
    canvas = text_blocks("canvas", pc.CANVAS_BLOCKS, plan.content.canvas)
    if st.form_submit_button(ui.t("Save the canvas"), disabled=not plan.editable, type="primary"):
        with ui.errors_shown():
            plan_ui.saved(plan, bp.save_texts(cur, actor=me, plan_id=plan.plan_id, base_version=base, canvas=canvas))

with sections_tab:
    st.page_link("app_pages/plans/forecast.py", label=ui.t("The figures: financial forecast"),
                 icon=":material/finance:")
    with st.form(f"plan.sections_form.{plan.plan_id}"):
        sections = text_blocks("sections", pc.PLAN_SECTIONS, plan.content.sections)
        if st.form_submit_button(ui.t("Save the plan"), disabled=not plan.editable, type="primary"):
            with ui.errors_shown():
                plan_ui.saved(plan, bp.save_texts(cur, actor=me, plan_id=plan.plan_id, base_version=base,
                                                  sections=sections))

with comments_tab:
    found = bp.comments(cur, actor=me, plan_id=plan.plan_id)
    if not found:
        st.caption(ui.t("No comments yet."))
    for comment in found:
        with st.container(border=True):
            st.caption(ui.t("{name} on {block}, version {version}, {date}", name=ui.typed(comment.written_by),
                            block=ui.t(pc.BLOCK_TITLES[comment.block]), version=comment.version,
                            date=ui.format_date(comment.written_at.date())))
            ui.show_typed(comment.body)
    if plan.may_comment and plan.status == "current":
        block_titles = {b: ui.t(title) for b, title in pc.BLOCK_TITLES.items()}
        with st.form(f"plan.comment_form.{plan.plan_id}", clear_on_submit=True):
            block = st.selectbox(ui.t("About"), list(block_titles), format_func=block_titles.__getitem__,
                                 key=f"plan.{plan.plan_id}.comment_block")
            body = st.text_area(ui.t("Comment"), key=f"plan.{plan.plan_id}.comment_body", max_chars=bp.MAX_COMMENT)
            if st.form_submit_button(ui.t("Add the comment")):
                with ui.errors_shown():
                    bp.add_comment(cur, actor=me, plan_id=plan.plan_id, block=block, body=body)
                    st.session_state["plan.flash"] = ui.t("The comment was added.")
                    st.rerun()
    st.subheader(ui.t("Versions"))
    history = bp.versions(cur, actor=me, plan_id=plan.plan_id)
    st.dataframe(pd.DataFrame({ui.t("Version"): [v.version for v in history],
                               ui.t("Saved by"): [v.saved_by or "-" for v in history],
                               ui.t("Saved"): [ui.format_date(v.saved_at.date()) for v in history]}),
                 hide_index=True, width="stretch")
