-- Agreed exceptions to a rule for a group (e.g. a meeting frequency agreed with the
-- contact person): they clear the finding while they are valid.
CREATE TABLE rule_exceptions (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    organization_id INTEGER NOT NULL REFERENCES organizations(id),
    rule            TEXT NOT NULL,
    valid_until     TEXT NOT NULL,
    reason          TEXT NOT NULL,
    created_by      TEXT NOT NULL,
    created_at      TEXT NOT NULL
);
CREATE INDEX rule_exceptions_org ON rule_exceptions(organization_id);
