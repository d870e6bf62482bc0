-- Meetings, agendas and minutes.
ALTER TABLE organizations ADD COLUMN publish_minutes_separately BOOLEAN NOT NULL DEFAULT FALSE;

CREATE TABLE meetings (
    id               BIGSERIAL PRIMARY KEY,
    organization_id  BIGINT NOT NULL REFERENCES organizations(id),
    kind             TEXT NOT NULL CHECK (kind IN ('ordinary','extra')),
    starts_at        TIMESTAMPTZ NOT NULL,
    ends_at          TIMESTAMPTZ NOT NULL,
    place            TEXT,
    digital_link     TEXT,
    state            TEXT NOT NULL DEFAULT 'planned' CHECK (state IN ('planned','held','cancelled')),
    cancel_reason    TEXT,
    uid              TEXT NOT NULL UNIQUE,
    sequence         BIGINT NOT NULL DEFAULT 0,
    agenda_published BOOLEAN NOT NULL DEFAULT FALSE,
    row_version      BIGINT NOT NULL DEFAULT 1,
    created_at       TIMESTAMPTZ NOT NULL,
    updated_at       TIMESTAMPTZ NOT NULL,
    CHECK (ends_at >= starts_at),
    CHECK ((state = 'cancelled') = (cancel_reason IS NOT NULL))
);
CREATE INDEX meetings_org ON meetings(organization_id, starts_at);

CREATE TABLE agenda_items (
    id         BIGSERIAL PRIMARY KEY,
    meeting_id BIGINT NOT NULL REFERENCES meetings(id),
    position   BIGINT NOT NULL,
    title      TEXT NOT NULL,
    presenter  TEXT,
    minutes    BIGINT,
    created_at TIMESTAMPTZ NOT NULL,
    UNIQUE (meeting_id, position)
);

CREATE TABLE minutes (
    id                BIGSERIAL PRIMARY KEY,
    meeting_id        BIGINT NOT NULL REFERENCES meetings(id),
    version           BIGINT NOT NULL,
    status            TEXT NOT NULL CHECK (status IN ('draft','submitted','returned','approved','published')),
    body              TEXT NOT NULL,
    return_comment    TEXT,
    correction_reason TEXT,
    submitted_at      TIMESTAMPTZ,
    submitted_by      TEXT,
    approved_at       TIMESTAMPTZ,
    approved_by       TEXT,
    published_at      TIMESTAMPTZ,
    row_version       BIGINT NOT NULL DEFAULT 1,
    created_at        TIMESTAMPTZ NOT NULL,
    UNIQUE (meeting_id, version)
);

-- Approved minutes are public records: their text never changes; a correction is a
-- new version. Only publishing (status and time) may follow approval.
CREATE FUNCTION minutes_guard() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'minutes are never deleted';
    END IF;
    IF OLD.status IN ('approved', 'published') AND (
        ROW(NEW.meeting_id, NEW.version, NEW.body, NEW.approved_at, NEW.approved_by, NEW.submitted_at, NEW.submitted_by, NEW.correction_reason)
            IS DISTINCT FROM ROW(OLD.meeting_id, OLD.version, OLD.body, OLD.approved_at, OLD.approved_by, OLD.submitted_at, OLD.submitted_by, OLD.correction_reason)
        OR OLD.status = 'published' AND NEW.status <> 'published'
        OR OLD.status = 'approved' AND NEW.status NOT IN ('approved', 'published')) THEN
        RAISE EXCEPTION 'approved minutes are immutable';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER minutes_guard BEFORE UPDATE OR DELETE ON minutes
    FOR EACH ROW EXECUTE FUNCTION minutes_guard();
