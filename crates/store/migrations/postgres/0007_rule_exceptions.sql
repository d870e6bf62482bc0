-- Agreed exceptions to a rule for a group (e.g. a meeting frequency agreed with the
-- contact person): they clear the finding while they are valid.
CREATE TABLE rule_exceptions (
    id              BIGSERIAL PRIMARY KEY,
    organization_id BIGINT NOT NULL REFERENCES organizations(id),
    rule            TEXT NOT NULL,
    valid_until     DATE NOT NULL,
    reason          TEXT NOT NULL,
    created_by      TEXT NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX rule_exceptions_org ON rule_exceptions(organization_id);
