-- Sign-in limits: one row per key (an account's address, a client's address),
-- counted by one atomic upsert before the password is verified, so that requests
-- sent at once cannot all be checked.
CREATE TABLE sign_in_counters (
    attempt_key  TEXT PRIMARY KEY,
    window_start TIMESTAMPTZ NOT NULL,
    attempts     BIGINT NOT NULL
);

-- Calendar links: a secret of their own that reads one person's calendar and
-- nothing else. Stored readable so that the owner can copy the address again
-- (see ARCHITECTURE.md); revocable.
CREATE TABLE calendar_links (
    id           BIGSERIAL PRIMARY KEY,
    account_id   BIGINT NOT NULL REFERENCES accounts(id),
    token        TEXT NOT NULL UNIQUE,
    created_at   TIMESTAMPTZ NOT NULL,
    last_used_at TIMESTAMPTZ,
    revoked_at   TIMESTAMPTZ
);
CREATE INDEX calendar_links_account ON calendar_links(account_id);
