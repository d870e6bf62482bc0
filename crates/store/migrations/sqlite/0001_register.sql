-- The register: organisations, their names, cases, charter versions, audit log.
CREATE TABLE organizations (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    slug            TEXT NOT NULL UNIQUE,
    name            TEXT NOT NULL,
    short_name      TEXT,
    kind            TEXT NOT NULL CHECK (kind IN ('samordningsrad','samordningsgrupp','regionalt_processteam','undergrupp','ledningsgrupp','forvaltning','other')),
    area            TEXT,
    reports_to_id   INTEGER REFERENCES organizations(id),
    status          TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active','dissolved')),
    placeholder     BOOLEAN NOT NULL DEFAULT FALSE,
    merged_into_id  INTEGER REFERENCES organizations(id),
    created_at      TEXT NOT NULL
);

CREATE TABLE organization_aliases (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    organization_id INTEGER NOT NULL REFERENCES organizations(id),
    alias           TEXT NOT NULL,
    alias_key       TEXT NOT NULL,
    UNIQUE (organization_id, alias_key)
);
CREATE INDEX organization_aliases_key ON organization_aliases(alias_key);

CREATE TABLE organization_liaisons (
    organization_id INTEGER NOT NULL REFERENCES organizations(id),
    liaison_id      INTEGER NOT NULL REFERENCES organizations(id),
    PRIMARY KEY (organization_id, liaison_id)
);

CREATE TABLE cases (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    registry_number TEXT NOT NULL UNIQUE,
    prefix          TEXT NOT NULL,
    year            INTEGER NOT NULL,
    serial          TEXT NOT NULL,
    created_at      TEXT NOT NULL
);

CREATE TABLE charter_versions (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    organization_id  INTEGER NOT NULL REFERENCES organizations(id),
    version          INTEGER NOT NULL,
    case_id          INTEGER REFERENCES cases(id),
    registry_number  TEXT,
    document_kind    TEXT NOT NULL CHECK (document_kind IN ('uppdragshandling','verkstallighetsbeslut')),
    title            TEXT NOT NULL,
    revision         TEXT,
    document_date    TEXT CHECK (document_date IS NULL OR document_date = date(document_date)),
    decision_date    TEXT CHECK (decision_date IS NULL OR decision_date = date(decision_date)),
    decided_by_name  TEXT,
    decided_by_title TEXT,
    status           TEXT NOT NULL CHECK (status IN ('undecided','decided')),
    content          TEXT NOT NULL,
    source_name      TEXT NOT NULL,
    source_text      TEXT NOT NULL,
    source_sha256    TEXT NOT NULL,
    imported_at      TEXT NOT NULL,
    UNIQUE (organization_id, version),
    UNIQUE (organization_id, source_sha256),
    CHECK ((status = 'decided') = (decision_date IS NOT NULL))
);
CREATE INDEX charter_versions_case ON charter_versions(case_id);

CREATE TABLE charter_references (
    charter_version_id INTEGER NOT NULL REFERENCES charter_versions(id),
    registry_number    TEXT NOT NULL,
    position           INTEGER NOT NULL,
    PRIMARY KEY (charter_version_id, registry_number)
);

CREATE TABLE audit_events (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    occurred_at TEXT NOT NULL,
    actor       TEXT NOT NULL,
    action      TEXT NOT NULL,
    object_type TEXT NOT NULL,
    object_id   INTEGER,
    detail      TEXT NOT NULL
);

-- A decided charter version is a public record: its content never changes. Its
-- organisation and number may change only when a wrong name match is corrected.
CREATE TRIGGER charter_versions_decided_immutable
BEFORE UPDATE OF case_id, registry_number, document_kind, title, revision, document_date,
    decision_date, decided_by_name, decided_by_title, status, content, source_name, source_text,
    source_sha256, imported_at
ON charter_versions WHEN OLD.status = 'decided'
BEGIN
    SELECT RAISE(ABORT, 'decided charter versions are immutable');
END;

CREATE TRIGGER charter_versions_no_delete BEFORE DELETE ON charter_versions
BEGIN
    SELECT RAISE(ABORT, 'charter versions are never deleted');
END;

CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;

CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
