-- Many people writing at once. Participant numbers come from a sequence instead of max+1 (which gave
-- thirty newcomers pressing "Start my inventory" together the same number); ids in an imported file
-- never move it. Past P-999999 the numbers simply get a seventh digit (P-1000000).
CREATE SEQUENCE participant_number_seq START 1;

-- Continue after the highest number in use: DuckDB cannot start a sequence at a computed value, so
-- draw the numbers up to it (about 50 ms per million; older databases stay near a million at most).
SELECT count(nextval('participant_number_seq'))
FROM range((
    SELECT coalesce(max(CAST(substr(participant_id, 3) AS BIGINT)), 0)
    FROM participants WHERE regexp_full_match(participant_id, 'P-[0-9]{1,12}')
));

-- Things only one writer at a time may change (the first administrator, one venture set aside for one
-- participant): a transaction upserts the key, so two at once conflict and one is retried.
CREATE TABLE write_claims (
    claim_key VARCHAR PRIMARY KEY,
    claimed_at TIMESTAMP NOT NULL
);
