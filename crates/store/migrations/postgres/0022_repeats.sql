-- A form sent twice is one record, and a different record is never taken for a
-- repeat (issue 27, item 3). Each creating write has a repeat identity
-- (ARCHITECTURE.md, "A form sent twice"). Where the identity is not already a
-- unique key of the table, the store writes a digest of it into `repeat_key`
-- on insert, under a unique index: the database keeps one record per identity,
-- whatever arrives at once. Rows written before this have no key (NULL never
-- collides), so no existing record is refused.

-- A decision is its meeting, its agenda item and its text (the same standard
-- text under § 1 and § 2 is two decisions).
DROP INDEX decisions_meeting;
CREATE UNIQUE INDEX decisions_repeat ON decisions(meeting_id, COALESCE(agenda_item_id, 0), text_sha);

-- An open action is its meeting, its title and its owner.
DROP INDEX actions_open_title;
CREATE UNIQUE INDEX actions_open_title ON actions(meeting_id, title, COALESCE(owner_person_id, 0))
    WHERE status = 'open' AND meeting_id IS NOT NULL;

-- An agenda item is its meeting and its title.
ALTER TABLE agenda_items ADD COLUMN repeat_key TEXT;
CREATE UNIQUE INDEX agenda_items_repeat ON agenda_items(meeting_id, repeat_key);

-- An attachment is its agenda item, its name and its bytes.
ALTER TABLE attachments ADD COLUMN repeat_key TEXT;
CREATE UNIQUE INDEX attachments_repeat ON attachments(agenda_item_id, repeat_key);

-- An open question is its group, what it is raised from, where it goes and
-- its words; a question is passed on once.
ALTER TABLE escalations ADD COLUMN repeat_key TEXT;
CREATE UNIQUE INDEX escalations_repeat ON escalations(organization_id, repeat_key) WHERE status = 'open';
CREATE UNIQUE INDEX escalations_forwarded_once ON escalations(forwarded_from_id) WHERE forwarded_from_id IS NOT NULL;

-- A membership is its person, group, role and first day.
ALTER TABLE memberships ADD COLUMN repeat_key TEXT;
CREATE UNIQUE INDEX memberships_repeat ON memberships(organization_id, repeat_key);

-- An exception is its group, rule, last day and reason.
ALTER TABLE rule_exceptions ADD COLUMN repeat_key TEXT;
CREATE UNIQUE INDEX rule_exceptions_repeat ON rule_exceptions(organization_id, repeat_key);

-- A comment is its draft, author, section and words.
ALTER TABLE charter_draft_comments ADD COLUMN repeat_key TEXT;
CREATE UNIQUE INDEX charter_draft_comments_repeat ON charter_draft_comments(draft_id, repeat_key);

-- A culling decision is its kind of record and its reference.
ALTER TABLE culling_decisions ADD COLUMN repeat_key TEXT;
CREATE UNIQUE INDEX culling_decisions_repeat ON culling_decisions(repeat_key);

-- Records without an identity of their own (a person, an API key, a calendar
-- link): the key the form carried (`_once`, one per rendering of the form) and
-- a digest of what was sent with it. The same key with the same content is the
-- record made from it; the same key with other content (the form sent again
-- after going back and changing it) is a new record.
CREATE TABLE form_submissions (
    form_key    TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    kind        TEXT NOT NULL,
    record_id   BIGINT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (form_key, fingerprint)
);
