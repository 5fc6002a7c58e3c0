-- The whole ESCO skills hierarchy (levels 0-3) and the individual ESCO skills that belong to one of
-- its groups, so that profiles made by other tools can use any published code or skill URI; and an
-- optional reference to a participant's record in the system a cohort file came from.

CREATE TABLE esco_skill_hierarchy (
    code VARCHAR PRIMARY KEY,            -- ESCO code as published: S, S1, S1.2, S1.2.3, T6.4, L1, K
    esco_uri VARCHAR NOT NULL,
    label_en VARCHAR NOT NULL,           -- ESCO preferred term (English only: no translations are made)
    level INTEGER NOT NULL,              -- 0 (S, T, L, K) to 3
    parent_code VARCHAR,                 -- the broader code; NULL at level 0
    provenance VARCHAR NOT NULL, source VARCHAR, retrieved DATE
);

CREATE TABLE esco_skills (
    esco_uri VARCHAR PRIMARY KEY,        -- an individual ESCO skill
    label_en VARCHAR NOT NULL,
    group_code VARCHAR NOT NULL,         -- its broader group in esco_skill_hierarchy (ESCO's own relation)
    provenance VARCHAR NOT NULL, source VARCHAR, retrieved DATE
);

-- The id in the source system (never a citizen service number: the import refuses anything shaped
-- like a BSN). Optional; unique when given, so that a second import of the same file updates the
-- participants it made instead of adding them again.
ALTER TABLE participants ADD COLUMN external_ref VARCHAR;
CREATE UNIQUE INDEX participants_external_ref ON participants (external_ref);
