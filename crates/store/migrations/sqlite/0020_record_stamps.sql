-- When each public record last changed, and which were deleted (issue 16): what
-- the OParl API's `modified`, `modified_since` and `deleted: true` stand on. A
-- record's creation time is its own column; an update or a delete of one of the
-- tables below stamps (table, id) here, in the writing transaction, whoever
-- writes. A deleted record keeps its stamp with `deleted` set: a harvester asking
-- what changed since its last visit learns of the deletion.
CREATE TABLE record_stamps (
    tbl      TEXT NOT NULL,
    id       INTEGER NOT NULL,
    modified TEXT NOT NULL,
    deleted  BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (tbl, id)
);
CREATE INDEX record_stamps_modified ON record_stamps(modified);
CREATE TRIGGER stamp_organizations_update AFTER UPDATE ON organizations
BEGIN INSERT INTO record_stamps (tbl, id, modified) VALUES ('organizations', NEW.id, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
    ON CONFLICT (tbl, id) DO UPDATE SET modified = excluded.modified; END;
CREATE TRIGGER stamp_organizations_delete AFTER DELETE ON organizations
BEGIN INSERT INTO record_stamps (tbl, id, modified, deleted) VALUES ('organizations', OLD.id, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), TRUE)
    ON CONFLICT (tbl, id) DO UPDATE SET modified = excluded.modified, deleted = TRUE; END;
CREATE TRIGGER stamp_administrations_update AFTER UPDATE ON administrations
BEGIN INSERT INTO record_stamps (tbl, id, modified) VALUES ('administrations', NEW.id, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
    ON CONFLICT (tbl, id) DO UPDATE SET modified = excluded.modified; END;
CREATE TRIGGER stamp_administrations_delete AFTER DELETE ON administrations
BEGIN INSERT INTO record_stamps (tbl, id, modified, deleted) VALUES ('administrations', OLD.id, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), TRUE)
    ON CONFLICT (tbl, id) DO UPDATE SET modified = excluded.modified, deleted = TRUE; END;
CREATE TRIGGER stamp_people_update AFTER UPDATE ON people
BEGIN INSERT INTO record_stamps (tbl, id, modified) VALUES ('people', NEW.id, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
    ON CONFLICT (tbl, id) DO UPDATE SET modified = excluded.modified; END;
CREATE TRIGGER stamp_people_delete AFTER DELETE ON people
BEGIN INSERT INTO record_stamps (tbl, id, modified, deleted) VALUES ('people', OLD.id, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), TRUE)
    ON CONFLICT (tbl, id) DO UPDATE SET modified = excluded.modified, deleted = TRUE; END;
CREATE TRIGGER stamp_memberships_update AFTER UPDATE ON memberships
BEGIN INSERT INTO record_stamps (tbl, id, modified) VALUES ('memberships', NEW.id, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
    ON CONFLICT (tbl, id) DO UPDATE SET modified = excluded.modified; END;
CREATE TRIGGER stamp_memberships_delete AFTER DELETE ON memberships
BEGIN INSERT INTO record_stamps (tbl, id, modified, deleted) VALUES ('memberships', OLD.id, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), TRUE)
    ON CONFLICT (tbl, id) DO UPDATE SET modified = excluded.modified, deleted = TRUE; END;
CREATE TRIGGER stamp_meetings_update AFTER UPDATE ON meetings
BEGIN INSERT INTO record_stamps (tbl, id, modified) VALUES ('meetings', NEW.id, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
    ON CONFLICT (tbl, id) DO UPDATE SET modified = excluded.modified; END;
CREATE TRIGGER stamp_meetings_delete AFTER DELETE ON meetings
BEGIN INSERT INTO record_stamps (tbl, id, modified, deleted) VALUES ('meetings', OLD.id, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), TRUE)
    ON CONFLICT (tbl, id) DO UPDATE SET modified = excluded.modified, deleted = TRUE; END;
CREATE TRIGGER stamp_agenda_items_update AFTER UPDATE ON agenda_items
BEGIN INSERT INTO record_stamps (tbl, id, modified) VALUES ('agenda_items', NEW.id, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
    ON CONFLICT (tbl, id) DO UPDATE SET modified = excluded.modified; END;
CREATE TRIGGER stamp_agenda_items_delete AFTER DELETE ON agenda_items
BEGIN INSERT INTO record_stamps (tbl, id, modified, deleted) VALUES ('agenda_items', OLD.id, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), TRUE)
    ON CONFLICT (tbl, id) DO UPDATE SET modified = excluded.modified, deleted = TRUE; END;
CREATE TRIGGER stamp_minutes_update AFTER UPDATE ON minutes
BEGIN INSERT INTO record_stamps (tbl, id, modified) VALUES ('minutes', NEW.id, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
    ON CONFLICT (tbl, id) DO UPDATE SET modified = excluded.modified; END;
CREATE TRIGGER stamp_minutes_delete AFTER DELETE ON minutes
BEGIN INSERT INTO record_stamps (tbl, id, modified, deleted) VALUES ('minutes', OLD.id, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), TRUE)
    ON CONFLICT (tbl, id) DO UPDATE SET modified = excluded.modified, deleted = TRUE; END;
CREATE TRIGGER stamp_charter_versions_update AFTER UPDATE ON charter_versions
BEGIN INSERT INTO record_stamps (tbl, id, modified) VALUES ('charter_versions', NEW.id, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
    ON CONFLICT (tbl, id) DO UPDATE SET modified = excluded.modified; END;
CREATE TRIGGER stamp_charter_versions_delete AFTER DELETE ON charter_versions
BEGIN INSERT INTO record_stamps (tbl, id, modified, deleted) VALUES ('charter_versions', OLD.id, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), TRUE)
    ON CONFLICT (tbl, id) DO UPDATE SET modified = excluded.modified, deleted = TRUE; END;
CREATE TRIGGER stamp_matters_update AFTER UPDATE ON matters
BEGIN INSERT INTO record_stamps (tbl, id, modified) VALUES ('matters', NEW.id, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
    ON CONFLICT (tbl, id) DO UPDATE SET modified = excluded.modified; END;
CREATE TRIGGER stamp_matters_delete AFTER DELETE ON matters
BEGIN INSERT INTO record_stamps (tbl, id, modified, deleted) VALUES ('matters', OLD.id, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), TRUE)
    ON CONFLICT (tbl, id) DO UPDATE SET modified = excluded.modified, deleted = TRUE; END;
CREATE TRIGGER stamp_decisions_update AFTER UPDATE ON decisions
BEGIN INSERT INTO record_stamps (tbl, id, modified) VALUES ('decisions', NEW.id, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
    ON CONFLICT (tbl, id) DO UPDATE SET modified = excluded.modified; END;
CREATE TRIGGER stamp_decisions_delete AFTER DELETE ON decisions
BEGIN INSERT INTO record_stamps (tbl, id, modified, deleted) VALUES ('decisions', OLD.id, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), TRUE)
    ON CONFLICT (tbl, id) DO UPDATE SET modified = excluded.modified, deleted = TRUE; END;
CREATE TRIGGER stamp_attachments_update AFTER UPDATE ON attachments
BEGIN INSERT INTO record_stamps (tbl, id, modified) VALUES ('attachments', NEW.id, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
    ON CONFLICT (tbl, id) DO UPDATE SET modified = excluded.modified; END;
CREATE TRIGGER stamp_attachments_delete AFTER DELETE ON attachments
BEGIN INSERT INTO record_stamps (tbl, id, modified, deleted) VALUES ('attachments', OLD.id, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), TRUE)
    ON CONFLICT (tbl, id) DO UPDATE SET modified = excluded.modified, deleted = TRUE; END;

-- Culling (gallring) decisions: a region's information management plan may allow
-- a kind of record to be culled after a period. Samordna records the decision and
-- lists what it would allow culling; it never deletes a record itself.
CREATE TABLE culling_decisions (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    record_kind   TEXT NOT NULL CHECK (record_kind IN ('attachments','minutes_drafts','closed_matters','cancelled_meetings')),
    after_years   INTEGER NOT NULL CHECK (after_years BETWEEN 1 AND 100),
    decision_ref  TEXT NOT NULL,
    decided_on    TEXT NOT NULL CHECK (decided_on = date(decided_on)),
    note          TEXT,
    created_by    TEXT NOT NULL,
    created_at    TEXT NOT NULL
);
