-- The labels of the market data in one table, one row per (kind, code, language), so that a ninth
-- language is a catalogue and a data file (data/labels/<lang>.csv), not a migration. The per-language
-- columns of the reference tables move into it and are dropped; English is a row like the others
-- (language 'en'), the fallback every reader joins to. The seed replaces the rows with the reference
-- tables, so there is no foreign key (as in 002).

CREATE TABLE labels (
    kind VARCHAR NOT NULL,       -- venture | sector | licence | funding_route | skill_group | occupation
                                 -- | cefr | isced | demand_signal
    code VARCHAR NOT NULL,       -- the key in the kind's table (venture_id, sbi_code, ..., level as text)
    language VARCHAR NOT NULL,   -- an interface language of incubator.core.i18n.LANGUAGES
    text VARCHAR NOT NULL,
    PRIMARY KEY (kind, code, language)
);

INSERT INTO labels (kind, code, language, text)
SELECT kind, code, language, text FROM (
    SELECT 'venture' AS kind, venture_id AS code, 'nl' AS language, name_nl AS text FROM ventures
    UNION ALL SELECT 'venture', venture_id, 'en', name_en FROM ventures
    UNION ALL SELECT 'venture', venture_id, 'ar', name_ar FROM ventures
    UNION ALL SELECT 'sector', sbi_code, 'nl', name_nl FROM sectors
    UNION ALL SELECT 'sector', sbi_code, 'en', name_en FROM sectors
    UNION ALL SELECT 'sector', sbi_code, 'ar', name_ar FROM sectors
    UNION ALL SELECT 'licence', licence_id, 'nl', name_nl FROM licences
    UNION ALL SELECT 'licence', licence_id, 'en', name_en FROM licences
    UNION ALL SELECT 'licence', licence_id, 'ar', name_ar FROM licences
    UNION ALL SELECT 'funding_route', route_id, 'nl', name_nl FROM funding_routes
    UNION ALL SELECT 'funding_route', route_id, 'en', name_en FROM funding_routes
    UNION ALL SELECT 'funding_route', route_id, 'ar', name_ar FROM funding_routes
    UNION ALL SELECT 'skill_group', code, 'nl', label_nl FROM skill_groups
    UNION ALL SELECT 'skill_group', code, 'en', label_en FROM skill_groups
    UNION ALL SELECT 'skill_group', code, 'ar', label_ar FROM skill_groups
    UNION ALL SELECT 'occupation', esco_uri, 'nl', label_nl FROM occupations
    UNION ALL SELECT 'occupation', esco_uri, 'en', label_en FROM occupations
    UNION ALL SELECT 'occupation', esco_uri, 'ar', label_ar FROM occupations
    UNION ALL SELECT 'cefr', level, 'nl', label_nl FROM cefr_levels
    UNION ALL SELECT 'cefr', level, 'en', label_en FROM cefr_levels
    UNION ALL SELECT 'cefr', level, 'ar', label_ar FROM cefr_levels
    UNION ALL SELECT 'isced', CAST(level AS VARCHAR), 'nl', label_nl FROM isced_levels
    UNION ALL SELECT 'isced', CAST(level AS VARCHAR), 'en', label_en FROM isced_levels
    UNION ALL SELECT 'isced', CAST(level AS VARCHAR), 'ar', label_ar FROM isced_levels
    UNION ALL SELECT 'demand_signal', signal_id, 'nl', label_nl FROM demand_signals
    UNION ALL SELECT 'demand_signal', signal_id, 'en', label_en FROM demand_signals
    UNION ALL SELECT 'demand_signal', signal_id, 'ar', label_ar FROM demand_signals
) WHERE trim(coalesce(text, '')) <> '';

ALTER TABLE ventures DROP COLUMN name_nl;
ALTER TABLE ventures DROP COLUMN name_en;
ALTER TABLE ventures DROP COLUMN name_ar;
ALTER TABLE sectors DROP COLUMN name_nl;
ALTER TABLE sectors DROP COLUMN name_en;
ALTER TABLE sectors DROP COLUMN name_ar;
ALTER TABLE licences DROP COLUMN name_nl;
ALTER TABLE licences DROP COLUMN name_en;
ALTER TABLE licences DROP COLUMN name_ar;
ALTER TABLE funding_routes DROP COLUMN name_nl;
ALTER TABLE funding_routes DROP COLUMN name_en;
ALTER TABLE funding_routes DROP COLUMN name_ar;
ALTER TABLE skill_groups DROP COLUMN label_en;
ALTER TABLE skill_groups DROP COLUMN label_nl;
ALTER TABLE skill_groups DROP COLUMN label_ar;
ALTER TABLE occupations DROP COLUMN label_en;
ALTER TABLE occupations DROP COLUMN label_nl;
ALTER TABLE occupations DROP COLUMN label_ar;
ALTER TABLE cefr_levels DROP COLUMN label_en;
ALTER TABLE cefr_levels DROP COLUMN label_nl;
ALTER TABLE cefr_levels DROP COLUMN label_ar;
ALTER TABLE isced_levels DROP COLUMN label_en;
ALTER TABLE isced_levels DROP COLUMN label_nl;
ALTER TABLE isced_levels DROP COLUMN label_ar;
ALTER TABLE demand_signals DROP COLUMN label_en;
ALTER TABLE demand_signals DROP COLUMN label_nl;
ALTER TABLE demand_signals DROP COLUMN label_ar;
