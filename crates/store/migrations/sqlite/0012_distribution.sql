-- A decided charter sent to its distribution list (sändlista): one row per
-- addressee of each entry, queued when sent, delivered when the mail has left;
-- the register's own update is fulfilled at once, a person the register cannot
-- resolve is sent by hand.
CREATE TABLE charter_distributions (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    version_id      INTEGER NOT NULL REFERENCES charter_versions(id),
    position        INTEGER NOT NULL,
    part            INTEGER NOT NULL,
    entry           TEXT NOT NULL,
    kind            TEXT NOT NULL CHECK (kind IN ('mail','register','manual')),
    organization_id INTEGER REFERENCES organizations(id),
    role            TEXT,
    recipients      TEXT,
    queued_at       TEXT NOT NULL,
    delivered_at    TEXT,
    created_by      TEXT NOT NULL,
    UNIQUE (version_id, position, part)
);
