"""The market catalogue: ventures, sectors, regions and market signals, queried in SQL. The local
figures that programme managers upload beside the national ones are incubator.market.local_figures."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pandas as pd

from incubator.core.errors import NotFound
from incubator.core.i18n import N_
from incubator.market import seed
from incubator.market import taxonomy as tx
from incubator.market.labels import label_sql

MARKET_NOT_LOADED = N_("The market data is not loaded yet. Run: python -m incubator seed")



@dataclass(frozen=True)
class VentureDetail:
    """One venture with what a person needs to judge it."""

    venture: dict
    sector: dict | None
    occupation: dict | None
    skills: pd.DataFrame  # code, kind, weight, label (in the language asked for), parent_code
    licences: pd.DataFrame  # with `name` in the language asked for, as funding_routes
    funding_routes: pd.DataFrame  # with `covers_typical_capital` (NULL where no maximum is known)
    seasonality: pd.DataFrame  # month, season_index
    sources: pd.DataFrame  # kind, item, provenance, source, retrieved


def is_loaded(cur: duckdb.DuckDBPyConnection) -> bool:
    """True once `python -m incubator seed` has loaded the dataset."""
    return cur.execute("SELECT count(*) FROM market_dataset").fetchone()[0] > 0


def loaded_version(cur: duckdb.DuckDBPyConnection) -> dict | None:
    row = cur.execute("SELECT version, files, rows_loaded, loaded_at FROM market_dataset").fetchone()
    return dict(zip(("version", "files", "rows_loaded", "loaded_at"), row, strict=True)) if row else None


def list_regions(cur: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Provinces, COROP regions and municipalities: code, name, level, province_code."""
    return cur.execute("""
        SELECT province_code AS code, province_name AS name, 'province' AS level, province_code, 1 AS sort
        FROM provinces
        UNION ALL SELECT corop_code, corop_name, 'corop', province_code, 2 FROM corop_regions
        UNION ALL SELECT gm_code, name, 'municipality', province_code, 3 FROM municipalities
        ORDER BY sort, name
    """).df().drop(columns="sort")


def province_of(cur: duckdb.DuckDBPyConnection, region_code: str) -> str | None:
    """The province a province, COROP or municipality code lies in."""
    row = cur.execute("""
        SELECT province_code FROM provinces WHERE province_code = $code
        UNION ALL SELECT province_code FROM corop_regions WHERE corop_code = $code
        UNION ALL SELECT province_code FROM municipalities WHERE gm_code = $code
    """, {"code": region_code}).fetchone()
    return row[0] if row else None


_VENTURE_SQL = """
WITH density AS (
    SELECT sbi_code, region_code, value FROM regional_signals WHERE indicator = 'businesses_per_10k'
), keyed AS (
    -- the most specific sector with a density figure: the SBI class if there is one, else the section
    SELECT v.*, CASE WHEN EXISTS (SELECT 1 FROM density d WHERE d.sbi_code = v.sbi2008)
                     THEN v.sbi2008 ELSE v.sbi_section END AS density_sbi_code
    FROM ventures v
)
SELECT v.venture_id, {name} AS name, v.family, v.sbi_section, v.sbi2008, v.sbi2025,
       v.isco, v.cefr_typical, c.rank AS cefr_rank, v.capital_low_eur, v.capital_typical_eur,
       v.capital_high_eur, v.premises, v.hours_per_week, v.start_options, v.hours_min_per_week, v.riasec, v.jobs_potential,
       v.revenue_month_low_eur, v.revenue_month_high_eur, v.licence_ids,
       s.survival_5y_pct AS sector_survival_5y_pct,
       (SELECT survival_5y_pct FROM sectors WHERE sbi_code = 'TOTAL') AS national_survival_5y_pct,
       v.density_sbi_code, dn.value AS density_national, dr.value AS density_region,
       dr.value / nullif(dn.value, 0) AS density_ratio, v.provenance
FROM keyed v
JOIN cefr_levels c ON c.level = v.cefr_typical
LEFT JOIN sectors s ON s.sbi_code = v.sbi_section
LEFT JOIN density dn ON dn.sbi_code = v.density_sbi_code AND dn.region_code = 'NL'
LEFT JOIN density dr ON dr.sbi_code = v.density_sbi_code AND dr.region_code = $province
WHERE ($family IS NULL OR v.family = $family)
  AND ($max_capital IS NULL OR v.capital_typical_eur <= $max_capital)
  AND ($max_cefr_rank IS NULL OR c.rank <= $max_cefr_rank)
  AND (len($premises) = 0 OR list_contains($premises, v.premises))
  AND (len($start) = 0 OR len(list_intersect($start, string_split(v.start_options, ';'))) > 0)
ORDER BY v.family, {english}
""".format(name=label_sql("venture", "v.venture_id"),
           english=label_sql("venture", "v.venture_id", "'en'"))


def list_ventures(cur: duckdb.DuckDBPyConnection, *, family: str | None = None, region: str | None = None,
                  max_capital: int | None = None, max_cefr: str | None = None,
                  premises: str | list[str] | None = None, start: str | list[str] | None = None,
                  lang: str = "en") -> pd.DataFrame:
    """Ventures that fit the filters: a family, a typical start-up capital up to max_capital, a Dutch
    level up to max_cefr, one or more kinds of premises, one or more ways to start (`start`: any of
    them, e.g. home or market_stall; see taxonomy.START_OPTION_LABELS). A region (province, COROP or municipality
    code) adds the business density of each venture's sector there beside the national one. `name` is
    in `lang` (English where that language has no label)."""
    province = province_of(cur, region) if region else None
    wanted = [premises] if isinstance(premises, str) else list(premises or [])
    return cur.execute(_VENTURE_SQL, {
        "family": family, "max_capital": max_capital, "province": province or "",
        "max_cefr_rank": tx.cefr_rank(max_cefr) if max_cefr else None, "premises": wanted,
        "start": [start] if isinstance(start, str) else list(start or []), "lang": lang,
    }).df()


def get_venture(cur: duckdb.DuckDBPyConnection, venture_id: str, *, lang: str = "en") -> VentureDetail:
    """A venture with its skills, licences, funding routes, seasonality and the sources of its figures;
    the names and labels (`name`, `label`) in `lang`, English where that language has none."""
    frame = cur.execute(f"SELECT *, {label_sql('venture', 'venture_id')} AS name FROM ventures WHERE venture_id = $id",
                        {"id": venture_id, "lang": lang}).df()
    if frame.empty:
        raise NotFound()
    venture = frame.iloc[0].to_dict()
    sector = _one(cur, f"SELECT *, {label_sql('sector', 'sbi_code')} AS name FROM sectors WHERE sbi_code = $id",
                  venture["sbi_section"], lang)
    occupation = _one(cur, f"SELECT *, {label_sql('occupation', 'esco_uri')} AS label FROM occupations"
                           " WHERE esco_uri = $id", venture["esco_occupation_uri"], lang)
    skills = cur.execute(f"""
        SELECT vs.skill_code AS code, vs.kind, vs.weight, {label_sql('skill_group', 'g.code')} AS label, g.parent_code
        FROM venture_skills vs JOIN skill_groups g ON g.code = vs.skill_code
        WHERE vs.venture_id = $id ORDER BY vs.kind DESC, vs.weight DESC, vs.skill_code
    """, {"id": venture_id, "lang": lang}).df()
    licences = cur.execute(f"""
        SELECT l.*, {label_sql('licence', 'l.licence_id')} AS name FROM venture_licences vl JOIN licences l USING (licence_id)
        WHERE vl.venture_id = $id ORDER BY vl.position
    """, {"id": venture_id, "lang": lang}).df()
    funding = cur.execute(f"""
        SELECT f.*, {label_sql('funding_route', 'f.route_id')} AS name,
               (f.kind = 'funding' AND f.max_amount_eur >= $typical) AS covers_typical_capital
        FROM funding_routes f ORDER BY f.kind DESC, f.route_id
    """, {"typical": int(venture["capital_typical_eur"]), "lang": lang}).df()
    return VentureDetail(venture, sector, occupation, skills, licences, funding,
                         seasonality(cur, [venture_id])[["month", "season_index"]], _sources(cur, venture_id))


def _one(cur: duckdb.DuckDBPyConnection, sql: str, key: object, lang: str) -> dict | None:
    frame = cur.execute(sql, {"id": key, "lang": lang}).df()
    return None if frame.empty else frame.iloc[0].to_dict()


SOURCE_KINDS = {
    "venture": N_("Venture profile"),
    "occupation": N_("Occupation and ISCO group"),
    "sector": N_("Sector figures"),
    "licence": N_("Licence"),
    "density": N_("Business density"),
}


def _sources(cur: duckdb.DuckDBPyConnection, venture_id: str) -> pd.DataFrame:
    """Where each figure shown for a venture comes from: kind (a SOURCE_KINDS key), item, provenance,
    source, retrieved."""
    return cur.execute("""
        SELECT 'venture' AS kind, venture_id AS item, provenance, source, retrieved
            FROM ventures WHERE venture_id = $v
        UNION ALL SELECT 'occupation', o.esco_code, o.provenance, o.source, o.retrieved
            FROM ventures v JOIN occupations o ON o.esco_uri = v.esco_occupation_uri WHERE v.venture_id = $v
        UNION ALL SELECT 'sector', s.sbi_code, s.provenance, s.source, s.retrieved
            FROM ventures v JOIN sectors s ON s.sbi_code = v.sbi_section WHERE v.venture_id = $v
        UNION ALL SELECT 'licence', l.licence_id, l.provenance, l.source, l.retrieved
            FROM venture_licences vl JOIN licences l USING (licence_id) WHERE vl.venture_id = $v
        UNION ALL SELECT DISTINCT 'density', r.sbi_code, r.provenance, r.source, r.retrieved
            FROM ventures v JOIN regional_signals r
              ON r.sbi_code IN (v.sbi_section, v.sbi2008) AND r.indicator = 'businesses_per_10k'
            WHERE v.venture_id = $v
    """, {"v": venture_id}).df()


def survival_by_sector(cur: duckdb.DuckDBPyConnection, *, lang: str = "en") -> pd.DataFrame:
    """Survival of new businesses per SBI section against all businesses (CBS, cohort 2015), each
    section's `name` in `lang`."""
    return cur.execute(f"""
        SELECT s.sbi_code, {label_sql('sector', 's.sbi_code')} AS name, s.survival_1y_pct, s.survival_3y_pct,
               s.survival_5y_pct, t.survival_5y_pct AS national_survival_5y_pct,
               s.survival_5y_pct - t.survival_5y_pct AS difference_pct, s.survival_cohort, s.source,
               s.one_person_businesses::DOUBLE / nullif(s.businesses, 0) AS one_person_share
        FROM sectors s CROSS JOIN (SELECT survival_5y_pct FROM sectors WHERE sbi_code = 'TOTAL') t
        WHERE s.level = 'section' AND s.survival_5y_pct IS NOT NULL
        ORDER BY s.survival_5y_pct DESC
    """, {"lang": lang}).df()


def density_by_region(cur: duckdb.DuckDBPyConnection, sbi_code: str) -> pd.DataFrame:
    """Businesses per 10,000 inhabitants by province for one sector, with the national figure,
    whether each is published or derived, and figures uploaded by managers."""
    return cur.execute("""
        WITH nat AS (SELECT value FROM regional_signals
                     WHERE sbi_code = $s AND region_code = 'NL' AND indicator = 'businesses_per_10k')
        SELECT p.province_code AS region_code, p.province_name AS region_name, r.value, r.period,
               r.provenance, r.source, (SELECT value FROM nat) AS national_value,
               r.value / nullif((SELECT value FROM nat), 0) AS ratio
        FROM provinces p JOIN regional_signals r
          ON r.region_code = p.province_code AND r.sbi_code = $s AND r.indicator = 'businesses_per_10k'
        UNION ALL
        SELECT l.region_code, coalesce(p.province_name, c.corop_name, m.name), l.value, l.period, 'local',
               l.source || ' (' || u.uploaded_by_name || ', ' || strftime(u.uploaded_at, '%Y-%m-%d') || ')',
               (SELECT value FROM nat), l.value / nullif((SELECT value FROM nat), 0)
        FROM local_market_signals l JOIN local_market_uploads u USING (upload_id)
        LEFT JOIN provinces p ON p.province_code = l.region_code
        LEFT JOIN corop_regions c ON c.corop_code = l.region_code
        LEFT JOIN municipalities m ON m.gm_code = l.region_code
        WHERE l.sbi_code = $s AND l.indicator = 'businesses_per_10k'
        ORDER BY region_code, provenance
    """, {"s": sbi_code}).df()


def seasonality(cur: duckdb.DuckDBPyConnection, venture_ids: list[str] | None = None) -> pd.DataFrame:
    """Monthly seasonal indices (mean 1.0) in long form: venture_id, month 1-12, season_index."""
    columns = ", ".join(seed.SEASON_COLUMNS)
    return cur.execute(f"""
        SELECT venture_id, CAST(right(month_column, 2) AS INTEGER) AS month, season_index
        FROM (UNPIVOT (SELECT venture_id, {columns} FROM ventures
                       WHERE $ids IS NULL OR list_contains($ids, venture_id))
              ON {columns} INTO NAME month_column VALUE season_index)
        ORDER BY venture_id, month
    """, {"ids": venture_ids}).df()


def demand_signals(cur: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return cur.execute("SELECT * FROM demand_signals ORDER BY indicator, scope, signal_id").df()
