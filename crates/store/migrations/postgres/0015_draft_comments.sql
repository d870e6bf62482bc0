-- Comments on a charter draft by those who may read it (the group's members, its
-- chair, coordinator and contact person, the director): what a revision is
-- discussed with before it is submitted. Kept as written; never changed.
CREATE TABLE charter_draft_comments (
    id          BIGSERIAL PRIMARY KEY,
    draft_id    BIGINT NOT NULL REFERENCES charter_drafts(id),
    section     TEXT,
    body        TEXT NOT NULL CHECK (length(body) > 0),
    author      TEXT NOT NULL,
    author_name TEXT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX charter_draft_comments_draft ON charter_draft_comments(draft_id, id);

CREATE FUNCTION charter_draft_comments_guard() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'draft comments are never changed';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER charter_draft_comments_guard BEFORE UPDATE ON charter_draft_comments
    FOR EACH ROW EXECUTE FUNCTION charter_draft_comments_guard();
