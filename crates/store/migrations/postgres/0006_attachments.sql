-- Files attached to agenda items, stored with their checksum.
CREATE TABLE attachments (
    id             BIGSERIAL PRIMARY KEY,
    agenda_item_id BIGINT NOT NULL REFERENCES agenda_items(id),
    filename       TEXT NOT NULL,
    content_type   TEXT NOT NULL,
    size           BIGINT NOT NULL,
    sha256         TEXT NOT NULL,
    data           BYTEA NOT NULL,
    created_at     TIMESTAMPTZ NOT NULL
);
CREATE INDEX attachments_item ON attachments(agenda_item_id);
