-- People, administrations and memberships; accounts, sessions, API tokens; the
-- before/after of every audited change; optimistic locking on editable records.
ALTER TABLE organizations ADD COLUMN row_version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE audit_events ADD COLUMN changes TEXT;

CREATE TABLE administrations (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    slug        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL UNIQUE,
    short_name  TEXT,
    row_version INTEGER NOT NULL DEFAULT 1,
    created_at  TEXT NOT NULL
);

CREATE TABLE people (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    name              TEXT NOT NULL,
    title             TEXT,
    email             TEXT,
    phone             TEXT,
    administration_id INTEGER REFERENCES administrations(id),
    row_version       INTEGER NOT NULL DEFAULT 1,
    created_at        TEXT NOT NULL
);

CREATE TABLE memberships (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    person_id       INTEGER NOT NULL REFERENCES people(id),
    organization_id INTEGER NOT NULL REFERENCES organizations(id),
    role            TEXT NOT NULL CHECK (role IN ('ordforande','vice_ordforande','deltagare','adjungerad','koordinator','kontaktperson','sekreterare')),
    on_behalf_of_id INTEGER REFERENCES administrations(id),
    voting_right    BOOLEAN NOT NULL,
    appointed_by    TEXT,
    start_date      TEXT NOT NULL,
    end_date        TEXT,
    row_version     INTEGER NOT NULL DEFAULT 1,
    created_at      TEXT NOT NULL,
    CHECK (end_date IS NULL OR end_date >= start_date),
    CHECK (start_date = date(start_date) AND (end_date IS NULL OR end_date = date(end_date)))
);
CREATE INDEX memberships_org ON memberships(organization_id);
CREATE INDEX memberships_person ON memberships(person_id);

CREATE TABLE accounts (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    email         TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    password_hash TEXT,
    oidc_subject  TEXT UNIQUE,
    system_role   TEXT CHECK (system_role IS NULL OR system_role IN ('admin','director')),
    person_id     INTEGER REFERENCES people(id),
    disabled      BOOLEAN NOT NULL DEFAULT FALSE,
    created_at    TEXT NOT NULL
);

CREATE TABLE sessions (
    token_hash   TEXT PRIMARY KEY,
    account_id   INTEGER NOT NULL REFERENCES accounts(id),
    csrf_token   TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    expires_at   TEXT NOT NULL
);
CREATE INDEX sessions_account ON sessions(account_id);

CREATE TABLE login_attempts (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    attempt_key  TEXT NOT NULL,
    succeeded    BOOLEAN NOT NULL,
    attempted_at TEXT NOT NULL
);
CREATE INDEX login_attempts_key ON login_attempts(attempt_key, attempted_at);

CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id   INTEGER NOT NULL REFERENCES accounts(id),
    name         TEXT NOT NULL,
    token_hash   TEXT NOT NULL UNIQUE,
    created_at   TEXT NOT NULL,
    last_used_at TEXT,
    revoked_at   TEXT
);

CREATE TABLE oidc_pending (
    state         TEXT PRIMARY KEY,
    nonce         TEXT NOT NULL,
    pkce_verifier TEXT NOT NULL,
    return_to     TEXT NOT NULL,
    created_at    TEXT NOT NULL
);
