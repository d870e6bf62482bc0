-- Sign-in limits: one row per key (an account's address, a client's address),
-- counted by one atomic upsert before the password is verified, so that requests
-- sent at once cannot all be checked.
CREATE TABLE sign_in_counters (
    attempt_key  TEXT PRIMARY KEY,
    window_start TEXT NOT NULL,
    attempts     INTEGER NOT NULL
);

-- Calendar links: a secret of their own that reads one person's calendar and
-- nothing else. Stored readable so that the owner can copy the address again
-- (see ARCHITECTURE.md); revocable.
CREATE TABLE calendar_links (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id   INTEGER NOT NULL REFERENCES accounts(id),
    token        TEXT NOT NULL UNIQUE,
    created_at   TEXT NOT NULL,
    last_used_at TEXT,
    revoked_at   TEXT
);
CREATE INDEX calendar_links_account ON calendar_links(account_id);
