-- How a venture can start (the catalogue review of premises and hours): the ways it can start
-- (`start_options`, ';'-separated codes of incubator.market.taxonomy.START_OPTION_LABELS, such as
-- home;shared_workshop;market_stall) and the fewest hours a week it can start with. A database made
-- before this migration keeps its ventures: they get the one way to start that their premises
-- imply and their usual hours, until the next `python -m incubator seed` loads the reviewed values.

ALTER TABLE ventures ADD COLUMN start_options VARCHAR;
ALTER TABLE ventures ADD COLUMN hours_min_per_week INTEGER;

UPDATE ventures
SET start_options = CASE premises WHEN 'home' THEN 'home' WHEN 'mobile' THEN 'mobile' ELSE 'own_premises' END,
    hours_min_per_week = hours_per_week
WHERE start_options IS NULL;
