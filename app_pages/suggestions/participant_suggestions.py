"""Suggestions: the ventures that could fit a participant in their municipality, why, and what would
make a better one reachable. Mentors add ideas of their own or set a suggestion aside with a note;
"Choose this venture" records the choice for the business plan."""

import streamlit as st

import ui
from incubator.core.i18n import N_
from incubator.market.taxonomy import FAMILY_LABELS
from incubator.people import participants
from incubator.suggestions import choices as suggestions

me = ui.signed_in()
cur = ui.cursor()
ui.page_header(ui.t("Suggestions"))

records = participants.list_participants(cur, actor=me)
participant_id = ui.choose_participant(records, key="suggest.participant")
if participant_id is None:
    st.warning(ui.t("There is no participant to show yet. Fill in the skills and ambitions first."))
    st.stop()


def act(action, success: str, **kwargs) -> None:
    """Run one change for this participant, show its result, and refresh the suggestions."""
    with ui.errors_shown():
        action(cur, actor=me, participant_id=participant_id, **kwargs)
        st.session_state["suggest.flash"] = success
        st.rerun()


result = suggestions.suggestions_for(cur, actor=me, participant_id=participant_id)

if result.trained_on == "synthetic":
    st.info(ui.t("These scores are estimates from a model trained on synthetic data, until the programme's own "
                 "outcomes replace it. Suggestions are material for a conversation with a mentor, never a verdict."))
else:
    st.info(ui.t("These scores are estimates from a model trained on the programme's own outcomes. Suggestions are "
                 "material for a conversation with a mentor, never a verdict."))
if flash := st.session_state.pop("suggest.flash", None):
    st.success(ui.t(flash))
if result.choice is not None:
    st.success(ui.t("Chosen for the business plan: {venture}",
                    venture=ui.isolate(ui.typed(result.choice.name.get(ui.lang())))))
    st.page_link("app_pages/plans/business_plan.py", label=ui.t("Go to the business plan"), icon=":material/edit_note:")
chosen_venture = result.choice.venture_id if result.choice else None
chosen_idea = result.choice.idea_id if result.choice else None

for rank, item in enumerate(result.suggestions, 1):
    with st.container(border=True):
        ui.show_suggestion(item, rank, chosen=item.venture_id == chosen_venture, about=result.about)
        choose_col, aside_col = st.columns(2)
        if result.may_choose and choose_col.button(ui.t("Choose this venture"), key=f"suggest.choose.{item.venture_id}"):
            act(suggestions.choose_venture, N_("The venture was chosen for the business plan."), venture_id=item.venture_id)
        if result.may_adjust:
            with aside_col.popover(ui.t("Set aside")), st.form(f"suggest.aside_form.{item.venture_id}"):
                note = st.text_area(ui.t("Why? (a note for the participant and other mentors)"),
                                    key=f"suggest.aside_note.{item.venture_id}")
                if st.form_submit_button(ui.t("Set aside")):
                    act(suggestions.set_aside, N_("The suggestion was set aside."), venture_id=item.venture_id, note=note)
ui.show_ruled_out(result.ruled_out, unrelated_left_out=result.unrelated_left_out, shown=len(result.suggestions),
                 about=result.about)

st.subheader(ui.t("Ideas from mentors"))
if not result.ideas:
    st.caption(ui.t("No ideas yet."))
for idea in result.ideas:
    with st.container(border=True):
        family = f" · {ui.t(FAMILY_LABELS[idea.family])}" if idea.family else ""
        st.markdown(f"**{ui.typed(idea.title)}**{family}")  # typed by a mentor: shown as typed
        if idea.idea_id == chosen_idea:
            st.badge(ui.t("Chosen for the business plan"), icon=":material/task_alt:", color="green")
        if idea.note:
            st.text(idea.note)
        st.caption(ui.t("Added by {name}", name=ui.typed(idea.created_by)))
        if result.may_choose and st.button(ui.t("Choose this idea"), key=f"suggest.choose_idea.{idea.idea_id}"):
            act(suggestions.choose_venture, N_("The idea was chosen for the business plan."), idea_id=idea.idea_id)
if result.may_adjust:
    family_labels = {"": ui.t("Not sure yet")} | {code: ui.t(label) for code, label in FAMILY_LABELS.items()}
    with st.expander(ui.t("Add a venture idea of your own")), st.form("suggest.idea_form", clear_on_submit=True):
        title = st.text_input(ui.t("Idea"), key="suggest.idea_title")
        family = st.selectbox(ui.t("Kind of venture"), list(family_labels), format_func=family_labels.__getitem__,
                              key="suggest.idea_family")
        note = st.text_area(ui.t("Note"), key="suggest.idea_note")
        if st.form_submit_button(ui.t("Add the idea")):
            act(suggestions.add_idea, N_("The idea was added."), title=title, note=note, family=family or None)

if result.set_aside:
    st.subheader(ui.t("Set aside"))
    for item in result.set_aside:
        with st.container(border=True):
            st.markdown(f"**{ui.typed(item.name.get(ui.lang()))}**: {ui.typed(item.note)}")
            st.caption(ui.t("Set aside by {name} on {date}", name=ui.typed(item.set_by), date=ui.format_date(item.set_at.date())))
            if result.may_adjust and st.button(ui.t("Bring it back"), key=f"suggest.restore.{item.venture_id}"):
                act(suggestions.restore, N_("The suggestion is back."), venture_id=item.venture_id)
