-- Participants (pseudonymous), the mentors assigned to them, and the dated snapshots of their
-- skills-and-ambition inventory. No nationality, ethnicity or religion: there is no column for them.

CREATE TABLE participants (
    participant_id VARCHAR PRIMARY KEY,          -- P-000123: what exports and reports show
    owner_user_id INTEGER UNIQUE,                -- users.user_id of the newcomer; NULL until linked
    display_name VARCHAR,                        -- optional; left out of exports unless asked for
    created_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    created_by INTEGER                           -- users.user_id; NULL for the command line
);

CREATE TABLE participant_mentors (
    participant_id VARCHAR NOT NULL,
    mentor_user_id INTEGER NOT NULL,
    assigned_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    assigned_by INTEGER,
    PRIMARY KEY (participant_id, mentor_user_id)
);

-- One row per save. Versions 1, 2, 3 ... are the dated snapshots that history and progress use;
-- a draft (draft = TRUE, at most one per participant) waits at the next version number until the
-- person saves the whole inventory, which turns it into that version.
CREATE TABLE profile_snapshots (
    participant_id VARCHAR NOT NULL,
    version INTEGER NOT NULL,
    draft BOOLEAN NOT NULL,
    saved_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    saved_by INTEGER,
    source VARCHAR NOT NULL CHECK (source IN ('wizard', 'import', 'api')),
    profile JSON NOT NULL,                       -- the exchange format (docs/profile.schema.json)
    details JSON NOT NULL,                       -- the rest of the inventory (incubator.inventory.Details)
    -- Copies of values that dashboards and progress reports query, so they need no JSON parsing.
    municipality VARCHAR,
    dutch_cefr VARCHAR,
    isced_level INTEGER,
    ambition INTEGER,
    capital_eur DOUBLE,
    hours_per_week DOUBLE,
    on_benefit BOOLEAN,
    ladder_rung INTEGER,
    skills_count INTEGER,
    interest_r INTEGER, interest_i INTEGER, interest_a INTEGER,
    interest_s INTEGER, interest_e INTEGER, interest_c INTEGER,
    -- The life-domains scan, 1-5; NULL where not answered.
    domain_language INTEGER, domain_housing INTEGER, domain_money INTEGER, domain_health INTEGER,
    domain_network INTEGER, domain_daytime INTEGER, domain_education INTEGER, domain_work INTEGER,
    PRIMARY KEY (participant_id, version)
);
