-- Comments on a charter draft by those who may read it (the group's members, its
-- chair, coordinator and contact person, the director): what a revision is
-- discussed with before it is submitted. Kept as written; never changed.
CREATE TABLE charter_draft_comments (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    draft_id    INTEGER NOT NULL REFERENCES charter_drafts(id),
    section     TEXT,
    body        TEXT NOT NULL CHECK (length(body) > 0),
    author      TEXT NOT NULL,
    author_name TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
CREATE INDEX charter_draft_comments_draft ON charter_draft_comments(draft_id, id);

CREATE TRIGGER charter_draft_comments_immutable BEFORE UPDATE ON charter_draft_comments
BEGIN
    SELECT RAISE(ABORT, 'draft comments are never changed');
END;
