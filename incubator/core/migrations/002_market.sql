-- The market-opportunity dataset (data/*.csv, loaded by `python -m incubator seed`) and the local
-- market figures that managers upload. The seed replaces the reference tables in one transaction,
-- so they carry no foreign keys (the loader checks every reference before it writes); other parts
-- refer to ventures by venture_id without a constraint for the same reason.

CREATE TABLE cefr_levels (
    level VARCHAR PRIMARY KEY,
    rank INTEGER NOT NULL UNIQUE,
    label_en VARCHAR NOT NULL, label_nl VARCHAR NOT NULL, label_ar VARCHAR NOT NULL,
    provenance VARCHAR NOT NULL, source VARCHAR, retrieved DATE
);

CREATE TABLE isced_levels (
    level INTEGER PRIMARY KEY,
    label_en VARCHAR NOT NULL, label_nl VARCHAR NOT NULL, label_ar VARCHAR NOT NULL,
    provenance VARCHAR NOT NULL, source VARCHAR, retrieved DATE
);

CREATE TABLE skill_groups (
    code VARCHAR PRIMARY KEY,            -- ESCO skill-group code as published, e.g. S6.5.6
    esco_uri VARCHAR NOT NULL,
    label_en VARCHAR NOT NULL,           -- ESCO preferred label
    label_nl VARCHAR NOT NULL,           -- the project's own translation
    label_ar VARCHAR NOT NULL,           -- the project's own translation
    level INTEGER NOT NULL,
    parent_code VARCHAR,
    provenance VARCHAR NOT NULL, source VARCHAR, retrieved DATE
);

CREATE TABLE occupations (
    esco_uri VARCHAR PRIMARY KEY,
    isco VARCHAR NOT NULL,               -- ISCO-08 unit group (4 digits)
    esco_code VARCHAR NOT NULL,
    label_en VARCHAR NOT NULL, label_nl VARCHAR NOT NULL, label_ar VARCHAR NOT NULL,
    provenance VARCHAR NOT NULL, source VARCHAR, retrieved DATE
);

CREATE TABLE licences (
    licence_id VARCHAR PRIMARY KEY,
    name_nl VARCHAR NOT NULL, name_en VARCHAR NOT NULL, name_ar VARCHAR NOT NULL,
    kind VARCHAR NOT NULL,
    issuer VARCHAR NOT NULL,
    cost_eur_low DOUBLE, cost_eur_high DOUBLE,
    lead_time_weeks INTEGER,
    exam_languages VARCHAR,              -- ';'-separated ISO 639-1 codes
    legally_required BOOLEAN NOT NULL,
    provenance VARCHAR NOT NULL, source VARCHAR, retrieved DATE, note VARCHAR
);

CREATE TABLE funding_routes (
    route_id VARCHAR PRIMARY KEY,
    kind VARCHAR NOT NULL,               -- funding | cost
    name_nl VARCHAR NOT NULL, name_en VARCHAR NOT NULL, name_ar VARCHAR NOT NULL,
    provider VARCHAR NOT NULL,
    max_amount_eur DOUBLE, typical_low_eur DOUBLE, typical_high_eur DOUBLE,
    interest_pct DOUBLE, max_months INTEGER, period VARCHAR,
    provenance VARCHAR NOT NULL, source VARCHAR, retrieved DATE, note VARCHAR
);

CREATE TABLE sectors (
    sbi_code VARCHAR PRIMARY KEY,        -- SBI 2008 section letter, class NN.NN, or TOTAL
    level VARCHAR NOT NULL,              -- total | section | division | class
    section VARCHAR,
    name_nl VARCHAR NOT NULL, name_en VARCHAR NOT NULL, name_ar VARCHAR NOT NULL,
    businesses BIGINT, businesses_period VARCHAR,
    one_person_businesses BIGINT,
    starts BIGINT, closures BIGINT, starts_period VARCHAR,
    survival_1y_pct DOUBLE, survival_3y_pct DOUBLE, survival_5y_pct DOUBLE, survival_cohort VARCHAR,
    provenance VARCHAR NOT NULL, source VARCHAR, retrieved DATE, note VARCHAR
);

CREATE TABLE provinces (
    province_code VARCHAR PRIMARY KEY,
    province_name VARCHAR NOT NULL,
    municipalities INTEGER NOT NULL,
    population BIGINT NOT NULL,
    year INTEGER NOT NULL,
    provenance VARCHAR NOT NULL, source VARCHAR, retrieved DATE
);

CREATE TABLE corop_regions (
    corop_code VARCHAR PRIMARY KEY,
    corop_name VARCHAR NOT NULL,
    province_code VARCHAR NOT NULL,
    municipalities INTEGER NOT NULL,
    population BIGINT NOT NULL,
    year INTEGER NOT NULL,
    provenance VARCHAR NOT NULL, source VARCHAR, retrieved DATE
);

CREATE TABLE municipalities (
    gm_code VARCHAR PRIMARY KEY,
    name VARCHAR NOT NULL,
    province_code VARCHAR NOT NULL, province_name VARCHAR NOT NULL,
    corop_code VARCHAR NOT NULL, corop_name VARCHAR NOT NULL,
    population BIGINT NOT NULL,
    year INTEGER NOT NULL,
    provenance VARCHAR NOT NULL, source VARCHAR, retrieved DATE
);

CREATE TABLE regional_signals (
    signal_id VARCHAR PRIMARY KEY,
    region_code VARCHAR NOT NULL,        -- NL, PVnn, CRnn or GMnnnn
    sbi_code VARCHAR NOT NULL,
    indicator VARCHAR NOT NULL,
    value DOUBLE NOT NULL,
    unit VARCHAR NOT NULL,
    period VARCHAR NOT NULL,
    provenance VARCHAR NOT NULL, source VARCHAR, retrieved DATE, method VARCHAR
);

CREATE TABLE demand_signals (
    signal_id VARCHAR PRIMARY KEY,
    indicator VARCHAR NOT NULL,
    scope VARCHAR NOT NULL,
    sbi_section VARCHAR, isco VARCHAR,
    label_en VARCHAR NOT NULL, label_nl VARCHAR NOT NULL, label_ar VARCHAR NOT NULL,
    value DOUBLE NOT NULL, unit VARCHAR NOT NULL, period VARCHAR NOT NULL,
    provenance VARCHAR NOT NULL, source VARCHAR, retrieved DATE, note VARCHAR
);

CREATE TABLE ventures (
    venture_id VARCHAR PRIMARY KEY,
    name_nl VARCHAR NOT NULL, name_en VARCHAR NOT NULL, name_ar VARCHAR NOT NULL,
    family VARCHAR NOT NULL CHECK (family IN ('self_employment', 'craft', 'ethnic_entrepreneurship')),
    sbi_section VARCHAR NOT NULL,
    sbi2008 VARCHAR NOT NULL,
    sbi2025 VARCHAR,
    esco_occupation_uri VARCHAR NOT NULL,
    isco VARCHAR NOT NULL,
    skills_required VARCHAR NOT NULL,    -- as in the CSV; normalised in venture_skills
    skills_helpful VARCHAR,
    cefr_typical VARCHAR NOT NULL,
    capital_low_eur INTEGER NOT NULL, capital_typical_eur INTEGER NOT NULL, capital_high_eur INTEGER NOT NULL,
    licence_ids VARCHAR,                 -- as in the CSV; normalised in venture_licences
    premises VARCHAR NOT NULL CHECK (premises IN ('home', 'workshop', 'shop', 'mobile')),
    hours_per_week INTEGER NOT NULL,
    riasec VARCHAR NOT NULL,
    season_01 DOUBLE NOT NULL, season_02 DOUBLE NOT NULL, season_03 DOUBLE NOT NULL,
    season_04 DOUBLE NOT NULL, season_05 DOUBLE NOT NULL, season_06 DOUBLE NOT NULL,
    season_07 DOUBLE NOT NULL, season_08 DOUBLE NOT NULL, season_09 DOUBLE NOT NULL,
    season_10 DOUBLE NOT NULL, season_11 DOUBLE NOT NULL, season_12 DOUBLE NOT NULL,
    jobs_potential INTEGER NOT NULL,
    revenue_month_low_eur INTEGER NOT NULL, revenue_month_high_eur INTEGER NOT NULL,
    provenance VARCHAR NOT NULL, source VARCHAR, retrieved DATE
);

CREATE TABLE venture_skills (
    venture_id VARCHAR NOT NULL,
    skill_code VARCHAR NOT NULL,
    kind VARCHAR NOT NULL CHECK (kind IN ('required', 'helpful')),
    weight DOUBLE NOT NULL,
    PRIMARY KEY (venture_id, skill_code)
);

CREATE TABLE venture_licences (
    venture_id VARCHAR NOT NULL,
    licence_id VARCHAR NOT NULL,
    position INTEGER NOT NULL,
    PRIMARY KEY (venture_id, licence_id)
);

-- Which version of data/ is loaded: a SHA-256 over the file names and contents.
CREATE TABLE market_dataset (
    version VARCHAR NOT NULL,
    files INTEGER NOT NULL,
    rows_loaded INTEGER NOT NULL,
    loaded_at TIMESTAMP NOT NULL
);

-- Extra regional market files uploaded by programme managers, kept beside the national figures.
CREATE SEQUENCE local_market_uploads_id_seq START 1;

CREATE TABLE local_market_uploads (
    upload_id INTEGER PRIMARY KEY DEFAULT nextval('local_market_uploads_id_seq'),
    uploaded_by INTEGER NOT NULL,        -- users.user_id
    uploaded_by_name VARCHAR NOT NULL,
    uploaded_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    file_name VARCHAR NOT NULL,
    sha256 VARCHAR NOT NULL,
    row_count INTEGER NOT NULL
);

CREATE TABLE local_market_signals (
    upload_id INTEGER NOT NULL,
    line INTEGER NOT NULL,
    region_code VARCHAR NOT NULL,
    sbi_code VARCHAR NOT NULL,
    indicator VARCHAR NOT NULL,
    value DOUBLE NOT NULL,
    unit VARCHAR NOT NULL,
    period VARCHAR NOT NULL,
    source VARCHAR NOT NULL,
    note VARCHAR,
    PRIMARY KEY (upload_id, line)
);
