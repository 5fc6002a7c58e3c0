-- Typed copies of a saved snapshot's lists (skills, languages, work experience) and of the one
-- scalar the scoring needs that had no column yet (home_based_only), so that scoring a whole cohort
-- builds its arrays straight from these tables instead of parsing every snapshot's JSON into Profile
-- objects. The JSON in profile_snapshots.profile stays the record of what was saved; these rows say
-- the same in columns. Only saved snapshots (draft = FALSE) have rows here: a draft is read by the
-- wizard alone, as JSON, and gets its rows when it is saved. Every row is personal data of the
-- participant it names (erasure covers these tables with profile_snapshots).

ALTER TABLE profile_snapshots ADD COLUMN home_based_only BOOLEAN;
UPDATE profile_snapshots
SET home_based_only = coalesce(CAST(json_extract(profile, '$.home_based_only') AS BOOLEAN), FALSE);

CREATE TABLE profile_snapshot_skills (
    participant_id VARCHAR NOT NULL,
    version INTEGER NOT NULL,            -- profile_snapshots.version (a saved snapshot)
    position INTEGER NOT NULL,           -- 1, 2, ... in the order of the profile's list
    esco_group VARCHAR NOT NULL,         -- any code of the ESCO skills hierarchy (S6.5.6, S5.1, T6.4)
    level INTEGER NOT NULL,              -- 1-4
    PRIMARY KEY (participant_id, version, position)
);

CREATE TABLE profile_snapshot_languages (
    participant_id VARCHAR NOT NULL,
    version INTEGER NOT NULL,
    position INTEGER NOT NULL,
    code VARCHAR NOT NULL,               -- ISO 639-1
    cefr VARCHAR NOT NULL,               -- A1..C2
    PRIMARY KEY (participant_id, version, position)
);

CREATE TABLE profile_snapshot_experience (
    participant_id VARCHAR NOT NULL,
    version INTEGER NOT NULL,
    position INTEGER NOT NULL,
    isco VARCHAR,                        -- ISCO-08 unit group, or
    esco_uri VARCHAR,                    -- an ESCO occupation
    years DOUBLE NOT NULL,
    PRIMARY KEY (participant_id, version, position)
);

-- Every saved snapshot made before this migration, from its JSON.
INSERT INTO profile_snapshot_skills
SELECT participant_id, version, position, item ->> 'esco_group', CAST(item ->> 'level' AS INTEGER)
FROM (SELECT participant_id, version, unnest(items) AS item, generate_subscripts(items, 1) AS position
      FROM (SELECT participant_id, version, CAST(coalesce(json_extract(profile, '$.skills'), '[]') AS JSON[]) AS items
            FROM profile_snapshots WHERE NOT draft));

INSERT INTO profile_snapshot_languages
SELECT participant_id, version, position, item ->> 'code', item ->> 'cefr'
FROM (SELECT participant_id, version, unnest(items) AS item, generate_subscripts(items, 1) AS position
      FROM (SELECT participant_id, version, CAST(coalesce(json_extract(profile, '$.languages'), '[]') AS JSON[]) AS items
            FROM profile_snapshots WHERE NOT draft));

INSERT INTO profile_snapshot_experience
SELECT participant_id, version, position, item ->> 'isco', item ->> 'esco_uri', CAST(item ->> 'years' AS DOUBLE)
FROM (SELECT participant_id, version, unnest(items) AS item, generate_subscripts(items, 1) AS position
      FROM (SELECT participant_id, version, CAST(coalesce(json_extract(profile, '$.experience'), '[]') AS JSON[]) AS items
            FROM profile_snapshots WHERE NOT draft));
