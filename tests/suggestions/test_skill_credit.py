"""A person's ESCO code at the venture's level counts fully, a broader or narrower one partly (the
shares in incubator.suggestions.features, stated in the model card), the top codes nothing."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import numpy as np
import pytest

from incubator.core import db
from incubator.market.arrays import Market, load_market
from incubator.market.seed import DATA_DIR, load_market_data
from incubator.people.profile import Profile
from incubator.suggestions import features as fx
from incubator.suggestions import model as mm
from tests.support.scoring import market, quick_model

# Two ventures made to ask for one skill each: tailoring for the level-3 group S6.5.6, alterations for
# the level-2 group S6.5 above it (no venture in data/ uses a level-2 S code yet).
ONE_SKILL = {"cr_tailoring": "S6.5.6:1.0", "cr_alterations": "S6.5:1.0"}


def one_skill_market(folder: str) -> Market:
    data = Path(folder) / "data"
    shutil.copytree(DATA_DIR, data)
    with (data / "ventures.csv").open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        ventures, columns = list(reader), reader.fieldnames
    for venture in ventures:
        if venture["venture_id"] in ONE_SKILL:
            venture["skills_required"], venture["skills_helpful"] = ONE_SKILL[venture["venture_id"]], ""
    with (data / "ventures.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        writer.writerows(ventures)
    # S6.5 as published in the hierarchy, with its English label only (readers fall back to it).
    hierarchy = {r["code"]: r for r in csv.DictReader((data / "esco_skill_hierarchy.csv").open(encoding="utf-8"))}
    group = hierarchy["S6.5"]
    with (data / "skill_groups.csv").open("a", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerow(["S6.5", group["esco_uri"], 2, "S6", "esco", "ESCO v1.1.1, European Commission",
                                     "2026-11-28"])
    with (data / "labels" / "en.csv").open("a", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerow(["skill_group", "S6.5", group["label_en"]])
    con = db.connect(Path(folder) / "market.duckdb")
    try:
        cur = con.cursor()
        load_market_data(cur, data)
        return load_market(cur)
    finally:
        con.close()


def skill_match(m: Market, code: str, level: int = 4) -> dict[str, float]:
    person = Profile.from_dict({"id": "P-000001", "skills": [{"esco_group": code, "level": level}]})
    grid = fx.features_grid(m, fx.people_from_profiles([person], m))[0]
    for v in range(m.n_ventures):  # the plain definition agrees with the fast one
        assert grid[v] == pytest.approx(fx.pair_features(person, v, m), abs=1e-4), (code, m.venture_ids[v])
    return {vid: float(grid[m.venture_index(vid), fx.F["skill_match"]]) for vid in ONE_SKILL}


def test_full_credit_at_the_venture_level_and_partial_credit_above_and_below(tmp_path_factory):
    m = one_skill_market(str(tmp_path_factory.mktemp("one-skill")))
    assert skill_match(m, "S6.5.6") == {"cr_tailoring": 1.0, "cr_alterations": pytest.approx(fx.NARROWER_GROUP_SHARE)}
    assert skill_match(m, "S6.5") == {"cr_tailoring": pytest.approx(fx.BROADER_GROUP_SHARE), "cr_alterations": 1.0}
    assert skill_match(m, "S6") == {"cr_tailoring": pytest.approx(fx.BROADER_GROUP_SHARE ** 2),
                                    "cr_alterations": pytest.approx(fx.BROADER_GROUP_SHARE)}
    assert skill_match(m, "S") == {"cr_tailoring": 0.0, "cr_alterations": 0.0}  # "skills": says nothing
    assert skill_match(m, "S6.5.5") == {"cr_tailoring": pytest.approx(fx.RELATED_GROUP_SHARE),  # same parent
                                        "cr_alterations": pytest.approx(fx.NARROWER_GROUP_SHARE)}
    assert skill_match(m, "S5.1") == {"cr_tailoring": 0.0, "cr_alterations": 0.0}
    half = skill_match(m, "S6.5", level=2)  # the share applies to the person's level
    assert half["cr_tailoring"] == pytest.approx(fx.BROADER_GROUP_SHARE * 2 / 4)
    assert 1.0 > fx.NARROWER_GROUP_SHARE > fx.BROADER_GROUP_SHARE > fx.BROADER_GROUP_SHARE ** 2 > 0


def test_codes_of_the_hierarchy_beyond_the_ventures_count_in_the_real_market():
    m = market()
    assert fx.skill_share(m, "S5.1", "S5.1.0") == fx.BROADER_GROUP_SHARE
    assert fx.skill_share(m, "T6", "T6.4") == fx.BROADER_GROUP_SHARE
    assert fx.skill_share(m, "T", "T6.4") == 0.0
    assert fx.skill_share(m, "S5.1.0", "S5.1") == fx.NARROWER_GROUP_SHARE
    assert fx.skill_share(m, "S1.6.1", "S1.6.2") == 0.0  # siblings count through RELATED_GROUP_SHARE instead
    it = m.venture_index("se_it_freelance")
    broader = Profile.from_dict({"id": "P-000001", "skills": [{"esco_group": "S5.1", "level": 4}]})
    nothing = Profile(id="P-000002")
    x = fx.features_grid(m, fx.people_from_profiles([broader, nothing], m))[:, it, fx.F["skill_match"]]
    assert x[0] > x[1] == 0.0
    assert np.allclose(x, [fx.pair_features(p, it, m)[fx.F["skill_match"]] for p in (broader, nothing)])


def test_the_model_card_states_the_shares():
    text = mm.card_markdown(quick_model().card)
    note = fx.skill_credit_note()
    assert note in text
    for share in (fx.BROADER_GROUP_SHARE, fx.NARROWER_GROUP_SHARE, fx.RELATED_GROUP_SHARE, fx.NARROWER_GROUP_SHARE ** 2):
        assert f"{share:g}" in note
