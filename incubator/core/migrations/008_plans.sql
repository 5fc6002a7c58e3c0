-- Business plans: one plan per participant and chosen venture (or mentor's idea), every save a new
-- numbered version (the content is JSON: lean canvas, ondernemingsplan sections and the forecast
-- inputs, amounts in euro cents), comments on a block, and the version each reader last viewed (to
-- show what changed since). Also the social-assistance norms that the living-income check compares
-- with, loaded by the market seed (data/social_assistance_norms.csv). Ventures and ideas are referred
-- to without foreign keys, like the other parts do (the seed replaces the market tables).

CREATE SEQUENCE plans_id_seq START 1;

CREATE TABLE plans (
    plan_id INTEGER PRIMARY KEY DEFAULT nextval('plans_id_seq'),
    participant_id VARCHAR NOT NULL,
    venture_id VARCHAR,                  -- a venture of the market data, or
    idea_id INTEGER,                     -- a mentor's own idea (venture_ideas.idea_id)
    venture_key VARCHAR NOT NULL,        -- venture_id, or 'idea:<idea_id>': one plan per participant and venture
    created_by INTEGER,                  -- users.user_id; NULL for the command line
    created_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    UNIQUE (participant_id, venture_key),
    CHECK ((venture_id IS NULL) <> (idea_id IS NULL))
);

-- Versions 1, 2, 3 ... of a plan; version 1 holds what was prefilled from the venture catalogue.
-- Two people saving on top of the same version meet at the primary key: one wins, the other is told.
CREATE TABLE plan_versions (
    plan_id INTEGER NOT NULL,
    version INTEGER NOT NULL,
    content JSON NOT NULL,
    saved_by INTEGER,
    saved_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    PRIMARY KEY (plan_id, version)
);

CREATE SEQUENCE plan_comments_id_seq START 1;

CREATE TABLE plan_comments (
    comment_id INTEGER PRIMARY KEY DEFAULT nextval('plan_comments_id_seq'),
    plan_id INTEGER NOT NULL,
    version INTEGER NOT NULL,            -- the version the comment was written on
    block VARCHAR NOT NULL,              -- a canvas block, a plan section, or 'forecast'
    body VARCHAR NOT NULL,
    written_by INTEGER,
    written_at TIMESTAMP NOT NULL DEFAULT current_timestamp
);

-- The latest version each reader has seen (an upsert; never goes back).
CREATE TABLE plan_views (
    plan_id INTEGER NOT NULL,
    user_id INTEGER NOT NULL,
    version INTEGER NOT NULL,
    viewed_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    PRIMARY KEY (plan_id, user_id)
);

CREATE TABLE social_assistance_norms (
    household VARCHAR PRIMARY KEY CHECK (household IN ('single', 'couple')),
    amount_month_eur DECIMAL(10, 2) NOT NULL,       -- per month, holiday allowance included
    amount_without_holiday_eur DECIMAL(10, 2),
    valid_from DATE NOT NULL,
    level VARCHAR NOT NULL,                          -- e.g. '2024': the norms are indexed twice a year
    legal_basis VARCHAR NOT NULL,
    applies_to VARCHAR NOT NULL,
    provenance VARCHAR NOT NULL, source VARCHAR, retrieved DATE, note VARCHAR
);
