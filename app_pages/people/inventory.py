"""The inventory wizard: step by step, a draft saved at every step, the whole saved as a dated snapshot.
The questions come from incubator.wizard; this page only draws them."""

import datetime as dt

import streamlit as st

import ui
from incubator.core import i18n
from incubator.people import inventory as inv
from incubator.people import participants, snapshots, wizard

me = ui.signed_in()
cur = ui.cursor()
ui.page_header(ui.t("Skills and ambitions"))

if me.role == "newcomer":
    record = participants.participant_for_user(cur, me.user_id)
    if record is None:
        st.markdown(ui.t("Tell us what you can do and what you want. It takes about 20 minutes; "
                         "you can stop at any step and continue later."))
        if st.button(ui.t("Start my inventory"), key="inventory.start", type="primary"):
            participants.create_participant(cur, actor=me)
            st.rerun()
        st.stop()
    participant_id = record.participant_id
else:
    participant_id = ui.choose_participant(participants.list_participants(cur, actor=me), key="inventory.participant")
    if st.button(ui.t("New participant"), key="inventory.new"):
        st.session_state["inventory.participant"] = participants.create_participant(cur, actor=me).participant_id
        st.rerun()
    if participant_id is None:
        st.info(ui.t("There are no participants yet."))
        st.stop()
inventory = snapshots.load_inventory(cur, actor=me, participant_id=participant_id)

if st.session_state.get("inventory.for") != participant_id:
    for key in [k for k in st.session_state if str(k).startswith("inventory.q.")]:
        del st.session_state[key]
    st.session_state["inventory.for"] = participant_id
    st.session_state["inventory.step"] = wizard.first_open_step(inventory)
    st.session_state["inventory.more"] = 0

index = st.session_state["inventory.step"]
step = inv.STEPS[index]
st.progress((index + 1) / len(inv.STEPS), text=ui.t("Step {number} of {total}: {title}", number=index + 1,
                                                     total=len(inv.STEPS), title=ui.t(inv.STEP_TITLES[step])))
# Labels fixed for this run (a format_func must not translate lazily).
reference = wizard.reference_choices(cur, ui.lang(), inventory.profile)
labels = {name: wizard.choice_labels(name, ui.t, ui.pictogram) for name in wizard.FIXED_CHOICES} | reference


def widget(question: wizard.Question, current, key: str):
    label = f"{ui.pictogram(question.pictogram)} {ui.t(question.label)}".strip()
    if question.kind == "text":
        return st.text_input(label, value=current or "", max_chars=80, key=key)
    if question.kind == "number":
        # Euros and years in whole numbers, never "3000.00" or "6.00" (half years keep their ".5").
        kind = int if float(question.step).is_integer() else float
        return st.number_input(label, min_value=kind(question.low), max_value=kind(question.high),
                               value=None if current is None else kind(round(current) if kind is int else current),
                               step=kind(question.step), format="%d" if kind is int else "%g", key=key)
    options = labels[question.options]
    keys = list(options)
    chosen = keys.index(current) if current in options else None
    if question.kind == "choice":
        return st.selectbox(label, keys, index=chosen, format_func=options.__getitem__, key=key,
                            placeholder=ui.t("Choose"))
    return st.radio(label, keys, index=chosen, format_func=options.__getitem__, horizontal=True, key=key)


def rows_widget(question: wizard.Question, current: list[dict], key: str) -> list[dict]:
    """Every row's fields carry their labels: on a phone the columns stack and a field without its label
    is a riddle. Where the columns stand side by side, ui.repeated_rows_style hides them after the first row."""
    st.markdown(f"**{ui.pictogram(question.pictogram)} {ui.t(question.label)}**")
    ui.read_aloud(ui.t(question.label))
    count = max(question.min_rows, len(current) + 1) + st.session_state.get("inventory.more", 0)
    answers = []
    for row in range(count):
        values = current[row] if row < len(current) else {}
        entry = {}
        with st.container(key=ui.repeated_row_key(question.key, row)):
            for sub, column in zip(question.columns, st.columns(len(question.columns)), strict=True):
                with column:
                    entry[sub.key] = widget(sub, values.get(sub.key), f"{key}.{row}.{sub.key}")
        answers.append(entry)
    return answers


if step == "review":
    answers = wizard.current_answers(inventory)
    profile = inventory.profile
    st.markdown(ui.t("Check your answers. You can go back to change them. Saving makes a dated record, "
                     "so that you and your mentor can see your progress later."))
    top = sorted(profile.interests, key=profile.interests.get, reverse=True)[:3]
    comma = "، " if i18n.is_rtl(ui.lang()) else ", "  # the Arabic comma, in Dari and Farsi too
    facts = {
        ui.t("Name"): profile.display_name or "-",
        ui.t("Where do you live?"): reference["municipalities"].get(profile.municipality, "-"),
        ui.t("Dutch"): profile.cefr("nl") or ui.t("Not yet"),
        ui.t("Other languages"): comma.join(f"{reference['languages'].get(x.code, x.code)} {x.cefr}"
                                           for x in profile.languages if x.code != "nl") or "-",
        ui.t("Work experience"): comma.join(reference["occupations"].get(x.esco_uri, x.isco or "") for x in profile.experience) or "-",
        ui.t("Skills"): comma.join(reference["skill_groups"].get(x.esco_group, x.esco_group) for x in profile.skills) or "-",
        ui.t("What you like most"): comma.join(ui.t(inv.RIASEC_LABELS[letter]) for letter in top),
        ui.t("Ambition"): f"\u2066{profile.ambition} / 100\u2069",
        ui.t("Participation ladder"): ui.t(inv.LADDER[profile.ladder_rung]),
    }
    for name, value in facts.items():
        st.markdown(f"- **{name}**: {ui.typed(value)}")
    back, save = st.columns(2)
    if back.button(ui.t("Back"), key="inventory.back"):
        st.session_state["inventory.step"] = index - 1
        st.rerun()
    if save.button(ui.t("Save my inventory"), key="inventory.save", type="primary"):
        with ui.errors_shown():
            version = snapshots.save_inventory(cur, actor=me, inventory=inventory.step_done("review"))
            st.session_state["inventory.saved"] = version
    if st.session_state.get("inventory.saved"):
        st.success(ui.t("Saved as version {version}.", version=st.session_state["inventory.saved"]))
        st.page_link("app_pages/people/profile_summary.py", label=ui.t("See the summary"), icon=":material/insights:")
    st.stop()

current = wizard.current_answers(inventory)
answers: dict = {}
has_rows = False
ui.repeated_rows_style()
with st.form(f"inventory.form.{step}"):
    for question in wizard.questions(step, year=dt.date.today().year):
        key = f"inventory.q.{question.key}"
        if question.kind == "rows":
            has_rows = True
            answers[question.key] = rows_widget(question, current.get(question.key) or [], key)
        else:
            asked, speak = st.columns([5, 1], vertical_alignment="bottom")  # stacked on a phone
            with asked:
                answers[question.key] = widget(question, current.get(question.key), key)
            with speak:
                ui.read_aloud(ui.t(question.label))
    buttons = st.columns(3)
    back = buttons[0].form_submit_button(ui.t("Back"), key="inventory.back", disabled=index == 0)
    more = buttons[1].form_submit_button(ui.t("More rows"), key="inventory.more_rows") if has_rows else False
    forward = buttons[2].form_submit_button(ui.t("Save and continue"), key="inventory.next", type="primary")

if back or more or forward:
    with ui.errors_shown():
        updated = wizard.apply_answers(inventory, step, answers, isco_by_uri=wizard.isco_by_uri(cur), done=not back)
        snapshots.save_inventory(cur, actor=me, inventory=updated, draft=True)
        st.session_state["inventory.more"] = st.session_state.get("inventory.more", 0) + 2 if more else 0
        st.session_state["inventory.step"] = index - 1 if back else index + 1 if forward else index
        st.session_state.pop("inventory.saved", None)
        st.rerun()
