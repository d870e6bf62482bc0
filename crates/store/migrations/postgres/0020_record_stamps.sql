-- When each public record last changed, and which were deleted (issue 16): what
-- the OParl API's `modified`, `modified_since` and `deleted: true` stand on. A
-- record's creation time is its own column; an update or a delete of one of the
-- tables below stamps (table, id) here, in the writing transaction, whoever
-- writes. A deleted record keeps its stamp with `deleted` set: a harvester asking
-- what changed since its last visit learns of the deletion.
CREATE TABLE record_stamps (
    tbl      TEXT NOT NULL,
    id       BIGINT NOT NULL,
    modified TIMESTAMPTZ NOT NULL,
    deleted  BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (tbl, id)
);
CREATE INDEX record_stamps_modified ON record_stamps(modified);
CREATE FUNCTION stamp_record() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        INSERT INTO record_stamps (tbl, id, modified, deleted) VALUES (TG_TABLE_NAME, OLD.id, now(), TRUE)
            ON CONFLICT (tbl, id) DO UPDATE SET modified = excluded.modified, deleted = TRUE;
        RETURN OLD;
    END IF;
    INSERT INTO record_stamps (tbl, id, modified) VALUES (TG_TABLE_NAME, NEW.id, now())
        ON CONFLICT (tbl, id) DO UPDATE SET modified = excluded.modified;
    RETURN NEW;
END;
$$;
CREATE TRIGGER stamp_organizations AFTER UPDATE OR DELETE ON organizations FOR EACH ROW EXECUTE FUNCTION stamp_record();
CREATE TRIGGER stamp_administrations AFTER UPDATE OR DELETE ON administrations FOR EACH ROW EXECUTE FUNCTION stamp_record();
CREATE TRIGGER stamp_people AFTER UPDATE OR DELETE ON people FOR EACH ROW EXECUTE FUNCTION stamp_record();
CREATE TRIGGER stamp_memberships AFTER UPDATE OR DELETE ON memberships FOR EACH ROW EXECUTE FUNCTION stamp_record();
CREATE TRIGGER stamp_meetings AFTER UPDATE OR DELETE ON meetings FOR EACH ROW EXECUTE FUNCTION stamp_record();
CREATE TRIGGER stamp_agenda_items AFTER UPDATE OR DELETE ON agenda_items FOR EACH ROW EXECUTE FUNCTION stamp_record();
CREATE TRIGGER stamp_minutes AFTER UPDATE OR DELETE ON minutes FOR EACH ROW EXECUTE FUNCTION stamp_record();
CREATE TRIGGER stamp_charter_versions AFTER UPDATE OR DELETE ON charter_versions FOR EACH ROW EXECUTE FUNCTION stamp_record();
CREATE TRIGGER stamp_matters AFTER UPDATE OR DELETE ON matters FOR EACH ROW EXECUTE FUNCTION stamp_record();
CREATE TRIGGER stamp_decisions AFTER UPDATE OR DELETE ON decisions FOR EACH ROW EXECUTE FUNCTION stamp_record();
CREATE TRIGGER stamp_attachments AFTER UPDATE OR DELETE ON attachments FOR EACH ROW EXECUTE FUNCTION stamp_record();

-- Culling (gallring) decisions: a region's information management plan may allow
-- a kind of record to be culled after a period. Samordna records the decision and
-- lists what it would allow culling; it never deletes a record itself.
CREATE TABLE culling_decisions (
    id            BIGSERIAL PRIMARY KEY,
    record_kind   TEXT NOT NULL CHECK (record_kind IN ('attachments','minutes_drafts','closed_matters','cancelled_meetings')),
    after_years   INTEGER NOT NULL CHECK (after_years BETWEEN 1 AND 100),
    decision_ref  TEXT NOT NULL,
    decided_on    DATE NOT NULL,
    note          TEXT,
    created_by    TEXT NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL
);
