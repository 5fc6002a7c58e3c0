"""Widgets shared by the privacy pages: the notice in plain words, a person's consents, and the
download of everything kept about them (prepared on request: each export is audited)."""

from __future__ import annotations

import datetime as dt

import streamlit as st

import ui
from incubator.people import consent
from incubator.privacy import export

# The purposes a person says yes or no to on these pages; a stakeholder link is made on the Notes page.
PAGE_PURPOSES = ("programme", "municipality", "research")


def show_notice() -> None:
    """The privacy notice, one short paragraph per point, and its version."""
    st.subheader(ui.t("How we use your information"))
    for line in consent.NOTICE:
        st.markdown(ui.escape_markdown(ui.t(line)))
    st.caption(ui.t("Version of this text: {version}", version=consent.NOTICE_VERSION))


def consent_table(consents: list[consent.Consent]) -> None:
    """Every consent with its purpose, dates, notice version and how it was recorded."""
    if not consents:
        st.info(ui.t("No consent is recorded yet."))
        return
    rows = [{
        ui.t("Purpose"): ui.t(consent.PURPOSES[c.purpose]) + (f" ({c.stakeholder})" if c.stakeholder else ""),
        ui.t("Given on"): ui.format_date(c.given_at),
        ui.t("How"): ui.t(consent.METHODS[c.given_method]),
        ui.t("Recorded by"): c.given_by or "-",
        ui.t("Notice version"): c.notice_version or "-",
        ui.t("Withdrawn on"): ui.format_date(c.withdrawn_at) if c.withdrawn_at else "-",
    } for c in consents]
    st.dataframe(rows, hide_index=True)


def open_purposes(consents: list[consent.Consent]) -> set[str]:
    return {c.purpose for c in consents if c.active and c.purpose in PAGE_PURPOSES}


def export_downloads(cur, me, participant_id: str, *, key: str) -> None:
    """A button that prepares the export (audited once), then the JSON and Excel downloads."""
    store = f"{key}.{participant_id}"
    if st.button(ui.t("Prepare the download of all data"), key=f"{key}.prepare"):
        with ui.errors_shown():
            data = export.export_personal_data(cur, actor=me, participant_id=participant_id, today=dt.date.today())
            st.session_state[store] = (data.to_json(), data.to_workbook(ui.lang()))
    if store in st.session_state:
        as_json, as_excel = st.session_state[store]
        left, right = st.columns(2)
        left.download_button(ui.t("Download as JSON"), as_json, file_name=f"{participant_id}.json",
                             mime="application/json", key=f"{key}.json", on_click="ignore")
        right.download_button(ui.t("Download as Excel"), as_excel, file_name=f"{participant_id}.xlsx",
                              mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                              key=f"{key}.xlsx", on_click="ignore")
