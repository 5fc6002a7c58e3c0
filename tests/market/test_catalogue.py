"""Market queries (filters, venture detail, survival, density, seasonality) and the local market
files managers upload: access checked in the domain, validated like the seed, stored with who and
when, shown beside the national figures."""

from __future__ import annotations

import datetime as dt

import pytest

from incubator.core import i18n
from incubator.core.errors import NotAllowed, NotFound
from incubator.market import catalogue as market
from incubator.market import local_figures, seed


@pytest.fixture
def mcur(seeded):
    return seeded


def test_nothing_is_loaded_in_a_fresh_database(cur):
    assert not market.is_loaded(cur)
    assert market.loaded_version(cur) is None


def test_list_ventures_without_filters_returns_every_venture(mcur):
    ventures = market.list_ventures(mcur)
    assert len(ventures) == mcur.execute("SELECT count(*) FROM ventures").fetchone()[0] >= 60
    assert ventures.venture_id.is_unique


def test_filters_narrow_the_list(mcur):
    everything = market.list_ventures(mcur)
    crafts = market.list_ventures(mcur, family="craft")
    assert set(crafts.family) == {"craft"} and len(crafts) >= 15
    cheap = market.list_ventures(mcur, max_capital=5000)
    assert (cheap.capital_typical_eur <= 5000).all() and 0 < len(cheap) < len(everything)
    basic_dutch = market.list_ventures(mcur, max_cefr="A2")
    assert set(basic_dutch.cefr_typical) <= {"A1", "A2"}
    at_home = market.list_ventures(mcur, premises="home")
    assert set(at_home.premises) == {"home"}
    mixed = market.list_ventures(mcur, family="ethnic_entrepreneurship", premises=["shop", "mobile"], max_cefr="B1")
    assert set(mixed.premises) <= {"shop", "mobile"} and set(mixed.family) == {"ethnic_entrepreneurship"}


def test_a_region_adds_density_against_national(mcur):
    utrecht_city = market.list_ventures(mcur, region="GM0344").set_index("venture_id")
    barber = utrecht_city.loc["cr_barber"]
    assert barber.density_sbi_code == "96.02"
    assert barber.density_region == 15 and barber.density_ratio == pytest.approx(15 / barber.density_national)
    zeeland = market.list_ventures(mcur, region="PV29").set_index("venture_id")
    assert zeeland.loc["cr_barber"].density_region == 22
    assert market.list_ventures(mcur).density_region.isna().all()


def test_get_venture_has_skills_licences_funding_and_sources(mcur):
    detail = market.get_venture(mcur, "et_restaurant")
    assert detail.venture["family"] == "ethnic_entrepreneurship"
    assert detail.occupation["isco"] == detail.venture["isco"]
    assert set(detail.skills.kind) == {"required", "helpful"} and detail.skills.label.str.len().min() > 0
    assert detail.venture["name"] == "Restaurant of a home cuisine" and detail.licences.name.str.len().min() > 0
    assert {"alcohol_licence", "svh_social_hygiene", "nvwa_registration"} <= set(detail.licences.licence_id)
    svh = detail.licences.set_index("licence_id").loc["svh_social_hygiene"]
    assert "ar" in svh.exam_languages.split(";")
    routes = detail.funding_routes.set_index("route_id")
    assert {"bbz_business_loan", "qredits_microcredit", "own_savings", "kvk_fee"} <= set(routes.index)
    assert not routes.loc["qredits_microcredit"].covers_typical_capital  # EUR 120,000 typical > 50,000
    assert len(detail.seasonality) == 12
    assert set(detail.sources.kind) >= {"venture", "occupation", "sector", "licence"}
    assert "curated" in set(detail.sources.provenance) and "cbs" in set(detail.sources.provenance)


def test_small_venture_is_covered_by_qredits(mcur):
    routes = market.get_venture(mcur, "se_domestic_cleaning").funding_routes.set_index("route_id")
    assert routes.loc["qredits_microcredit"].covers_typical_capital


def test_an_unknown_venture_is_not_found(mcur):
    with pytest.raises(NotFound):
        market.get_venture(mcur, "no_such_venture")


def test_survival_by_sector_is_compared_with_all_businesses(mcur):
    survival = market.survival_by_sector(mcur).set_index("sbi_code")
    assert survival.loc["F", "survival_5y_pct"] == 71 and survival.loc["I", "survival_5y_pct"] == 59
    assert (survival.national_survival_5y_pct == 65).all()
    assert survival.loc["F", "difference_pct"] == 6
    assert survival.loc["I", "one_person_share"] == pytest.approx(43430 / 79560)


def test_density_by_region_marks_published_and_derived_figures(mcur):
    density = market.density_by_region(mcur, "96.02").set_index("region_code")
    assert len(density) == 12
    assert density.loc["PV26", "provenance"] == "cbs" and density.loc["PV26", "value"] == 15
    assert density.loc["PV20", "provenance"] == "derived"
    assert density.loc["PV20", "value"] == density.loc["PV20", "national_value"]


def test_seasonality_has_twelve_months_averaging_one(mcur):
    season = market.seasonality(mcur)
    assert set(season.month) == set(range(1, 13))
    means = season.groupby("venture_id").season_index.mean()
    assert ((means - 1).abs() < 0.01).all()
    food_truck = season[season.venture_id == "et_food_truck"].set_index("month").season_index
    assert food_truck[7] > food_truck[1]  # events in summer


def test_regions_list_all_levels(mcur):
    regions = market.list_regions(mcur)
    assert regions.level.value_counts().to_dict() == {"municipality": 342, "corop": 40, "province": 12}
    assert market.province_of(mcur, "GM0014") == "PV20" and market.province_of(mcur, "CR03") == "PV20"


LOCAL = (b"region_code,sbi_code,indicator,value,unit,period,source,note\n"
         b"GM0014,96.02,businesses_per_10k,19.5,per 10000 inhabitants,2025,Gemeente Groningen monitor,\n"
         b"PV20,I,vacancies,1200,vacancies,2025Q2,Provincie Groningen,seasonal peak\n")


def test_manager_uploads_local_figures_which_show_beside_national_ones(mcur, people):
    when = dt.datetime(2026, 11, 28, 10, 0)
    upload_id = local_figures.upload_local_market_file(mcur, people["manager"], file_name="groningen.csv", content=LOCAL,
                                                now=when)
    uploads = local_figures.list_local_uploads(mcur)
    assert uploads.iloc[0].upload_id == upload_id and uploads.iloc[0].uploaded_by_name == "test-manager"
    assert uploads.iloc[0].uploaded_at == when and uploads.iloc[0].row_count == 2
    signals = local_figures.local_signals(mcur, region="GM0014")
    assert signals.iloc[0].value == 19.5 and signals.iloc[0].national_value == pytest.approx(17.8)
    density = market.density_by_region(mcur, "96.02")
    local = density[density.provenance == "local"].iloc[0]
    assert local.region_name == "Groningen" and "test-manager" in local.source
    audit = mcur.execute("SELECT action, subject FROM audit_log WHERE action = 'market.upload'").fetchall()
    assert audit == [("market.upload", f"local_market_upload:{upload_id}")]


def test_local_uploads_survive_a_reload_of_the_national_data(mcur, people):
    local_figures.upload_local_market_file(mcur, people["admin"], file_name="x.csv", content=LOCAL)
    seed.load_market_data(mcur)
    assert len(local_figures.local_signals(mcur)) == 2


@pytest.mark.parametrize("role", ["mentor", "newcomer", None])
def test_only_managers_and_admins_may_upload(mcur, people, role):
    with pytest.raises(NotAllowed):
        local_figures.upload_local_market_file(mcur, people[role] if role else None, file_name="x.csv", content=LOCAL)
    assert local_figures.list_local_uploads(mcur).empty


@pytest.mark.parametrize(("content", "column", "key"), [
    (LOCAL.replace(b"GM0014", b"GM9999"), "region_code", local_figures.UNKNOWN_REGION),
    (LOCAL.replace(b",I,vacancies", b",Z,vacancies"), "sbi_code", local_figures.UNKNOWN_SECTOR),
    (LOCAL.replace(b"19.5", b"many"), "value", seed.NOT_NUMBER),
    (LOCAL.replace(b",vacancies,1200", b",rumours,1200"), "indicator", seed.NOT_A_CHOICE),
    (LOCAL.replace(b"Gemeente Groningen monitor", b""), "source", seed.REQUIRED),
])
def test_a_bad_upload_names_file_line_and_column_and_stores_nothing(mcur, people, content, column, key):
    with pytest.raises(local_figures.UploadRejected) as rejected:
        local_figures.upload_local_market_file(mcur, people["manager"], file_name="bad.csv", content=content)
    assert rejected.value.message_key == key
    assert rejected.value.params["file"] == "bad.csv" and rejected.value.params["column"] == column
    assert rejected.value.params["line"] in (2, 3)
    assert local_figures.list_local_uploads(mcur).empty and local_figures.local_signals(mcur).empty


@pytest.mark.parametrize("content", [LOCAL.replace(b"GM0014", b"GM9999"), LOCAL.replace(b",I,vacancies", b",Z,vacancies")])
def test_a_rejected_code_in_an_upload_says_which_codes_are_valid_not_which_file_holds_them(mcur, people, content):
    with pytest.raises(local_figures.UploadRejected) as rejected:
        local_figures.upload_local_market_file(mcur, people["manager"], file_name="bad.csv", content=content)
    for lang in ("nl", "en", "ar"):
        message = i18n.translate(rejected.value.message_key, lang, **rejected.value.params)
        assert "sectors.csv" not in message, message
        assert ("GM0014" in message and "PV20" in message) or ("96.02, C, F, G" in message and "TOTAL" in message), message
