-- The audit log an auditor accepts (issue 13): refused attempts beside what was done, and a hash
-- chain over every row so that an edit of the file shows (`python -m incubator audit verify`).
-- audit_log stays append-only. A row is written first (by many people at once, in their own
-- transactions) and sealed right after its transaction commits, in the order rows are sealed: the
-- chain is a separate table so that writers never wait for each other (docs/CONTRACTS.md, "Audit").

-- 'done' or 'refused'; a refused attempt's action is the permission asked (profile.view, ...).
ALTER TABLE audit_log ADD COLUMN outcome VARCHAR DEFAULT 'done';
UPDATE audit_log SET outcome = 'done' WHERE outcome IS NULL;

-- One row per sealed audit row: its place in the chain and sha256(previous hash, the row).
CREATE TABLE audit_chain (
    position BIGINT PRIMARY KEY,
    entry_id BIGINT NOT NULL UNIQUE,
    entry_hash VARCHAR NOT NULL,
    sealed_at TIMESTAMP NOT NULL DEFAULT current_timestamp
);

-- The last sealed position and hash: the sealer reads one row, and two sealers conflict on it.
CREATE TABLE audit_chain_head (
    head INTEGER PRIMARY KEY CHECK (head = 1),
    position BIGINT NOT NULL,
    entry_hash VARCHAR NOT NULL
);

-- Rows written but not sealed yet (a short moment, unless the process stopped in between).
CREATE TABLE audit_unsealed (entry_id BIGINT PRIMARY KEY);

-- Rows written before this migration are sealed by the first seal, in their order.
INSERT INTO audit_unsealed SELECT entry_id FROM audit_log;
