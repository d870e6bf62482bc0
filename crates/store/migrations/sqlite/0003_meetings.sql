-- Meetings, agendas and minutes.
ALTER TABLE organizations ADD COLUMN publish_minutes_separately BOOLEAN NOT NULL DEFAULT FALSE;

CREATE TABLE meetings (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    organization_id  INTEGER NOT NULL REFERENCES organizations(id),
    kind             TEXT NOT NULL CHECK (kind IN ('ordinary','extra')),
    starts_at        TEXT NOT NULL,
    ends_at          TEXT NOT NULL,
    place            TEXT,
    digital_link     TEXT,
    state            TEXT NOT NULL DEFAULT 'planned' CHECK (state IN ('planned','held','cancelled')),
    cancel_reason    TEXT,
    uid              TEXT NOT NULL UNIQUE,
    sequence         INTEGER NOT NULL DEFAULT 0,
    agenda_published BOOLEAN NOT NULL DEFAULT FALSE,
    row_version      INTEGER NOT NULL DEFAULT 1,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    CHECK (ends_at >= starts_at),
    CHECK ((state = 'cancelled') = (cancel_reason IS NOT NULL))
);
CREATE INDEX meetings_org ON meetings(organization_id, starts_at);

CREATE TABLE agenda_items (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    meeting_id INTEGER NOT NULL REFERENCES meetings(id),
    position   INTEGER NOT NULL,
    title      TEXT NOT NULL,
    presenter  TEXT,
    minutes    INTEGER,
    created_at TEXT NOT NULL,
    UNIQUE (meeting_id, position)
);

CREATE TABLE minutes (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    meeting_id        INTEGER NOT NULL REFERENCES meetings(id),
    version           INTEGER NOT NULL,
    status            TEXT NOT NULL CHECK (status IN ('draft','submitted','returned','approved','published')),
    body              TEXT NOT NULL,
    return_comment    TEXT,
    correction_reason TEXT,
    submitted_at      TEXT,
    submitted_by      TEXT,
    approved_at       TEXT,
    approved_by       TEXT,
    published_at      TEXT,
    row_version       INTEGER NOT NULL DEFAULT 1,
    created_at        TEXT NOT NULL,
    UNIQUE (meeting_id, version)
);

-- Approved minutes are public records: their text never changes; a correction is a
-- new version. Only publishing (status and time) may follow approval.
CREATE TRIGGER minutes_approved_frozen
BEFORE UPDATE OF meeting_id, version, body, approved_at, approved_by, submitted_at, submitted_by, correction_reason ON minutes
WHEN OLD.status IN ('approved','published')
BEGIN
    SELECT RAISE(ABORT, 'approved minutes are immutable');
END;

CREATE TRIGGER minutes_published_final
BEFORE UPDATE OF status ON minutes
WHEN OLD.status = 'published' OR (OLD.status = 'approved' AND NEW.status <> 'published')
BEGIN
    SELECT RAISE(ABORT, 'approved minutes are immutable');
END;

CREATE TRIGGER minutes_no_delete BEFORE DELETE ON minutes
BEGIN
    SELECT RAISE(ABORT, 'minutes are never deleted');
END;
