-- Privacy (issue 13): one consent model for every purpose, a participant's leaving date (retention
-- counts from it), the corrections a person asked for, the erasures done, and the anonymous outcome
-- counts that an erasure leaves for the programme's figures.

-- 1. Consent: one row per consent given for a purpose; a withdrawal fills the withdrawn_* columns of
-- the open row. A stakeholder link is purpose 'stakeholder' with the stakeholder's account.
-- notice_version is the version of the privacy notice the person was shown (NULL for consents
-- recorded before the notice existed: the rows taken over from stakeholder_consents).
CREATE SEQUENCE consents_id_seq START 1;

CREATE TABLE consents (
    consent_id INTEGER PRIMARY KEY DEFAULT nextval('consents_id_seq'),
    participant_id VARCHAR NOT NULL,
    purpose VARCHAR NOT NULL CHECK (purpose IN ('programme', 'municipality', 'stakeholder', 'research')),
    stakeholder_user_id INTEGER,
    notice_version VARCHAR,
    given_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    given_method VARCHAR NOT NULL CHECK (given_method IN ('in_person', 'signed_form', 'in_app')),
    given_by INTEGER,                    -- users.user_id of who recorded it; NULL for the command line
    withdrawn_at TIMESTAMP,
    withdrawn_method VARCHAR CHECK (withdrawn_method IN ('in_person', 'signed_form', 'in_app')),
    withdrawn_by INTEGER,
    CHECK ((purpose = 'stakeholder') = (stakeholder_user_id IS NOT NULL)),
    CHECK ((withdrawn_at IS NULL) = (withdrawn_method IS NULL))
);

-- The stakeholder links of migration 010 were events (given TRUE / FALSE, the latest decides): each
-- consent becomes a row, closed by the withdrawal that followed it, if any.
INSERT INTO consents (participant_id, purpose, stakeholder_user_id, notice_version, given_at, given_method,
                      given_by, withdrawn_at, withdrawn_method, withdrawn_by)
SELECT g.participant_id, 'stakeholder', g.stakeholder_user_id, NULL, g.recorded_at, g.method, g.recorded_by,
       w.recorded_at, w.method, w.recorded_by
FROM (SELECT *, lead(consent_id) OVER (PARTITION BY participant_id, stakeholder_user_id ORDER BY consent_id) AS next_id
      FROM stakeholder_consents) g
LEFT JOIN stakeholder_consents w ON w.consent_id = g.next_id AND NOT w.given
WHERE g.given
ORDER BY g.consent_id;

DROP TABLE stakeholder_consents;
DROP SEQUENCE stakeholder_consents_id_seq;

-- 2. When a participant left the programme (NULL: still in it). The retention period counts from here.
ALTER TABLE participants ADD COLUMN left_on DATE;

-- 3. Corrections a person asked for: which field, who recorded it and when; never the old value
-- (keeping it would keep what the person asked to have corrected).
CREATE SEQUENCE rectifications_id_seq START 1;

CREATE TABLE rectifications (
    rectification_id INTEGER PRIMARY KEY DEFAULT nextval('rectifications_id_seq'),
    participant_id VARCHAR NOT NULL,
    field VARCHAR NOT NULL,
    recorded_by INTEGER,
    recorded_at TIMESTAMP NOT NULL DEFAULT current_timestamp
);

-- 4. Erasures: the pseudonymous id that was erased, when, and why (the person asked, or the retention
-- period ended). Nothing else about the person stays.
CREATE TABLE erasures (
    participant_id VARCHAR PRIMARY KEY,
    erased_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    reason VARCHAR NOT NULL CHECK (reason IN ('request', 'retention')),
    erased_by INTEGER
);

-- 5. What an erasure keeps for the programme's outcome figures: counts per cohort (0: no cohort),
-- added up, never one row per person.
CREATE TABLE erased_outcome_counts (
    cohort_key INTEGER PRIMARY KEY,
    members INTEGER NOT NULL,
    recorded INTEGER NOT NULL,
    launched INTEGER NOT NULL,
    running_6m INTEGER NOT NULL,
    running_12m INTEGER NOT NULL,
    running_24m INTEGER NOT NULL,
    jobs_fte DECIMAL(9, 2) NOT NULL,
    left_assistance INTEGER NOT NULL
);
