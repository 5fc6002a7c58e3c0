-- Sign-in people can trust (issue 9): server-side sessions behind a cookie, throttling per user name
-- and client address, one sign-in record per real account, and the one-time setup token.

CREATE SEQUENCE account_session_id_seq START 1;

-- A signed-in browser. The cookie carries a random token; only its SHA-256 is stored, so a copy of
-- the database signs nobody in. A session ends at sign-out, a password reset, a role change or
-- deactivation (ended_at), after SESSION_IDLE_MINUTES without a request, and at expires_at.
CREATE TABLE account_sessions (
    session_id BIGINT PRIMARY KEY DEFAULT nextval('account_session_id_seq'),
    token_hash VARCHAR NOT NULL UNIQUE,
    user_id INTEGER NOT NULL,
    started_at TIMESTAMP NOT NULL,
    last_seen_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    ended_at TIMESTAMP,
    end_reason VARCHAR,
    -- Failed sign-ins to the account between the previous sign-in and this one: its owner is told.
    failed_before INTEGER NOT NULL DEFAULT 0
);

-- Failed sign-ins per (user name typed, client address), for the growing delay. The name is kept as
-- its SHA-256 (people type passwords into the name field); rows of names nobody uses are pruned.
CREATE TABLE sign_in_throttle (
    name_key VARCHAR NOT NULL,
    address VARCHAR NOT NULL,
    failures INTEGER NOT NULL,
    last_failure_at TIMESTAMP NOT NULL,
    blocked_until TIMESTAMP,
    PRIMARY KEY (name_key, address)
);

-- One row per real account: the last sign-in, failures since then (the owner is told), and a lock
-- set only after many failures from many addresses (an administrator sees and lifts it).
CREATE TABLE account_sign_ins (
    user_id INTEGER PRIMARY KEY,
    last_sign_in_at TIMESTAMP,
    failures_since_sign_in INTEGER NOT NULL DEFAULT 0,
    last_failure_at TIMESTAMP,
    locked_until TIMESTAMP
);

-- The counts of migration 001 were kept per typed name; real accounts keep theirs, the rest goes.
INSERT INTO account_sign_ins (user_id, failures_since_sign_in, last_failure_at, locked_until)
    SELECT u.user_id, f.failures, f.last_failure_at, f.locked_until
    FROM sign_in_failures f JOIN users u USING (username);
DROP TABLE sign_in_failures;

-- The one-time setup token of a fresh installation (its SHA-256); the token itself is printed on the
-- server's console and written to a file beside the database that only its owner may read.
CREATE TABLE setup_tokens (
    purpose VARCHAR PRIMARY KEY,
    token_hash VARCHAR NOT NULL,
    issued_at TIMESTAMP NOT NULL
);
