-- The search index's change log (outbox): one row per entity — a group with
-- everything in it ('org'), or a person ('person') — holding the change
-- counter's value at its latest change. Triggers on the searched tables write it
-- in the writing transaction; Store::migrate creates them (search.rs, SEARCHED).
-- Each app node applies the rows above its own position to its index.
CREATE TABLE search_outbox (
    kind   TEXT NOT NULL CHECK (kind IN ('org','person')),
    ref_id INTEGER NOT NULL,
    seq    INTEGER NOT NULL,
    PRIMARY KEY (kind, ref_id)
);
CREATE INDEX search_outbox_seq ON search_outbox(seq);

-- The database's identity: an index built from another database is rebuilt.
CREATE TABLE search_state (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    instance TEXT NOT NULL
);
INSERT INTO search_state (id, instance) VALUES (1, lower(hex(randomblob(16))));
