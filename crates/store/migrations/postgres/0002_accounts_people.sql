-- People, administrations and memberships; accounts, sessions, API tokens; the
-- before/after of every audited change; optimistic locking on editable records.
ALTER TABLE organizations ADD COLUMN row_version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE audit_events ADD COLUMN changes TEXT;

CREATE TABLE administrations (
    id          BIGSERIAL PRIMARY KEY,
    slug        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL UNIQUE,
    short_name  TEXT,
    row_version BIGINT NOT NULL DEFAULT 1,
    created_at  TIMESTAMPTZ NOT NULL
);

CREATE TABLE people (
    id                BIGSERIAL PRIMARY KEY,
    name              TEXT NOT NULL,
    title             TEXT,
    email             TEXT,
    phone             TEXT,
    administration_id BIGINT REFERENCES administrations(id),
    row_version       BIGINT NOT NULL DEFAULT 1,
    created_at        TIMESTAMPTZ NOT NULL
);

CREATE TABLE memberships (
    id              BIGSERIAL PRIMARY KEY,
    person_id       BIGINT NOT NULL REFERENCES people(id),
    organization_id BIGINT NOT NULL REFERENCES organizations(id),
    role            TEXT NOT NULL CHECK (role IN ('ordforande','vice_ordforande','deltagare','adjungerad','koordinator','kontaktperson','sekreterare')),
    on_behalf_of_id BIGINT REFERENCES administrations(id),
    voting_right    BOOLEAN NOT NULL,
    appointed_by    TEXT,
    start_date      DATE NOT NULL,
    end_date        DATE,
    row_version     BIGINT NOT NULL DEFAULT 1,
    created_at      TIMESTAMPTZ NOT NULL,
    CHECK (end_date IS NULL OR end_date >= start_date)
);
CREATE INDEX memberships_org ON memberships(organization_id);
CREATE INDEX memberships_person ON memberships(person_id);

CREATE TABLE accounts (
    id            BIGSERIAL PRIMARY KEY,
    email         TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    password_hash TEXT,
    oidc_subject  TEXT UNIQUE,
    system_role   TEXT CHECK (system_role IS NULL OR system_role IN ('admin','director')),
    person_id     BIGINT REFERENCES people(id),
    disabled      BOOLEAN NOT NULL DEFAULT FALSE,
    created_at    TIMESTAMPTZ NOT NULL
);

CREATE TABLE sessions (
    token_hash   TEXT PRIMARY KEY,
    account_id   BIGINT NOT NULL REFERENCES accounts(id),
    csrf_token   TEXT NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    last_seen_at TIMESTAMPTZ NOT NULL,
    expires_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX sessions_account ON sessions(account_id);

CREATE TABLE login_attempts (
    id           BIGSERIAL PRIMARY KEY,
    attempt_key  TEXT NOT NULL,
    succeeded    BOOLEAN NOT NULL,
    attempted_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX login_attempts_key ON login_attempts(attempt_key, attempted_at);

CREATE TABLE api_tokens (
    id           BIGSERIAL PRIMARY KEY,
    account_id   BIGINT NOT NULL REFERENCES accounts(id),
    name         TEXT NOT NULL,
    token_hash   TEXT NOT NULL UNIQUE,
    created_at   TIMESTAMPTZ NOT NULL,
    last_used_at TIMESTAMPTZ,
    revoked_at   TIMESTAMPTZ
);

CREATE TABLE oidc_pending (
    state         TEXT PRIMARY KEY,
    nonce         TEXT NOT NULL,
    pkce_verifier TEXT NOT NULL,
    return_to     TEXT NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL
);
