"""Market explorer (everyone, also signed out): filter the venture catalogue, compare sectors and
regions, and open a venture's skills, licences, funding routes and sources."""

import plotly.express as px
import streamlit as st

import ui
from incubator.core.access import is_allowed
from incubator.market import catalogue as market
from incubator.market import local_figures
from incubator.market import taxonomy as tx

ui.page_header(ui.t("Market explorer"), ui.t("Venture types with sourced market figures. Judgements are marked as curated."))
cur = ui.cursor()
if not market.is_loaded(cur):
    st.info(ui.t("The market data is not loaded yet. Run: python -m incubator seed"))
    st.stop()
lang = ui.lang()
NAME, LABEL = "name", "label"  # in the reader's language, English where the data has none


def provenance(code: str) -> str:
    return ui.t(tx.PROVENANCE_LABELS.get(code, code))


regions = market.list_regions(cur)
# Labels are fixed during the run: widgets may format their options again outside of it.
family_labels = {None: ui.t("All families"), **{f: ui.t(label) for f, label in tx.FAMILY_LABELS.items()}}
region_labels = {None: ui.t("The Netherlands"),
                 **{code: f"{name} ({code})" for code, name in zip(regions.code, regions.name, strict=True)}}
premises_labels = {p: ui.t(label) for p, label in tx.PREMISES_LABELS.items()}
start_labels = {s: ui.t(label) for s, label in tx.START_OPTION_LABELS.items()}
f1, f2, f3, f4, f5, f6 = st.columns(6)
family = f1.selectbox(ui.t("Family"), list(family_labels), format_func=family_labels.__getitem__, key="market.family")
region = f2.selectbox(ui.t("Region"), list(region_labels), format_func=region_labels.__getitem__, key="market.region")
max_capital = f3.number_input(ui.t("Start-up capital up to (EUR)"), min_value=0, max_value=500_000, value=250_000,
                              step=5_000, key="market.max_capital")
max_cefr = f4.selectbox(ui.t("Dutch level up to"), tx.CEFR_LEVELS, index=len(tx.CEFR_LEVELS) - 1, key="market.max_cefr")
premises = f5.multiselect(ui.t("Premises"), list(premises_labels), format_func=premises_labels.__getitem__,
                          key="market.premises")
start = f6.multiselect(ui.t("Can start"), list(start_labels), format_func=start_labels.__getitem__, key="market.start")

ventures = market.list_ventures(cur, family=family, region=region, max_capital=int(max_capital),
                                max_cefr=max_cefr, premises=premises, start=start, lang=lang)
st.caption(ui.tn("{count} venture fits the filters.", "{count} ventures fit the filters.", len(ventures)))
shown = ventures.assign(family=ventures.family.map(family_labels), premises=ventures.premises.map(premises_labels),
                        start_options=ventures.start_options.map(lambda s: ", ".join(start_labels[w] for w in s.split(";"))))
st.dataframe(
    shown[[NAME, "family", "cefr_typical", "capital_typical_eur", "premises", "start_options", "hours_per_week",
           "hours_min_per_week", "sector_survival_5y_pct", "density_ratio"]],
    hide_index=True, key="market.table", column_config={
        NAME: ui.t("Venture"), "family": ui.t("Family"), "cefr_typical": ui.t("Dutch level"),
        "capital_typical_eur": st.column_config.NumberColumn(ui.t("Typical start-up capital (EUR)"), format="%d"),
        "premises": ui.t("Premises"), "hours_per_week": ui.t("Hours a week"), "start_options": ui.t("Can start"),
        "hours_min_per_week": ui.t("Can start with (hours a week)"),
        "sector_survival_5y_pct": st.column_config.NumberColumn(ui.t("Sector: still open after 5 years (%)")),
        "density_ratio": st.column_config.NumberColumn(ui.t("Businesses per inhabitant, region against national"),
                                                       format="%.2f"),
    })
if ventures.empty:
    st.stop()

names = dict(zip(ventures.venture_id, ventures[NAME], strict=True))
chosen = st.selectbox(ui.t("Open a venture"), list(names), format_func=names.__getitem__, key="market.venture")
detail = market.get_venture(cur, chosen, lang=lang)
v = detail.venture

survival_tab, density_tab, season_tab, capital_tab = st.tabs(
    [ui.t("Survival by sector"), ui.t("Business density by region"), ui.t("Seasonality"), ui.t("Start-up capital")])
with survival_tab:
    # The opened venture's sector stands out from the others.
    this_sector, other_sectors = ui.t("Sector of {venture}", venture=v[NAME]), ui.t("Other sectors")
    survival = market.survival_by_sector(cur, lang=lang).assign(
        shown=lambda d: d.sbi_code.eq(v["sbi_section"]).map({True: this_sector, False: other_sectors}))
    fig = px.bar(survival, x=NAME, y="survival_5y_pct", color="shown",
                 color_discrete_map={this_sector: "#d62728", other_sectors: "#9bb7d4"},
                 labels={NAME: ui.t("Sector"), "survival_5y_pct": ui.t("Still open after 5 years (%)"),
                         "shown": ""})
    fig.add_hline(y=float(survival.national_survival_5y_pct.iloc[0]), line_dash="dash",
                  annotation_text=ui.t("All businesses"))
    st.plotly_chart(fig, key="market.chart_survival")
    if not survival.sbi_code.eq(v["sbi_section"]).any():
        st.caption(ui.t("CBS publishes no survival figure for the sector of {venture}.", venture=v[NAME]))
    st.caption(ui.t("Source: CBS, business demography, starters of 2015."))
with density_tab:
    sector = str(ventures.set_index("venture_id").loc[chosen, "density_sbi_code"])
    density = market.density_by_region(cur, sector)
    # Derived figures say so on the bar itself, not only in the legend's colour.
    density = density.assign(provenance=density.provenance.map(provenance),
                             marked=density.provenance.eq("derived").map({True: ui.t("derived"), False: ""}))
    fig = px.bar(density, x="region_name", y="value", color="provenance", text="marked", pattern_shape="provenance",
                 title=ui.t("Sector of {venture}", venture=v[NAME]),
                 labels={"region_name": ui.t("Region"), "value": ui.t("Businesses per 10,000 inhabitants"),
                         "provenance": ui.t("Provenance"), "marked": ""})
    if not density.empty:
        fig.add_hline(y=float(density.national_value.iloc[0]), line_dash="dash", annotation_text=ui.t("National"))
    st.plotly_chart(fig, key="market.chart_density")
    st.caption(ui.t("Derived figures assume the national density where CBS publishes no regional figure."))
with season_tab:
    fig = px.line(detail.seasonality, x="month", y="season_index", markers=True,
                  labels={"month": ui.t("Month"), "season_index": ui.t("Seasonal index (1.0 = average month)")})
    st.plotly_chart(fig, key="market.chart_season")
    st.caption(ui.t("Seasonality is a curated judgement, not a published figure."))
with capital_tab:
    ranges = ventures.assign(spread=ventures.capital_high_eur - ventures.capital_low_eur)
    fig = px.bar(ranges, y=NAME, x="spread", base="capital_low_eur", orientation="h",
                 labels={NAME: ui.t("Venture"), "spread": ui.t("Start-up capital, low to high (EUR)")})
    fig.add_scatter(x=ranges.capital_typical_eur, y=ranges[NAME], mode="markers", name=ui.t("Typical"))
    st.plotly_chart(fig, key="market.chart_capital")
    st.caption(ui.t("Start-up capital ranges are curated judgements."))

st.subheader(v[NAME])
a, b, c, d = st.columns(4)
a.metric(ui.t("Typical start-up capital"), ui.format_eur(v["capital_typical_eur"]))
b.metric(ui.t("Dutch level"), v["cefr_typical"])
c.metric(ui.t("Hours a week"), int(v["hours_per_week"]))
d.metric(ui.t("Extra jobs it can create"), int(v["jobs_potential"]))
occupation = detail.occupation or {}
st.markdown(ui.t("SBI 2008 {sbi2008} · SBI 2025 {sbi2025} · ESCO occupation: {occupation} (ISCO-08 {isco})",
                 sbi2008=v["sbi2008"], sbi2025=v["sbi2025"] or "–", occupation=occupation.get(LABEL, ""),
                 isco=v["isco"]))
st.markdown(ui.t("Monthly revenue: {low} to {high} (curated judgement)",
                 low=ui.format_eur(v["revenue_month_low_eur"]), high=ui.format_eur(v["revenue_month_high_eur"])))

st.markdown(f"#### {ui.t('Skills needed')}")
skills = detail.skills.assign(kind=detail.skills.kind.map({"required": ui.t("needed"), "helpful": ui.t("helps")}))
st.dataframe(ui.table_text(skills[["code", LABEL, "kind", "weight"]], decimal_columns={"weight": 1}), hide_index=True, key="market.skills", column_config={
    "code": ui.t("ESCO code"), LABEL: ui.t("Skill group"), "kind": ui.t("Needed or helps"), "weight": ui.t("Weight")})
st.markdown(f"#### {ui.t('Licences and certificates')}")
st.dataframe(ui.table_text(detail.licences[[NAME, "issuer", "cost_eur_low", "cost_eur_high", "lead_time_weeks",
                                            "exam_languages", "legally_required"]],
                           euro_columns=["cost_eur_low", "cost_eur_high"], whole_columns=["lead_time_weeks"]),
             hide_index=True, key="market.licences", column_config={
    NAME: ui.t("Licence"), "issuer": ui.t("Issued by"), "cost_eur_low": ui.t("Cost from (EUR)"),
    "cost_eur_high": ui.t("Cost up to (EUR)"), "lead_time_weeks": ui.t("Lead time (weeks)"),
    "exam_languages": ui.t("Exam languages"), "legally_required": ui.t("Required by law")})
st.markdown(f"#### {ui.t('Funding routes')}")
st.dataframe(ui.table_text(detail.funding_routes[[NAME, "provider", "max_amount_eur", "interest_pct", "max_months",
                                                  "covers_typical_capital"]], euro_columns=["max_amount_eur"],
                           decimal_columns={"interest_pct": 1}, whole_columns=["max_months"]), hide_index=True, key="market.funding", column_config={
    NAME: ui.t("Route"), "provider": ui.t("Provider"), "max_amount_eur": ui.t("At most (EUR)"),
    "interest_pct": ui.t("Interest (%)"), "max_months": ui.t("Months"),
    "covers_typical_capital": ui.t("Covers the typical capital")})
st.markdown(f"#### {ui.t('Sources of these figures')}")
sources = detail.sources.assign(kind=detail.sources.kind.map(lambda k: ui.t(market.SOURCE_KINDS[k])),
                                provenance=detail.sources.provenance.map(provenance))
st.dataframe(ui.table_text(sources, date_columns=["retrieved"]), hide_index=True, key="market.sources", column_config={
    "kind": ui.t("Figure"), "item": ui.t("Code"), "provenance": ui.t("Provenance"), "source": ui.t("Source"),
    "retrieved": ui.t("Retrieved")})
st.caption(ui.t("This service uses the ESCO classification of the European Commission. "
                "Dutch and Arabic labels are our own translations."))

actor = ui.actor()
if is_allowed(actor, "market.upload"):
    with st.expander(ui.t("Local market figures")):
        st.caption(ui.t("A CSV file with the columns region_code, sbi_code, indicator, value, unit, period, "
                        "source and (optional) note."))
        upload = st.file_uploader(ui.t("Regional market file (CSV)"), type=["csv"], key="market.upload_file")
        if upload is not None and st.button(ui.t("Add these figures"), key="market.upload_button"):
            with ui.errors_shown():
                local_figures.upload_local_market_file(cur, actor, file_name=upload.name, content=upload.getvalue())
                st.success(ui.t("The file {file} was added.", file=ui.typed(upload.name)))
        st.dataframe(local_figures.local_signals(cur), hide_index=True, key="market.local")
