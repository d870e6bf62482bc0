-- Charter drafts and revisions in the portal: structured content (a parsed
-- charter as JSON), edited by the group, submitted, decided by a director, which
-- makes it a charter version. One open draft per group.
CREATE TABLE charter_drafts (
    id              BIGSERIAL PRIMARY KEY,
    organization_id BIGINT NOT NULL REFERENCES organizations(id),
    base_version    BIGINT,
    template_id     TEXT,
    content         TEXT NOT NULL,
    status          TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft','submitted','decided','withdrawn')),
    decided_version BIGINT,
    row_version     BIGINT NOT NULL DEFAULT 1,
    created_by      TEXT NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX charter_drafts_open ON charter_drafts(organization_id)
    WHERE status IN ('draft','submitted');
