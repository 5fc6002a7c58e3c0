-- The pipeline's per-participant derivation, kept as a table (issue 12: every KPI at 100,000
-- participants under 0.3 s). The derivation itself is the view participant_stage_derivation, its one
-- definition; participant_stage is a cache of it, one row per participant, refreshed by every write
-- that changes what it derives, in that write's own transaction (incubator.core.participant_stage).
-- Who sees whom and the manager's filters stay in incubator.pipeline.scope, over this table.
--
-- Per participant: the intake day, the synthetic flag, the cohort, the municipality (the latest saved
-- inventory's, else the cohort's), the current choice (the latest venture_choices row by (chosen_at,
-- choice_id), packed into one HUGEINT: arg_max over a STRUCT key is several times slower; arg_max_null
-- keeps a NULL venture or idea as it is) and its family, and the date of each stage: the first saved
-- inventory, the first choice, the first plan version, the finance_arranged milestone done, and the
-- current choice's launch (registered) and the 6, 12 and 24 month marks it was running at.

CREATE VIEW participant_stage_derivation AS
SELECT p.participant_id,
       CAST(p.created_at AS DATE) AS intake_on,
       coalesce(p.synthetic, FALSE) AS synthetic,
       cm.cohort_id,
       coalesce(snap.municipality, co.municipality) AS municipality,
       choice.choice_id, choice.venture_id, choice.idea_id,
       coalesce(v.family, i.family) AS family,
       snap.inventory_on,
       choice.venture_chosen_on,
       plan.plan_on,
       finance.finance_arranged_on,
       o.launched_on AS registered_on,
       CASE WHEN o.running_6m THEN CAST(o.launched_on + INTERVAL 6 MONTH AS DATE) END AS running_6m_on,
       CASE WHEN o.running_12m THEN CAST(o.launched_on + INTERVAL 12 MONTH AS DATE) END AS running_12m_on,
       CASE WHEN o.running_24m THEN CAST(o.launched_on + INTERVAL 24 MONTH AS DATE) END AS running_24m_on
FROM participants p
LEFT JOIN cohort_members cm ON cm.participant_id = p.participant_id
LEFT JOIN cohorts co ON co.cohort_id = cm.cohort_id
LEFT JOIN (SELECT participant_id, arg_max(municipality, version) AS municipality,
                  CAST(min(saved_at) AS DATE) AS inventory_on
           FROM profile_snapshots WHERE NOT draft GROUP BY participant_id) snap ON snap.participant_id = p.participant_id
LEFT JOIN (SELECT participant_id, arg_max(choice_id, latest) AS choice_id,
                  arg_max_null(venture_id, latest) AS venture_id, arg_max_null(idea_id, latest) AS idea_id,
                  CAST(min(chosen_at) AS DATE) AS venture_chosen_on
           FROM (SELECT *, epoch_us(chosen_at)::HUGEINT * 4294967296 + (choice_id::HUGEINT + 2147483648) AS latest
                 FROM venture_choices)
           GROUP BY participant_id) choice ON choice.participant_id = p.participant_id
LEFT JOIN ventures v ON v.venture_id = choice.venture_id
LEFT JOIN venture_ideas i ON i.idea_id = choice.idea_id
LEFT JOIN (SELECT pl.participant_id, CAST(min(pv.saved_at) AS DATE) AS plan_on
           FROM plans pl JOIN plan_versions pv ON pv.plan_id = pl.plan_id
           GROUP BY pl.participant_id) plan ON plan.participant_id = p.participant_id
LEFT JOIN (SELECT participant_id, min(completed_on) AS finance_arranged_on FROM milestones
           WHERE template_key = 'finance_arranged' AND status = 'done'
           GROUP BY participant_id) finance ON finance.participant_id = p.participant_id
LEFT JOIN programme_outcomes o ON o.choice_id = choice.choice_id AND o.launched;

-- No foreign keys (as elsewhere: erasure and the seed replace rows freely); the primary key is what
-- lets two writers of one participant's row meet, so that one of them is retried.
CREATE TABLE participant_stage (
    participant_id VARCHAR PRIMARY KEY,
    intake_on DATE NOT NULL,
    synthetic BOOLEAN NOT NULL,
    cohort_id INTEGER,
    municipality VARCHAR,              -- CBS GM code
    choice_id INTEGER,
    venture_id VARCHAR,
    idea_id INTEGER,
    family VARCHAR,                    -- self_employment | craft | ethnic_entrepreneurship
    inventory_on DATE,
    venture_chosen_on DATE,
    plan_on DATE,
    finance_arranged_on DATE,
    registered_on DATE,
    running_6m_on DATE,
    running_12m_on DATE,
    running_24m_on DATE
);

INSERT INTO participant_stage BY NAME SELECT * FROM participant_stage_derivation;
