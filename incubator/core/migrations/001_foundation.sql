-- Accounts, sign-in attempts, sign-in through an identity provider, and the audit log.
CREATE SEQUENCE users_id_seq START 1;

CREATE TABLE users (
    user_id INTEGER PRIMARY KEY DEFAULT nextval('users_id_seq'),
    username VARCHAR NOT NULL UNIQUE,
    -- argon2id hash; NULL for accounts that only sign in through the identity provider.
    password_hash VARCHAR,
    role VARCHAR NOT NULL CHECK (role IN ('newcomer', 'mentor', 'manager', 'admin')),
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    password_changed_at TIMESTAMP
);

-- Failed sign-ins per user name (also for names that do not exist, so the lock says nothing
-- about which accounts exist).
CREATE TABLE sign_in_failures (
    username VARCHAR PRIMARY KEY,
    failures INTEGER NOT NULL,
    last_failure_at TIMESTAMP NOT NULL,
    locked_until TIMESTAMP
);

-- People who signed in through OpenID Connect; an administrator links them to an account.
CREATE TABLE oidc_identities (
    subject VARCHAR PRIMARY KEY,
    email VARCHAR,
    user_id INTEGER,
    first_seen_at TIMESTAMP NOT NULL DEFAULT current_timestamp
);

CREATE SEQUENCE audit_log_id_seq START 1;

-- Who did what to which record; never the content of personal data.
CREATE TABLE audit_log (
    entry_id BIGINT PRIMARY KEY DEFAULT nextval('audit_log_id_seq'),
    happened_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    actor_user_id INTEGER,
    action VARCHAR NOT NULL,
    subject VARCHAR
);
