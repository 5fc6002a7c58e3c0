-- Suggestions: the venture ideas mentors add, the suggestions they set aside (with a note), the
-- venture a participant chose for the business plan, and the programme's own outcomes that replace
-- the synthetic training data once there are enough. Ventures are referred to by venture_id without
-- a foreign key (the market seed replaces its tables); user columns hold users.user_id, NULL for the
-- command line.

CREATE SEQUENCE venture_ideas_id_seq START 1;

CREATE TABLE venture_ideas (
    idea_id INTEGER PRIMARY KEY DEFAULT nextval('venture_ideas_id_seq'),
    participant_id VARCHAR NOT NULL,
    title VARCHAR NOT NULL,
    note VARCHAR,
    family VARCHAR CHECK (family IS NULL OR family IN ('self_employment', 'craft', 'ethnic_entrepreneurship')),
    created_by INTEGER,
    created_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    withdrawn_at TIMESTAMP
);

CREATE SEQUENCE suggestion_set_asides_id_seq START 1;

-- One row per setting aside; restoring fills restored_at, so the history stays.
CREATE TABLE suggestion_set_asides (
    set_aside_id INTEGER PRIMARY KEY DEFAULT nextval('suggestion_set_asides_id_seq'),
    participant_id VARCHAR NOT NULL,
    venture_id VARCHAR NOT NULL,
    note VARCHAR NOT NULL,
    set_by INTEGER,
    set_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    restored_by INTEGER,
    restored_at TIMESTAMP
);

CREATE SEQUENCE venture_choices_id_seq START 1;

-- Every choice is kept; the latest is the participant's current one (the business plan reads it).
CREATE TABLE venture_choices (
    choice_id INTEGER PRIMARY KEY DEFAULT nextval('venture_choices_id_seq'),
    participant_id VARCHAR NOT NULL,
    venture_id VARCHAR,                  -- a venture of the market data, or
    idea_id INTEGER,                     -- a mentor's own idea
    score DOUBLE,                        -- the estimate when chosen (NULL for an idea)
    model_version VARCHAR,
    features JSON,                       -- feature values when chosen: what retraining on outcomes learns from
    municipality VARCHAR,
    chosen_by INTEGER,
    chosen_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    CHECK ((venture_id IS NULL) <> (idea_id IS NULL))
);

CREATE SEQUENCE programme_outcomes_id_seq START 1;

-- What happened to a chosen venture: launched, and still running 12 months later. One row per choice
-- (recording again replaces it).
CREATE TABLE programme_outcomes (
    outcome_id INTEGER PRIMARY KEY DEFAULT nextval('programme_outcomes_id_seq'),
    choice_id INTEGER NOT NULL UNIQUE,
    participant_id VARCHAR NOT NULL,
    venture_id VARCHAR NOT NULL,
    launched BOOLEAN NOT NULL,
    running_12m BOOLEAN NOT NULL,
    features JSON NOT NULL,
    recorded_by INTEGER,
    recorded_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    CHECK (launched OR NOT running_12m)
);
