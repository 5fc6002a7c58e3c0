-- Programme tracking (issue 11): cohorts, mentors' profiles for matching, the session log with its
-- next steps, milestones with their history, co-creation notes, stakeholders linked with the
-- participant's consent, richer outcomes, and the marks of a synthetic demo workspace. User columns
-- hold users.user_id (NULL for the command line); no foreign keys, like the other parts.

-- 1. The stakeholder role (a municipality's client manager, a language coach). users.role carries a
-- CHECK constraint that DuckDB cannot alter, so the table is rebuilt with its rows: copied aside,
-- dropped, created again with the wider list and filled back in the same column order (an INSERT of
-- SELECT * fails loudly if the columns ever differ, instead of losing any). Nothing refers to users
-- with a foreign key; the id sequence stays, so new accounts keep getting fresh numbers.
CREATE TABLE users_before_010 AS SELECT * FROM users;
DROP TABLE users;
CREATE TABLE users (
    user_id INTEGER PRIMARY KEY DEFAULT nextval('users_id_seq'),
    username VARCHAR NOT NULL UNIQUE,
    -- argon2id hash; NULL for accounts that only sign in through the identity provider.
    password_hash VARCHAR,
    role VARCHAR NOT NULL CHECK (role IN ('newcomer', 'mentor', 'manager', 'admin', 'stakeholder')),
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    password_changed_at TIMESTAMP
);
INSERT INTO users SELECT * FROM users_before_010;
DROP TABLE users_before_010;

-- 2. Synthetic records made by `python -m incubator demo`, labelled wherever they are shown or
-- exported; their outcomes never train the model.
ALTER TABLE participants ADD COLUMN synthetic BOOLEAN DEFAULT FALSE;
UPDATE participants SET synthetic = FALSE WHERE synthetic IS NULL;

CREATE TABLE demo_workspaces (
    made_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    participants INTEGER NOT NULL,
    seed INTEGER NOT NULL
);

-- 3. Cohorts: a group that starts together in one municipality and programme. A participant is in
-- one cohort at most (the cohort's start date is where their milestones are counted from).
CREATE SEQUENCE cohorts_id_seq START 1;

CREATE TABLE cohorts (
    cohort_id INTEGER PRIMARY KEY DEFAULT nextval('cohorts_id_seq'),
    name VARCHAR NOT NULL UNIQUE,
    start_on DATE NOT NULL,
    municipality VARCHAR NOT NULL,       -- CBS GM code
    programme VARCHAR NOT NULL,
    synthetic BOOLEAN NOT NULL DEFAULT FALSE,
    created_by INTEGER,
    created_at TIMESTAMP NOT NULL DEFAULT current_timestamp
);

CREATE TABLE cohort_members (
    participant_id VARCHAR PRIMARY KEY,
    cohort_id INTEGER NOT NULL,
    added_by INTEGER,
    added_at TIMESTAMP NOT NULL DEFAULT current_timestamp
);

-- 4. What matching compares: a mentor's capacity, languages (ISO 639-1) and sector expertise (SBI
-- section letters). A draft-like upsert per mentor.
CREATE TABLE mentor_profiles (
    mentor_user_id INTEGER PRIMARY KEY,
    capacity INTEGER NOT NULL CHECK (capacity BETWEEN 0 AND 100),
    languages VARCHAR[] NOT NULL,
    sectors VARCHAR[] NOT NULL,
    updated_by INTEGER,
    updated_at TIMESTAMP NOT NULL DEFAULT current_timestamp
);

-- 5. The session log and the next steps agreed in a session (a step can become a milestone).
CREATE SEQUENCE mentoring_sessions_id_seq START 1;

CREATE TABLE mentoring_sessions (
    session_id INTEGER PRIMARY KEY DEFAULT nextval('mentoring_sessions_id_seq'),
    participant_id VARCHAR NOT NULL,
    mentor_user_id INTEGER,              -- who held it; NULL for the command line
    held_on DATE NOT NULL,
    duration_minutes INTEGER NOT NULL CHECK (duration_minutes BETWEEN 5 AND 600),
    topics VARCHAR[] NOT NULL,           -- keys of incubator.programme.sessions.TOPICS
    notes VARCHAR,                       -- free text
    created_at TIMESTAMP NOT NULL DEFAULT current_timestamp
);

CREATE SEQUENCE session_next_steps_id_seq START 1;

CREATE TABLE session_next_steps (
    step_id INTEGER PRIMARY KEY DEFAULT nextval('session_next_steps_id_seq'),
    session_id INTEGER NOT NULL,
    participant_id VARCHAR NOT NULL,
    description VARCHAR NOT NULL,
    owner VARCHAR NOT NULL CHECK (owner IN ('participant', 'mentor', 'together')),
    due_on DATE NOT NULL
);

-- 6. Milestones: instantiated from the templates of a venture's family and the venture's own
-- licences (template_key), or made from a next step or by hand (template_key NULL). `version` goes up
-- with every change: a check-in made on an older version is shown as a conflict, never applied over
-- someone else's change. milestone_events keeps every change (the timeline and the audit).
CREATE TABLE milestone_plans (
    participant_id VARCHAR PRIMARY KEY,
    start_on DATE NOT NULL,
    family VARCHAR,
    venture_id VARCHAR,
    created_by INTEGER,
    created_at TIMESTAMP NOT NULL DEFAULT current_timestamp
);

CREATE SEQUENCE milestones_id_seq START 1;

CREATE TABLE milestones (
    milestone_id INTEGER PRIMARY KEY DEFAULT nextval('milestones_id_seq'),
    participant_id VARCHAR NOT NULL,
    template_key VARCHAR,                -- market_check, plan_written, licence.<id>, ...; NULL for one's own
    title VARCHAR,                       -- the text of a milestone made by hand or from a next step
    licence_id VARCHAR,                  -- for licence.<id>
    plan_section VARCHAR,                -- a key of incubator.plans.content (PLAN_SECTIONS, CANVAS_BLOCKS)
    checklist_keys VARCHAR[] NOT NULL,   -- the funding checklist items it takes over (bbz.business_plan, ...)
    position INTEGER NOT NULL,
    due_on DATE NOT NULL,
    owner VARCHAR NOT NULL CHECK (owner IN ('participant', 'mentor', 'together')),
    status VARCHAR NOT NULL CHECK (status IN ('todo', 'in_progress', 'done', 'blocked', 'skipped')),
    reason VARCHAR,                      -- why it is blocked or skipped
    evidence VARCHAR,                    -- the evidence note
    completed_on DATE,
    from_step_id INTEGER UNIQUE,         -- the next step it was made from
    version INTEGER NOT NULL,
    updated_by INTEGER,
    updated_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    created_by INTEGER,
    created_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    synthetic BOOLEAN NOT NULL DEFAULT FALSE,
    UNIQUE (participant_id, template_key),
    CHECK ((status IN ('blocked', 'skipped')) = (reason IS NOT NULL)),
    CHECK ((status = 'done') = (completed_on IS NOT NULL))
);

CREATE SEQUENCE milestone_events_id_seq START 1;

CREATE TABLE milestone_events (
    event_id BIGINT PRIMARY KEY DEFAULT nextval('milestone_events_id_seq'),
    milestone_id INTEGER NOT NULL,
    version INTEGER NOT NULL,            -- the version this change made
    status VARCHAR NOT NULL,
    reason VARCHAR,
    evidence VARCHAR,
    completed_on DATE,
    changed_by INTEGER,
    changed_at TIMESTAMP NOT NULL DEFAULT current_timestamp
);

-- 7. Co-creation notes, never rewritten: a newer note follows an older one (follows_note_id).
CREATE SEQUENCE programme_notes_id_seq START 1;

CREATE TABLE programme_notes (
    note_id INTEGER PRIMARY KEY DEFAULT nextval('programme_notes_id_seq'),
    participant_id VARCHAR NOT NULL,
    about VARCHAR NOT NULL CHECK (about IN ('participant', 'plan_section', 'milestone')),
    about_key VARCHAR,                   -- the plan section's key or the milestone's id
    follows_note_id INTEGER,
    body VARCHAR NOT NULL,
    author_user_id INTEGER,
    author_role VARCHAR NOT NULL,        -- the role when written
    written_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    CHECK ((about = 'participant') = (about_key IS NULL))
);

-- 8. Stakeholders see a participant only while the participant consents. Every consent and every
-- withdrawal is a row (who recorded it, when, how); the latest row of a pair decides. Issue 13 folds
-- these records into the full consent model.
CREATE SEQUENCE stakeholder_consents_id_seq START 1;

CREATE TABLE stakeholder_consents (
    consent_id INTEGER PRIMARY KEY DEFAULT nextval('stakeholder_consents_id_seq'),
    participant_id VARCHAR NOT NULL,
    stakeholder_user_id INTEGER NOT NULL,
    given BOOLEAN NOT NULL,              -- TRUE: consent to the link; FALSE: withdrawn
    method VARCHAR NOT NULL CHECK (method IN ('in_person', 'signed_form', 'in_app')),
    purpose VARCHAR NOT NULL,
    recorded_by INTEGER,
    recorded_at TIMESTAMP NOT NULL DEFAULT current_timestamp
);

-- 9. Outcomes: programme_outcomes keeps its rows and keeps feeding `train --from-outcomes`, with the
-- rest of what happened beside them. running_12m NULL means "not known yet" (such rows do not train);
-- venture_id and features are NULL when the choice was a mentor's own idea.
ALTER TABLE programme_outcomes ALTER COLUMN running_12m DROP NOT NULL;
ALTER TABLE programme_outcomes ALTER COLUMN venture_id DROP NOT NULL;
ALTER TABLE programme_outcomes ALTER COLUMN features DROP NOT NULL;
ALTER TABLE programme_outcomes ADD COLUMN launched_on DATE;          -- the KvK registration date
ALTER TABLE programme_outcomes ADD COLUMN running_6m BOOLEAN;
ALTER TABLE programme_outcomes ADD COLUMN running_24m BOOLEAN;
ALTER TABLE programme_outcomes ADD COLUMN jobs_fte DECIMAL(5, 2);
ALTER TABLE programme_outcomes ADD COLUMN revenue_band VARCHAR;
ALTER TABLE programme_outcomes ADD COLUMN left_assistance_on DATE;   -- left social assistance
ALTER TABLE programme_outcomes ADD COLUMN synthetic BOOLEAN DEFAULT FALSE;
UPDATE programme_outcomes SET synthetic = FALSE WHERE synthetic IS NULL;
