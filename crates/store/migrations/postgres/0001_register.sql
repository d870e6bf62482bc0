-- The register: organisations, their names, cases, charter versions, audit log.
CREATE TABLE organizations (
    id              BIGSERIAL PRIMARY KEY,
    slug            TEXT NOT NULL UNIQUE,
    name            TEXT NOT NULL,
    short_name      TEXT,
    kind            TEXT NOT NULL CHECK (kind IN ('samordningsrad','samordningsgrupp','regionalt_processteam','undergrupp','ledningsgrupp','forvaltning','other')),
    area            TEXT,
    reports_to_id   BIGINT REFERENCES organizations(id),
    status          TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active','dissolved')),
    placeholder     BOOLEAN NOT NULL DEFAULT FALSE,
    merged_into_id  BIGINT REFERENCES organizations(id),
    created_at      TIMESTAMPTZ NOT NULL
);

CREATE TABLE organization_aliases (
    id              BIGSERIAL PRIMARY KEY,
    organization_id BIGINT NOT NULL REFERENCES organizations(id),
    alias           TEXT NOT NULL,
    alias_key       TEXT NOT NULL,
    UNIQUE (organization_id, alias_key)
);
CREATE INDEX organization_aliases_key ON organization_aliases(alias_key);

CREATE TABLE organization_liaisons (
    organization_id BIGINT NOT NULL REFERENCES organizations(id),
    liaison_id      BIGINT NOT NULL REFERENCES organizations(id),
    PRIMARY KEY (organization_id, liaison_id)
);

CREATE TABLE cases (
    id              BIGSERIAL PRIMARY KEY,
    registry_number TEXT NOT NULL UNIQUE,
    prefix          TEXT NOT NULL,
    year            BIGINT NOT NULL,
    serial          TEXT NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL
);

CREATE TABLE charter_versions (
    id               BIGSERIAL PRIMARY KEY,
    organization_id  BIGINT NOT NULL REFERENCES organizations(id),
    version          BIGINT NOT NULL,
    case_id          BIGINT REFERENCES cases(id),
    registry_number  TEXT,
    document_kind    TEXT NOT NULL CHECK (document_kind IN ('uppdragshandling','verkstallighetsbeslut')),
    title            TEXT NOT NULL,
    revision         TEXT,
    document_date    DATE,
    decision_date    DATE,
    decided_by_name  TEXT,
    decided_by_title TEXT,
    status           TEXT NOT NULL CHECK (status IN ('undecided','decided')),
    content          TEXT NOT NULL,
    source_name      TEXT NOT NULL,
    source_text      TEXT NOT NULL,
    source_sha256    TEXT NOT NULL,
    imported_at      TIMESTAMPTZ NOT NULL,
    UNIQUE (organization_id, version),
    UNIQUE (organization_id, source_sha256),
    CHECK ((status = 'decided') = (decision_date IS NOT NULL))
);
CREATE INDEX charter_versions_case ON charter_versions(case_id);

CREATE TABLE charter_references (
    charter_version_id BIGINT NOT NULL REFERENCES charter_versions(id),
    registry_number    TEXT NOT NULL,
    position           BIGINT NOT NULL,
    PRIMARY KEY (charter_version_id, registry_number)
);

CREATE TABLE audit_events (
    id          BIGSERIAL PRIMARY KEY,
    occurred_at TIMESTAMPTZ NOT NULL,
    actor       TEXT NOT NULL,
    action      TEXT NOT NULL,
    object_type TEXT NOT NULL,
    object_id   BIGINT,
    detail      TEXT NOT NULL
);

-- A decided charter version is a public record: its content never changes. Its
-- organisation and number may change only when a wrong name match is corrected.
CREATE FUNCTION charter_versions_guard() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'charter versions are never deleted';
    END IF;
    IF OLD.status = 'decided' AND (ROW(NEW.case_id, NEW.registry_number, NEW.document_kind,
            NEW.title, NEW.revision, NEW.document_date, NEW.decision_date, NEW.decided_by_name,
            NEW.decided_by_title, NEW.status, NEW.content, NEW.source_name, NEW.source_text,
            NEW.source_sha256, NEW.imported_at)
        IS DISTINCT FROM ROW(OLD.case_id, OLD.registry_number, OLD.document_kind,
            OLD.title, OLD.revision, OLD.document_date, OLD.decision_date, OLD.decided_by_name,
            OLD.decided_by_title, OLD.status, OLD.content, OLD.source_name, OLD.source_text,
            OLD.source_sha256, OLD.imported_at)) THEN
        RAISE EXCEPTION 'decided charter versions are immutable';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER charter_versions_guard BEFORE UPDATE OR DELETE ON charter_versions
    FOR EACH ROW EXECUTE FUNCTION charter_versions_guard();

CREATE FUNCTION audit_events_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the audit log is append-only';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
